package io.streamguard.topology;

import io.streamguard.schemas.Topics;
import org.apache.kafka.streams.Topology;

/**
 * {@code --role all}: both stages in one sub-topology, tokenized records handed over in memory rather
 * than through {@code text-tokenized}. The embedded default.
 *
 * <pre>
 * text-events ─► tokenize ─► infer ─┬─► text-labeled, moderation-review / moderation-blocked
 *                                   └─► dead-letters
 * </pre>
 *
 * <p>tokenize picks each text's language and its tokenizer; infer scores each encoder's texts with its model.
 */
public final class LabelingTopology {

    private LabelingTopology() {}

    public static Topology build(
            PipelineSettings settings,
            PipelineSerdes serdes,
            PipelineMetrics metrics,
            Tokenizers tokenizers,
            Scorers scorers) {
        Topology topology = new Topology();
        topology.addSource(
                "text-events-source",
                serdes.key().deserializer(),
                serdes.sourcedTextEvent().deserializer(),
                Topics.TEXT_EVENTS);
        Stages.addTokenizer(topology, "text-events-source", tokenizers, settings, metrics);
        Stages.addInference(topology, Stages.TOKENIZE, scorers, settings, serdes, metrics);
        return topology;
    }
}
