package io.streamguard.topology;

import io.streamguard.model.tokenizer.BertTokenizer;
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
 */
public final class LabelingTopology {

    private LabelingTopology() {}

    public static Topology build(
            PipelineSettings settings,
            PipelineSerdes serdes,
            PipelineMetrics metrics,
            String encoderId,
            BertTokenizer tokenizer,
            BatchScorer scorer) {
        Topology topology = new Topology();
        topology.addSource(
                "text-events-source",
                serdes.key().deserializer(),
                serdes.sourcedTextEvent().deserializer(),
                Topics.TEXT_EVENTS);
        Stages.addTokenizer(topology, "text-events-source", encoderId, tokenizer, settings, metrics);
        Stages.addInference(topology, Stages.TOKENIZE, scorer, settings, serdes, metrics);
        return topology;
    }
}
