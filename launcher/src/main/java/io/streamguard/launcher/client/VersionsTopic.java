package io.streamguard.launcher.client;

import io.streamguard.avro.ModelVersion;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.retrainer.Retrainer;
import io.streamguard.schemas.registry.RegistryConfig;
import io.streamguard.schemas.serde.AvroSerde;
import io.streamguard.topology.ModelVersions;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The compacted {@code model-versions} topic as the CLI reads and writes it. */
public final class VersionsTopic {
    private VersionsTopic() {}

    /** The latest record per version, in arrival order. */
    public static Map<String, ModelVersion> readAll(String bootstrap, String registryUrl, String topic) {
        Map<String, Object> conf = KafkaClients.common(bootstrap, "streamguard-cli-models-reader");
        conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        conf.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Retrainer.MAX_VERSION_BYTES);
        try (AvroSerde<ModelVersion> serde = serde(registryUrl);
                KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(conf, new StringDeserializer(), new ByteArrayDeserializer())) {
            return ModelVersions.readAll(
                    consumer,
                    topic,
                    bytes -> serde.deserializer().deserialize(topic, bytes),
                    Duration.ofSeconds(30));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw KafkaClients.unreachable(bootstrap, e);
        }
    }

    public static void write(String bootstrap, String registryUrl, String topic, ModelVersion version) {
        Map<String, Object> conf = KafkaClients.common(bootstrap, "streamguard-cli-models-writer");
        conf.put(ProducerConfig.ACKS_CONFIG, "all");
        conf.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, KafkaClients.API_TIMEOUT_MS);
        conf.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        conf.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Retrainer.MAX_VERSION_BYTES);
        conf.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        try (AvroSerde<ModelVersion> serde = serde(registryUrl);
                KafkaProducer<String, ModelVersion> producer =
                        new KafkaProducer<>(conf, new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(topic, version.getVersion(), version))
                    .get(KafkaClients.API_TIMEOUT_MS + 16_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw KafkaClients.unreachable(bootstrap, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted while writing " + topic);
        }
    }

    private static AvroSerde<ModelVersion> serde(String registryUrl) {
        AvroSerde<ModelVersion> serde = AvroSerde.specific(ModelVersion.class);
        serde.configure(Map.of(RegistryConfig.URL, registryUrl), false);
        return serde;
    }
}
