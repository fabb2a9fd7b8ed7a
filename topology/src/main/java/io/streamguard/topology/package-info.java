/**
 * The labeling stream: Kafka Streams topologies that tokenize {@code text-events} for the model of each
 * text's language ({@link io.streamguard.topology.Tokenizers}), score micro-batches with one
 * {@link io.streamguard.topology.BatchScorer} per encoder ({@link io.streamguard.topology.Scorers}), decide
 * under the live moderation policy and
 * publish {@code LabeledEvent}s, dead-lettering what cannot be processed through Kafka Streams' own
 * error handlers. {@link io.streamguard.topology.Worker} runs one {@link io.streamguard.topology.Role}
 * from a {@link io.streamguard.topology.WorkerConfig}.
 *
 * <p>Every failure of the module's own is a {@link io.streamguard.topology.PipelineException}:
 *
 * <pre>
 * PipelineException
 * ├─ RejectedRecordException   a record to dead-letter: reason() (a DeadLetterReason), origin() (its
 * │                            text-events record when it is not the one being processed)
 * └─ InvalidPolicyException    a moderation policy that cannot be applied (workers keep the last valid one)
 * </pre>
 *
 * <p>Bad worker settings ({@link io.streamguard.topology.WorkerConfig}) throw
 * {@link java.lang.IllegalArgumentException}, like bad arguments anywhere; the CLI reports them as usage
 * errors.
 */
package io.streamguard.topology;
