package io.streamguard.launcher.client;

import io.streamguard.avro.ModelVersion;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.schemas.serde.AvroSerde;
import io.streamguard.versions.ModelVersionsTopic;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The compacted {@code model-versions} topic ({@link ModelVersionsTopic}) with the CLI's clients: short
 * timeouts, and failures as the CLI reports an unreachable broker.
 */
public final class VersionsTopic {
    private VersionsTopic() {}

    /** The latest record per version, in arrival order. */
    public static Map<String, ModelVersion> readAll(String bootstrap, String registryUrl, String topic) {
        Map<String, Object> conf =
                ModelVersionsTopic.readerConfig(KafkaClients.common(bootstrap, "streamguard-cli-models-reader"));
        try (AvroSerde<ModelVersion> serde = serde(registryUrl);
                KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(conf, new StringDeserializer(), new ByteArrayDeserializer())) {
            return ModelVersionsTopic.readAll(
                    consumer, topic, bytes -> serde.deserializer().deserialize(topic, bytes), Duration.ofSeconds(30));
        } catch (TimeoutException e) {
            throw KafkaClients.unreachable(bootstrap, e);
        }
    }

    public static void write(String bootstrap, String registryUrl, String topic, ModelVersion version) {
        Map<String, Object> conf =
                ModelVersionsTopic.writerConfig(KafkaClients.common(bootstrap, "streamguard-cli-models-writer"));
        conf.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, KafkaClients.API_TIMEOUT_MS);
        conf.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        try (AvroSerde<ModelVersion> serde = serde(registryUrl);
                KafkaProducer<String, ModelVersion> producer =
                        new KafkaProducer<>(conf, new StringSerializer(), serde.serializer())) {
            ModelVersionsTopic.publish(
                    producer, topic, version, Duration.ofMillis(KafkaClients.API_TIMEOUT_MS + 16_000L));
        } catch (InterruptException e) {
            throw new LauncherException("interrupted while writing " + topic);
        } catch (KafkaException e) {
            throw KafkaClients.unreachable(bootstrap, e);
        }
    }

    private static AvroSerde<ModelVersion> serde(String registryUrl) {
        AvroSerde<ModelVersion> serde = AvroSerde.specific(ModelVersion.class);
        serde.configure(ClientSecurity.current().registry(registryUrl), false);
        return serde;
    }
}
