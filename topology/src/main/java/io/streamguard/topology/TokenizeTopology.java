package io.streamguard.topology;

import io.streamguard.model.tokenizer.BertTokenizer;
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
 */
public final class TokenizeTopology {

    private TokenizeTopology() {}

    public static Topology build(
            PipelineSettings settings,
            PipelineSerdes serdes,
            PipelineMetrics metrics,
            String encoderId,
            BertTokenizer tokenizer) {
        Topology topology = new Topology();
        topology.addSource(
                "text-events-source",
                serdes.key().deserializer(),
                serdes.sourcedTextEvent().deserializer(),
                Topics.TEXT_EVENTS);
        Stages.addTokenizer(topology, "text-events-source", encoderId, tokenizer, settings, metrics);
        topology.addSink(
                "tokenized-sink",
                Topics.TEXT_TOKENIZED,
                serdes.key().serializer(),
                serdes.tokenizedEvent().serializer(),
                Stages.TOKENIZE);
        return topology;
    }
}
