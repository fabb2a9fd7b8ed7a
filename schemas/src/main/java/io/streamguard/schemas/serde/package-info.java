/**
 * Kafka serdes for Avro records in Confluent's wire format ({@code 0x00}, 4-byte big-endian schema
 * id, Avro binary), interoperable with Confluent's {@code KafkaAvroSerializer}/{@code Deserializer}.
 *
 * <p>Entry point: {@link io.streamguard.schemas.serde.AvroSerde} ({@code specific(Class)},
 * {@code generic()}, each optionally with a shared {@code RegistryClient}); the serializer and
 * deserializer can also be used on their own or named in Kafka client properties.
 *
 * <p>Failures are {@link org.apache.kafka.common.errors.SerializationException} subclasses, so a Kafka
 * Streams deserialization handler can route them by type:
 * <ul>
 *   <li>{@link io.streamguard.schemas.serde.WireFormatException}: the bytes are bad (poison pill);
 *   <li>{@link io.streamguard.schemas.serde.UnknownSchemaIdException}: the id is not in the registry;
 *   <li>{@link io.streamguard.schemas.serde.SchemaResolutionException}: writer and reader schemas do
 *       not fit;
 *   <li>{@link io.streamguard.schemas.serde.SchemaNotRegisteredException}: producing with
 *       auto-registration off and an unregistered schema;
 *   <li>{@link io.streamguard.schemas.serde.RegistryCallException}: the registry failed; check
 *       {@code isRetriable()} before dead-lettering.
 * </ul>
 */
package io.streamguard.schemas.serde;
