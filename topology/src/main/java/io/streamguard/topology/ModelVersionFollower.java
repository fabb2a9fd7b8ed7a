package io.streamguard.topology;

import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.VersionStatus;
import io.streamguard.model.heads.HeadsFileException;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.IncompatibleHeadsException;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.serde.AvroDeserializer;
import io.streamguard.versions.ModelVersions;
import io.streamguard.versions.ModelVersionsTopic;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an inference worker on the live model version of each of its encoders: reads the compacted
 * {@code model-versions} topic from the beginning, then follows it on a background thread, and swaps
 * an encoder's heads whenever its live version ({@link ModelVersions#live}, per encoder) changes, a rollback
 * included. Each encoder's scorer is swapped alone: a new Chinese version leaves the English model as it is.
 *
 * <p>The swap is one atomic reference change in the classifier: a batch scores entirely with the
 * heads it started with, the next one with the new heads, and every labeled event names the version
 * that scored it. Nothing stops or restarts, so no event is dropped, failed or duplicated. A version
 * fine-tuned with other adapters first has its encoder loaded on this follower's thread
 * ({@link ClassifierScorer#swapHeads}), while batches keep scoring on the current one.
 *
 * <p>A version trained for an encoder this worker does not serve is ignored, one whose heads do not fit this worker's
 * encoder (vocabulary, hidden size, maximum length) or cannot be decoded is refused; both are logged
 * and counted ({@code streamguard.model.versions.refused}), and the current heads stay.
 */
public final class ModelVersionFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelVersionFollower.class);
    /** How long {@link #caughtUp} may take to read the topic to its end. */
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Function<byte[], ModelVersion> decode;
    /** Per served encoder, in configuration order. */
    private final Map<String, HeadsSwapper> scorers;

    private final PipelineMetrics metrics;
    private final Map<String, ModelVersion> versions = new HashMap<>();
    /** version@publishedAt of records already refused or ignored, so each is reported once. */
    private final Set<String> reported = new HashSet<>();

    private volatile boolean running;
    private Thread thread;
    /** Per encoder, version@publishedAt of the record being served; absent while the startup heads serve. */
    private final Map<String, String> serving = new java.util.concurrent.ConcurrentHashMap<>();
    /** Next offset to read per partition, as of the last records applied: the consumer is not thread-safe. */
    private volatile Map<TopicPartition, Long> position = Map.of();

    /**
     * @param consumer used only by this follower (it assigns, seeks and closes it); read_committed
     * @param decode the topic's value bytes to a record; null or an exception skips the record
     */
    public ModelVersionFollower(
            Consumer<String, byte[]> consumer,
            String topic,
            Function<byte[], ModelVersion> decode,
            HeadsSwapper scorer,
            String encoderId,
            PipelineMetrics metrics) {
        this(consumer, topic, decode, Map.of(encoderId, scorer), metrics);
    }

    /**
     * @param scorers per encoder served, the scorer whose heads follow that encoder's live version
     */
    public ModelVersionFollower(
            Consumer<String, byte[]> consumer,
            String topic,
            Function<byte[], ModelVersion> decode,
            Map<String, HeadsSwapper> scorers,
            PipelineMetrics metrics) {
        this.consumer = consumer;
        this.topic = topic;
        this.decode = decode;
        this.scorers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(scorers));
        this.metrics = metrics;
    }

    /** As {@link #caughtUp(WorkerConfig, RegistryClient, Map, PipelineMetrics)} for the default encoder alone. */
    public static ModelVersionFollower caughtUp(
            WorkerConfig config, RegistryClient registry, HeadsSwapper scorer, PipelineMetrics metrics) {
        return caughtUp(config, registry, Map.of(config.encoderConfig().encoderId(), scorer), metrics);
    }

    /**
     * A follower of {@code config}'s model versions topic for {@code scorers} (per encoder), caught up: each
     * encoder starts on its live version if one was published, else on the heads its scorer was loaded with.
     * Not started: {@link #start()} follows on.
     */
    public static ModelVersionFollower caughtUp(
            WorkerConfig config, RegistryClient registry, Map<String, HeadsSwapper> scorers, PipelineMetrics metrics) {
        Map<String, Object> client = new HashMap<>();
        config.registryProperties().forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(k)) {
                client.put(k, v);
            }
        });
        Map<String, Object> props = ModelVersionsTopic.readerConfig(client);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-model-follower");
        var deserializer = AvroDeserializer.specific(ModelVersion.class, registry);
        String topic = config.modelVersionsTopic();
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        ModelVersionFollower follower = new ModelVersionFollower(
                consumer, topic, bytes -> deserializer.deserialize(topic, bytes), scorers, metrics);
        try {
            follower.catchUp(CATCH_UP);
        } catch (RuntimeException e) {
            follower.close();
            throw e;
        }
        return follower;
    }

    /**
     * Reads the topic to its current end and switches to the live version, if there is one, before
     * the worker consumes: a restarted worker starts on the latest promoted version, not on its
     * configured heads file. A missing topic leaves the configured heads.
     */
    public void catchUp(Duration timeout) {
        Map<String, ModelVersion> all = ModelVersionsTopic.readAll(consumer, topic, this::safeDecode, timeout);
        all.values().forEach(this::remember);
        applyLive();
        notePosition();
    }

    /** Follows the topic from where {@link #catchUp} stopped on a daemon thread. */
    public void start() {
        running = true;
        thread = new Thread(this::loop, "streamguard-model-follower");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                boolean changed = false;
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() == null || r.value() == null) {
                        continue;
                    }
                    ModelVersion v = safeDecode(r.value());
                    if (v != null) {
                        remember(v);
                        changed = true;
                    }
                }
                if (changed) {
                    applyLive();
                }
                notePosition();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Model version follower stopped; the worker keeps serving {}", servingVersions(), e);
        }
    }

    /** Records one topic record; the latest record per version key wins, as compaction keeps it. */
    void remember(ModelVersion v) {
        versions.put(ModelVersions.key(v), v);
        if (v.getStatus() == VersionStatus.PROMOTED
                && !scorers.containsKey(v.getEncoderName())
                && reported.add(id(v))) {
            LOG.info(
                    "Ignoring model version {}: trained for encoder {}, this worker runs {}",
                    v.getVersion(),
                    v.getEncoderName(),
                    String.join(", ", scorers.keySet()));
            metrics.modelVersionRefused("other-encoder");
        }
    }

    /** Swaps each encoder to its live version if that is not the one served; returns whether any swapped. */
    boolean applyLive() {
        boolean swapped = false;
        for (Map.Entry<String, HeadsSwapper> e : scorers.entrySet()) {
            swapped |= applyLive(e.getKey(), e.getValue());
        }
        return swapped;
    }

    private boolean applyLive(String encoderId, HeadsSwapper scorer) {
        Optional<ModelVersion> live = ModelVersions.live(versions.values(), encoderId);
        if (live.isEmpty()) {
            return false;
        }
        ModelVersion v = live.get();
        String id = id(v);
        if (id.equals(serving.get(encoderId)) || reported.contains(id)) {
            return false;
        }
        HeadsModel next;
        try {
            next = ModelVersions.heads(v);
            if (!next.version().equals(v.getVersion())) {
                throw new HeadsFileException(
                        null, "record " + v.getVersion() + " carries heads of version " + next.version());
            }
            HeadsModel previous = scorer.swapHeads(next);
            serving.put(encoderId, id);
            metrics.modelSwapped(encoderId);
            LOG.info(
                    "Model version {} of {} live (published {}, was {}){}",
                    v.getVersion(),
                    encoderId,
                    ModelVersions.publishedAt(v),
                    previous.version(),
                    v.getReason() == null ? "" : ": " + v.getReason());
            return true;
        } catch (IncompatibleHeadsException | HeadsFileException e) {
            reported.add(id);
            metrics.modelVersionRefused(e instanceof IncompatibleHeadsException ? "incompatible" : "unreadable");
            LOG.warn(
                    "Refusing model version {} of {}: {}; keeping {}",
                    v.getVersion(),
                    encoderId,
                    e.getMessage(),
                    scorer.heads().version());
            return false;
        }
    }

    /** encoder=version of each served model, for logs. */
    private String servingVersions() {
        StringBuilder out = new StringBuilder();
        scorers.forEach((encoder, scorer) -> out.append(out.length() == 0 ? "" : ", ")
                .append(encoder)
                .append('=')
                .append(scorer.heads().version()));
        return out.toString();
    }

    private ModelVersion safeDecode(byte[] bytes) {
        try {
            return decode.apply(bytes);
        } catch (RuntimeException e) {
            LOG.warn("Skipping an undecodable record on {}: {}", topic, e.toString());
            metrics.modelVersionRefused("undecodable");
            return null;
        }
    }

    private static String id(ModelVersion v) {
        return v.getVersion() + "@" + ModelVersions.publishedAt(v).toEpochMilli();
    }

    private void notePosition() {
        Map<TopicPartition, Long> now = new HashMap<>();
        consumer.assignment().forEach(tp -> now.put(tp, consumer.position(tp)));
        position = Map.copyOf(now);
    }

    /**
     * Whether every record before {@code offsets} (end offsets of the topic, say) has been read and applied:
     * a version published before they were taken is live now, or was refused.
     */
    public boolean hasApplied(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, Long> read = position;
        return offsets.entrySet().stream().allMatch(e -> read.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /** The partitions followed (for tests). */
    List<TopicPartition> assignment() {
        return List.copyOf(consumer.assignment());
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close(Duration.ofSeconds(2));
    }
}
