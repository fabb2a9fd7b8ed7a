/**
 * The labeling stream: Kafka Streams topologies that tokenize {@code text-events}, score micro-batches
 * with a {@link io.streamguard.topology.BatchScorer}, decide under the live moderation policy and
 * publish {@code LabeledEvent}s, dead-lettering what cannot be processed through Kafka Streams' own
 * error handlers. {@link io.streamguard.topology.Worker} runs one {@link io.streamguard.topology.Role}
 * from a {@link io.streamguard.topology.WorkerConfig}.
 */
package io.streamguard.topology;
