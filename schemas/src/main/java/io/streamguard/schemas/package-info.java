/**
 * StreamGuard's data contracts: the Avro records generated into {@code io.streamguard.avro}
 * ({@code TextEvent}, {@code TokenizedEvent}, {@code LabeledEvent}, {@code Feedback}, {@code ModelVersion},
 * {@code ModerationPolicy}, and the internal {@code PendingInference}) from
 * {@code src/main/avro}, and the topics, each declared with its configs, in {@link io.streamguard.schemas.Topics}.
 *
 * <p>Schemas evolve BACKWARD-compatibly: add fields only with defaults, never remove a field without
 * one or change its type. The registry client lives in {@link io.streamguard.schemas.registry}, the
 * Kafka serdes in {@link io.streamguard.schemas.serde}.
 */
package io.streamguard.schemas;
