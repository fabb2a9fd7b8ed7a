package io.streamguard.versions;

import io.streamguard.avro.ModelVersion;
import io.streamguard.schemas.TopicAdmin;
import io.streamguard.schemas.TopicScan;
import io.streamguard.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The compacted {@code model-versions} topic itself: reading every version to the end, publishing one, and
 * creating the topic with the configs {@link Topics} declares for it. Workers, the retrainer and the CLI all go
 * through here, so they agree on record sizes and on what "the versions so far" means.
 *
 * <p>An instance binds a topic name to its clients (a fresh reader per {@link #readAll()}, one writer) for a
 * component that reads and publishes repeatedly; the static methods serve callers that bring their own clients.
 * Failures are Kafka's unchecked exceptions.
 */
public final class ModelVersionsTopic implements AutoCloseable {

    /** Largest record: fetch and request sizes of the topic's clients ({@link Topics#MODEL_VERSION_MAX_BYTES}). */
    public static final int MAX_RECORD_BYTES = Topics.MODEL_VERSION_MAX_BYTES;

    private final String topic;
    private final Supplier<? extends Consumer<String, byte[]>> readers;
    private final Function<byte[], ModelVersion> decode;
    private final Producer<String, ModelVersion> writer;
    private final Duration timeout;

    /**
     * @param readers a new consumer per read (configured with {@link #readerConfig}); closed after the read
     * @param decode the topic's value bytes to a record
     * @param writer publishes; closed by {@link #close()}
     * @param timeout for one whole read and for one publication
     */
    public ModelVersionsTopic(
            String topic,
            Supplier<? extends Consumer<String, byte[]>> readers,
            Function<byte[], ModelVersion> decode,
            Producer<String, ModelVersion> writer,
            Duration timeout) {
        this.topic = topic;
        this.readers = readers;
        this.decode = decode;
        this.writer = writer;
        this.timeout = timeout;
    }

    public String name() {
        return topic;
    }

    /**
     * The latest record per encoder and version, in arrival order (see
     * {@link #readAll(Consumer, String, Function, Duration)}).
     */
    public Map<String, ModelVersion> readAll() {
        try (Consumer<String, byte[]> reader = readers.get()) {
            return readAll(reader, topic, decode, timeout);
        }
    }

    /** Publishes {@code version} under its {@code encoder/version} key and waits for the broker's acknowledgement. */
    public void publish(ModelVersion version) {
        publish(writer, topic, version, timeout);
    }

    @Override
    public void close() {
        writer.close(Duration.ofSeconds(5));
    }

    /**
     * Reads {@code topic} from the beginning to its current end with {@code consumer} (assigned here;
     * should be read_committed) and returns the latest record per {@link ModelVersions#key} ({@code
     * encoder/version}), as compaction would leave it; records written before keys named the encoder (keyed by
     * the bare version) count under the same key. Records {@code decode} rejects (returns null for) are skipped;
     * a missing topic reads as empty.
     *
     * @throws TimeoutException if the end is not reached within {@code timeout}
     */
    public static Map<String, ModelVersion> readAll(
            Consumer<String, byte[]> consumer, String topic, Function<byte[], ModelVersion> decode, Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        Map<String, ModelVersion> latest = new LinkedHashMap<>();
        if (infos == null || infos.isEmpty()) {
            return latest;
        }
        List<TopicPartition> partitions = infos.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        boolean complete = TopicScan.fromBeginning(consumer, partitions, timeout, r -> {
            if (r.key() == null) {
                return true;
            }
            if (r.value() == null) {
                latest.remove(r.key());
                return true;
            }
            ModelVersion v = decode.apply(r.value());
            if (v != null) {
                String key = ModelVersions.key(v);
                latest.remove(key); // re-insert: the map stays in arrival order
                latest.put(key, v);
            }
            return true;
        });
        if (!complete) {
            throw new TimeoutException("timed out reading " + topic);
        }
        return latest;
    }

    /**
     * Sends {@code version} keyed by {@link ModelVersions#key} and waits up to {@code timeout}.
     *
     * @throws KafkaException the broker's error as the producer reports it, or {@code cannot publish ...}
     * @throws TimeoutException if not acknowledged within {@code timeout}
     */
    public static void publish(
            Producer<String, ModelVersion> producer, String topic, ModelVersion version, Duration timeout) {
        try {
            producer.send(new ProducerRecord<>(topic, ModelVersions.key(version), version))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KafkaException k) {
                throw k;
            }
            throw new KafkaException(
                    "cannot publish model version " + version.getVersion() + " to " + topic + ": " + e.getCause(),
                    e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException(
                    "timed out publishing model version " + version.getVersion() + " to " + topic, e);
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted while publishing " + version.getVersion(), e);
        }
    }

    /**
     * Creates {@code topic} as {@code up} and {@code topics create} do by default ({@code model-versions}' declared
     * configs, {@link Topics#DEFAULT_PARTITIONS} partitions) if it is missing;
     * if it exists, raises its {@code max.message.bytes} so it holds whole heads files (topics made before
     * that setting was declared).
     *
     * @return whether it was created
     */
    public static boolean ensure(Admin admin, String topic, Duration timeout) {
        Topics.TopicSpec spec = Topics.spec(Topics.MODEL_VERSIONS).named(topic);
        if (!TopicAdmin.createMissing(admin, List.of(spec.newTopic(Topics.DEFAULT_PARTITIONS)), timeout)
                .isEmpty()) {
            return true;
        }
        TopicAdmin.setConfigs(
                admin,
                topic,
                Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, spec.configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)),
                timeout);
        return false;
    }

    /**
     * {@code client} (bootstrap, security, client id) plus what reading the whole topic needs: read_committed,
     * no group and no commits, fetches as large as one record.
     */
    public static Map<String, Object> readerConfig(Map<String, ?> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(MAX_RECORD_BYTES));
        return config;
    }

    /** {@code client} plus what publishing a version needs: every replica's ack, requests as large as a record. */
    public static Map<String, Object> writerConfig(Map<String, ?> client) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_RECORD_BYTES));
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        return config;
    }
}
