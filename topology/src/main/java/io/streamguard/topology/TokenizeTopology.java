package io.streamguard.topology;

import io.streamguard.schemas.Topics;
import org.apache.kafka.streams.Topology;

/**
 * Stage 1 of {@code --role tokenizer}: {@code text-events} to {@code text-tokenized}. CPU only; scales
 * with the partitions of {@code text-events}. Invalid records are dead-lettered (see
 * {@link DeadLetterHandlers}).
 *
 * <pre>
 * text-events ─► tokenize ─► text-tokenized
 * </pre>
 *
 * <p>Each text is tokenized for the model of its language ({@link TokenizeProcessor}).
 */
public final class TokenizeTopology {

    private TokenizeTopology() {}

    public static Topology build(
            PipelineSettings settings, PipelineSerdes serdes, PipelineMetrics metrics, Tokenizers tokenizers) {
        Topology topology = new Topology();
        topology.addSource(
                "text-events-source",
                serdes.key().deserializer(),
                serdes.sourcedTextEvent().deserializer(),
                Topics.TEXT_EVENTS);
        Stages.addTokenizer(topology, "text-events-source", tokenizers, settings, metrics);
        topology.addSink(
                "tokenized-sink",
                Topics.TEXT_TOKENIZED,
                serdes.key().serializer(),
                serdes.tokenizedEvent().serializer(),
                Stages.TOKENIZE);
        return topology;
    }
}
