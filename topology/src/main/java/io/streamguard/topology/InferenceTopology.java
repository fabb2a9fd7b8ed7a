package io.streamguard.topology;

import io.streamguard.schemas.Topics;
import org.apache.kafka.streams.Topology;

/**
 * Stage 2 of {@code --role inference}: micro-batched scoring of {@code text-tokenized}, decisions under
 * the live {@code moderation-policy}, one {@code LabeledEvent} per input to {@code text-labeled} plus a
 * copy to {@code moderation-review} or {@code moderation-blocked}. See {@link InferenceProcessor} for
 * batching, exactly-once and failures.
 *
 * <pre>
 * text-tokenized ─► infer ─┬─► text-labeled
 *                          ├─► moderation-review / moderation-blocked
 *                          └─► dead-letters (─► text-events-dlq via the processing handler)
 * moderation-policy ─► global store ─┘ (read by infer)
 * </pre>
 *
 * <p>Each encoder's texts are scored by its own model, never in one call with another's ({@link Scorers}).
 */
public final class InferenceTopology {

    private InferenceTopology() {}

    public static Topology build(
            PipelineSettings settings, PipelineSerdes serdes, PipelineMetrics metrics, Scorers scorers) {
        Topology topology = new Topology();
        topology.addSource(
                "text-tokenized-source",
                serdes.key().deserializer(),
                serdes.tokenizedEvent().deserializer(),
                Topics.TEXT_TOKENIZED);
        Stages.addInference(topology, "text-tokenized-source", scorers, settings, serdes, metrics);
        return topology;
    }
}
