/**
 * Single message transforms between our topics' records and database rows. Sink side: {@link
 * io.streamguard.connectors.transforms.MapToColumns} and {@link io.streamguard.connectors.transforms.JoinArray}
 * turn the map and array fields a relational sink cannot store into plain columns, before Connect's own
 * {@code Flatten}, {@code ReplaceField} and {@code RegexRouter} finish the row. Source side: {@link
 * io.streamguard.connectors.transforms.ChangeEventToTextEvent} turns a Debezium change event of a table of
 * user texts into a {@code TextEvent}. A record a transform cannot map throws {@link
 * io.streamguard.connectors.transforms.RecordShapeException}, a bad setting Kafka's {@code ConfigException}.
 */
package io.streamguard.connectors.transforms;
