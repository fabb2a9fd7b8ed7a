package io.streamguard.retrainer;

import io.streamguard.avro.ModelVersion;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig;
import io.streamguard.schemas.serde.AvroDeserializer;
import io.streamguard.schemas.serde.AvroSerializer;
import io.streamguard.versions.ModelVersionsTopic;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The retrainer's Kafka clients, built from one property map that mixes Kafka client settings with the
 * registry's: each client gets only the keys it knows, so neither logs unknown-config warnings.
 */
final class RetrainerClients {

    private static final Duration VERSIONS_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, String> properties;
    private final RegistryClient registry;

    RetrainerClients(Map<String, String> properties) {
        this.properties = Map.copyOf(properties);
        this.registry = RegistryClient.create(RegistryConfig.fromMap(properties));
    }

    RegistryClient registry() {
        return registry;
    }

    /**
     * Creates the versions topic (compacted, one partition, whole heads files per record) if missing.
     *
     * @throws RetrainerException if it can be neither created nor configured
     */
    void ensureVersionsTopic(String topic) {
        try (Admin admin = Admin.create(known(AdminClientConfig.configNames()))) {
            ModelVersionsTopic.ensure(admin, topic, ADMIN_TIMEOUT);
        } catch (KafkaException e) {
            throw new RetrainerException("cannot create or configure " + topic + ": " + e.getMessage(), e);
        }
    }

    /** The feedback and labeled-events reader: no group, the retrainer assigns and seeks itself. */
    KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> p = ModelVersionsTopic.readerConfig(known(ConsumerConfig.configNames()));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamguard-retrainer");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The versions topic: a fresh reader per read, one idempotent writer. */
    ModelVersionsTopic versions(String topic) {
        Map<String, Object> reader = ModelVersionsTopic.readerConfig(known(ConsumerConfig.configNames()));
        AvroDeserializer<ModelVersion> deserializer = AvroDeserializer.specific(ModelVersion.class, registry);
        Map<String, Object> writer = ModelVersionsTopic.writerConfig(known(ProducerConfig.configNames()));
        writer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        writer.put(ProducerConfig.CLIENT_ID_CONFIG, "streamguard-retrainer-publisher");
        AvroSerializer<ModelVersion> serializer = new AvroSerializer<>(
                registry, RegistryConfig.fromMap(properties).serde(), false);
        return new ModelVersionsTopic(
                topic,
                () -> new KafkaConsumer<>(reader, new StringDeserializer(), new ByteArrayDeserializer()),
                bytes -> deserializer.deserialize(topic, bytes),
                new KafkaProducer<>(writer, new StringSerializer(), serializer),
                VERSIONS_TIMEOUT);
    }

    private Map<String, Object> known(Set<String> names) {
        Map<String, Object> out = new HashMap<>();
        properties.forEach((k, v) -> {
            if (names.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
