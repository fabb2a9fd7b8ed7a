/**
 * The Avro converter: {@link io.streamguard.connectors.converter.AvroConverter} (Connect's Converter over schemas'
 * registry client and serdes, configured with Confluent's property names) and {@link
 * io.streamguard.connectors.converter.AvroData} (the Avro/Connect type mapping).
 *
 * <p>Failures are {@link io.streamguard.connectors.converter.ConverterException}s, under the module's {@link
 * io.streamguard.connectors.ConnectorsException}, each with a one-line message naming the topic:
 * <ul>
 *   <li>{@link io.streamguard.connectors.converter.UndecodableRecordException}: the bytes are not a framed Avro
 *       record (its subclass {@link io.streamguard.connectors.converter.SchemaIdNotFoundException}: unknown id);
 *   <li>{@link io.streamguard.connectors.converter.SchemaMismatchException}: writer and latest schema do not fit;
 *   <li>{@link io.streamguard.connectors.converter.UnregisteredSchemaException}: writing with auto-registration
 *       off and an unregistered schema;
 *   <li>{@link io.streamguard.connectors.converter.UnsupportedSchemaException}: a schema the mapping lacks;
 *   <li>{@link io.streamguard.connectors.converter.UnwritableRecordException}: a value that does not fit;
 *   <li>{@link io.streamguard.connectors.converter.RegistryFailureException}: the registry refused.
 * </ul>
 * A registry outage is Connect's {@code RetriableException} instead, so it is retried, not dead-lettered.
 */
package io.streamguard.connectors.converter;
