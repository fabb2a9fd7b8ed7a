package io.streamguard.retrainer;

import io.streamguard.avro.Feedback;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.VersionStatus;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.training.BuiltinDatasets;
import io.streamguard.model.training.ClassificationReport;
import io.streamguard.model.training.FeatureCache;
import io.streamguard.model.training.FeatureMatrix;
import io.streamguard.model.training.Task;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig;
import io.streamguard.schemas.serde.AvroDeserializer;
import io.streamguard.schemas.serde.AvroSerializer;
import io.streamguard.topology.ModelVersions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retraining sidecar: moderator feedback in, gated model versions out.
 *
 * <p>One plain consumer, manually assigned (no group: the retrainer's state is rebuilt from the
 * topics on every start), reads {@code moderation-feedback} from the beginning and the last
 * {@code textRetention} of {@code text-labeled}, whose texts it keeps in memory keyed by event id
 * ({@link FeedbackLog}). When the {@link RetrainTrigger} fires it trains a candidate from the live
 * version on the loop thread ({@link CandidateTrainer}), judges it ({@link Gate}) against the live
 * version on the validation splits and the held-back feedback, and publishes it to
 * {@code model-versions} as PROMOTED (workers swap to it) or REJECTED (with the reason), with its
 * lineage: parent, feedback offsets used, data hashes.
 *
 * <p>Verdicts already used by a version it published before a restart do not trigger again: the
 * feedback offsets in its latest record's lineage mark where the new ones start.
 */
public final class Retrainer implements AutoCloseable {

    /** Lineage key of the feedback offsets a version was trained with: {@code partition:from-to,...}. */
    public static final String LINEAGE_FEEDBACK_OFFSETS = "feedback.offsets";
    /** Largest model-versions record: heads files of BERT-sized MLPs are several MB. */
    public static final int MAX_VERSION_BYTES = 32 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(Retrainer.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_TEXTS = 2_000_000;

    /**
     * Where and what the retrainer runs on.
     *
     * @param clientProperties Kafka client settings (bootstrap.servers, security) plus the registry's
     *     (schema.registry.url, ...)
     * @param encoder the encoder workers run; only its versions are retrained
     * @param baseHeads the version to start from while {@code model-versions} has none for the encoder
     */
    public record Config(Map<String, String> clientProperties, EncoderConfig encoder, Path baseHeads,
            BuiltinDatasets datasets, FeatureCache cache, RetrainerSettings settings) {
        public Config {
            clientProperties = Map.copyOf(clientProperties);
            Objects.requireNonNull(encoder, "encoder");
            Objects.requireNonNull(baseHeads, "baseHeads");
            Objects.requireNonNull(datasets, "datasets");
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(settings, "settings");
        }
    }

    /** What one retrain did. */
    public record Outcome(String version, String parent, boolean promoted, String reason, int trainVerdicts,
            int heldOutVerdicts, Duration took) {}

    private final Config config;
    private final RetrainerSettings settings;
    private final Clock clock;
    private final LoadedEncoder encoder;
    private final RegistryClient registry;
    private final BaseData base;
    private final FeedbackLog log;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, ModelVersion> producer;
    private final AvroDeserializer<Feedback> feedbackSerde;
    private final AvroDeserializer<LabeledEvent> labeledSerde;
    private final AvroDeserializer<ModelVersion> versionSerde;
    private final Map<String, float[]> featureMemo = new HashMap<>();
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private volatile HeadsModel live;
    private volatile boolean running;
    private Thread thread;
    private Instant lastRetrain;

    private Retrainer(Config config, Clock clock, LoadedEncoder encoder, RegistryClient registry, BaseData base,
            KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, ModelVersion> producer) {
        this.config = config;
        this.settings = config.settings();
        this.clock = clock;
        this.encoder = encoder;
        this.registry = registry;
        this.base = base;
        this.consumer = consumer;
        this.producer = producer;
        this.log = new FeedbackLog(settings.textRetention(), MAX_TEXTS);
        this.feedbackSerde = AvroDeserializer.specific(Feedback.class, registry);
        this.labeledSerde = AvroDeserializer.specific(LabeledEvent.class, registry);
        this.versionSerde = AvroDeserializer.specific(ModelVersion.class, registry);
    }

    /**
     * Loads the encoder and the base data's features, finds the live version, and starts consuming;
     * returns when the retrainer is ready (what is already on the topics is consumed on the loop thread).
     */
    public static Retrainer start(Config config) {
        RegistryClient registry = RegistryClient.create(RegistryConfig.fromMap(config.clientProperties()));
        ensureVersionsTopic(config);
        LoadedEncoder encoder = EncoderFactory.create(config.encoder());
        Retrainer retrainer = null;
        try {
            long started = System.nanoTime();
            RetrainerSettings s = config.settings();
            BaseData base = BaseData.load(encoder, config.cache(), config.datasets(), s.samplePerTask(), s.seed());
            LOG.info("Base data ready in {} ms", (System.nanoTime() - started) / 1_000_000);
            retrainer = new Retrainer(config, Clock.systemUTC(), encoder, registry, base, consumer(config),
                    producer(config, registry));
            retrainer.init();
            retrainer.running = true;
            retrainer.thread = new Thread(retrainer::loop, "streamguard-retrainer");
            retrainer.thread.start();
            return retrainer;
        } catch (RuntimeException e) {
            if (retrainer != null) {
                retrainer.close();
            } else {
                encoder.close();
            }
            throw e;
        }
    }

    private void init() {
        Map<String, ModelVersion> versions = readVersions();
        live = liveHeads(versions);
        if (ModelVersions.live(versions.values(), config.encoder().encoderId()).isEmpty()) {
            // The first version goes on the topic too, so `models` shows it and a rollback can return to it.
            publish(ModelVersions.toAvro(live, VersionStatus.PROMOTED, "base version from " + config.baseHeads()
                    .getFileName(), Map.of("source", config.baseHeads().toString()), publishTime(versions)));
            LOG.info("Published base version {} from {}", live.version(), config.baseHeads());
        }
        // Verdicts an earlier run already trained on do not trigger again.
        ModelVersions.byPublication(versions.values()).stream()
                .filter(v -> v.getLineage().containsKey(LINEAGE_FEEDBACK_OFFSETS)
                        && config.encoder().encoderId().equals(v.getEncoderName()))
                .reduce((a, b) -> b)
                .ifPresent(v -> log.usedUpTo(parseOffsets(v.getLineage().get(LINEAGE_FEEDBACK_OFFSETS))));
        List<TopicPartition> partitions = new ArrayList<>(partitions(settings.feedbackTopic()));
        List<TopicPartition> labeled = partitions(settings.labeledTopic());
        partitions.addAll(labeled);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions(settings.feedbackTopic()));
        long from = clock.millis() - settings.textRetention().toMillis();
        Map<TopicPartition, Long> times = new HashMap<>();
        labeled.forEach(tp -> times.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = labeled.isEmpty() ? Map.of() : consumer.offsetsForTimes(times);
        for (TopicPartition tp : labeled) {
            OffsetAndTimestamp at = offsets.get(tp);
            if (at == null) {
                consumer.seekToEnd(List.of(tp));
            } else {
                consumer.seek(tp, at.offset());
            }
        }
        lastRetrain = clock.instant();
        LOG.info("Retrainer ready: live version {} of {}; feedback from {}, texts from {} (last {})", live.version(),
                live.encoderId(), settings.feedbackTopic(), settings.labeledTopic(), settings.textRetention());
    }

    private void loop() {
        long lastExpiry = clock.millis();
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    accept(r);
                }
                long now = clock.millis();
                if (now - lastExpiry > 60_000) {
                    log.expire(now);
                    lastExpiry = now;
                }
                if (settings.trigger().due(log.newVerdicts(), lastRetrain, clock.instant())) {
                    retrain();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Retrainer stopped", e);
            running = false;
        }
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            if (r.topic().equals(settings.feedbackTopic())) {
                Feedback f = feedbackSerde.deserialize(r.topic(), r.value());
                log.addFeedback(f.getEventId(), f.getVerdicts(), f.getText(), r.partition(), r.offset(),
                        f.getTime().toEpochMilli());
            } else {
                LabeledEvent e = labeledSerde.deserialize(r.topic(), r.value());
                log.addText(e.getId(), e.getText(), r.timestamp());
            }
        } catch (RuntimeException e) {
            LOG.warn("Skipping {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
        }
    }

    /** Trains, judges and publishes one candidate from everything consumed so far. */
    Outcome retrain() {
        long started = System.nanoTime();
        Instant now = clock.instant();
        Map<String, ModelVersion> versions = readVersions();
        HeadsModel parent = liveHeads(versions); // follows rollbacks made meanwhile
        live = parent;
        List<FeedbackExample> all = log.examples();
        List<FeedbackExample> train = new ArrayList<>();
        List<FeedbackExample> heldOut = new ArrayList<>();
        for (FeedbackExample e : all) {
            (Holdout.heldOut(e.eventId(), settings.holdoutPercent()) ? heldOut : train).add(e);
        }
        Map<Integer, Long> offsets = log.consumedOffsets();
        log.markRetrained();
        lastRetrain = now;
        String version = CandidateTrainer.nextVersion(versions.keySet());
        Map<String, String> lineage = lineage(parent, offsets, train, heldOut);
        CandidateTrainer.Candidate candidate = new CandidateTrainer(settings).train(parent, version, base, train,
                features(parent, train), lineage);
        Outcome outcome;
        if (candidate.retrained().isEmpty()) {
            outcome = new Outcome(null, parent.version(), false, "nothing to learn: the " + train.size()
                    + " training verdicts name no label of " + parent.version(), train.size(), heldOut.size(),
                    Duration.ofNanos(System.nanoTime() - started));
            LOG.info("Retrain skipped: {}", outcome.reason());
            outcomes.add(outcome);
            return outcome;
        }
        List<float[]> heldOutFeatures = features(parent, heldOut);
        Map<Task, ClassificationReport> parentReports = Evaluation.validation(parent, base);
        Map<Task, ClassificationReport> candidateReports = Evaluation.validation(candidate.model(), base);
        Evaluation.FeedbackScore before = Evaluation.feedback(parent, heldOut, heldOutFeatures);
        Evaluation.FeedbackScore after = Evaluation.feedback(candidate.model(), heldOut, heldOutFeatures);
        Gate.Decision decision = settings.gate().decide(Evaluation.primary(parentReports),
                Evaluation.primary(candidateReports), before.accuracy(), after.accuracy(), after.verdicts());
        HeadsModel model = candidate.model().withMetrics(metrics(candidateReports, after));
        lineage.put("retrained", String.join(",", candidate.retrained().stream().map(Task::id).toList()));
        publish(ModelVersions.toAvro(model, decision.promote() ? VersionStatus.PROMOTED : VersionStatus.REJECTED,
                decision.reason(), lineage, publishTime(versions)));
        if (decision.promote()) {
            live = model;
            LOG.info("Model {} PROMOTED (parent {}): {}", version, parent.version(), decision.reason());
        } else {
            LOG.warn("Model {} REJECTED (parent {} stays): {}", version, parent.version(), decision.reason());
        }
        outcome = new Outcome(version, parent.version(), decision.promote(), decision.reason(), train.size(),
                after.verdicts(), Duration.ofNanos(System.nanoTime() - started));
        outcomes.add(outcome);
        return outcome;
    }

    private Map<String, Map<String, Double>> metrics(Map<Task, ClassificationReport> reports,
            Evaluation.FeedbackScore feedback) {
        Map<String, Map<String, Double>> out = new TreeMap<>();
        reports.forEach((task, report) -> out.put(task.id(), report.asMap()));
        out.put("feedback", Map.of("accuracy", feedback.accuracy(), "verdicts", (double) feedback.verdicts()));
        return out;
    }

    private Map<String, String> lineage(HeadsModel parent, Map<Integer, Long> offsets, List<FeedbackExample> train,
            List<FeedbackExample> heldOut) {
        Map<String, String> lineage = new LinkedHashMap<>();
        lineage.put("parent", parent.version());
        lineage.put("feedback.topic", settings.feedbackTopic());
        lineage.put(LINEAGE_FEEDBACK_OFFSETS, formatOffsets(offsets));
        lineage.put("feedback.train", Integer.toString(train.size()));
        lineage.put("feedback.heldOut", Integer.toString(heldOut.size()));
        lineage.put("feedback.sha256", sha256(train));
        for (Task task : Task.values()) {
            BaseData.TaskData data = base.task(task);
            lineage.put("data." + task.id() + ".train.sha256", data.trainSha256());
            lineage.put("data." + task.id() + ".validation.sha256", data.validationSha256());
        }
        lineage.put("sample.perTask", Integer.toString(settings.samplePerTask()));
        lineage.put("seed", Long.toString(settings.seed()));
        lineage.put("settings", "weight=" + settings.feedbackWeight() + " epochs=" + settings.epochs() + " lr="
                + settings.learningRate() + " holdout=" + settings.holdoutPercent() + "% gate=" + settings.gate());
        return lineage;
    }

    /** Feature vectors of the examples' texts under {@code model}'s feature, each text encoded once per run. */
    private List<float[]> features(HeadsModel model, List<FeedbackExample> examples) {
        List<String> missing = examples.stream().map(FeedbackExample::text).filter(t -> !featureMemo.containsKey(t))
                .distinct().toList();
        if (!missing.isEmpty()) {
            FeatureMatrix m = FeatureCache.extract(encoder, missing, (done, total, elapsed) -> { });
            float[] x = m.matrix(model.feature());
            int width = x.length / missing.size();
            for (int i = 0; i < missing.size(); i++) {
                featureMemo.put(missing.get(i), java.util.Arrays.copyOfRange(x, i * width, (i + 1) * width));
            }
        }
        return examples.stream().map(e -> featureMemo.get(e.text())).toList();
    }

    private HeadsModel liveHeads(Map<String, ModelVersion> versions) {
        Optional<ModelVersion> v = ModelVersions.live(versions.values(), config.encoder().encoderId());
        if (v.isPresent()) {
            return ModelVersions.heads(v.get());
        }
        return HeadsFile.read(config.baseHeads());
    }

    /** Later than every record so far, so the new record is the newest even if clocks disagree a little. */
    private Instant publishTime(Map<String, ModelVersion> versions) {
        Instant now = clock.instant();
        for (ModelVersion v : versions.values()) {
            Instant t = ModelVersions.publishedAt(v).plusMillis(1);
            if (t.isAfter(now)) {
                now = t;
            }
        }
        return now;
    }

    private void publish(ModelVersion record) {
        try {
            producer.send(new ProducerRecord<>(settings.versionsTopic(), record.getVersion(), record))
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot publish model version " + record.getVersion() + " to "
                    + settings.versionsTopic() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + record.getVersion());
        }
    }

    private Map<String, ModelVersion> readVersions() {
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(consumerProperties(config),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            return ModelVersions.readAll(reader, settings.versionsTopic(),
                    bytes -> versionSerde.deserialize(settings.versionsTopic(), bytes), READ_TIMEOUT);
        }
    }

    private List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            LOG.warn("Topic {} does not exist (yet); not reading it", topic);
            return List.of();
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    static String formatOffsets(Map<Integer, Long> offsets) {
        return new TreeMap<>(offsets).entrySet().stream().map(e -> e.getKey() + ":0-" + e.getValue())
                .collect(Collectors.joining(","));
    }

    static Map<Integer, Long> parseOffsets(String value) {
        Map<Integer, Long> out = new TreeMap<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String part : value.split(",")) {
            String[] pr = part.split(":");
            out.put(Integer.parseInt(pr[0].strip()), Long.parseLong(pr[1].substring(pr[1].indexOf('-') + 1).strip()));
        }
        return out;
    }

    private static String sha256(List<FeedbackExample> examples) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (FeedbackExample e : examples) {
                digest.update((e.eventId() + "\u0000" + e.text() + "\u0000" + e.verdicts() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Creates the versions topic (compacted, one partition) if missing, and lets it hold whole heads
     * files: the broker's default 1 MB record limit is smaller than one MiniLM version.
     */
    static void ensureVersionsTopic(Config config) {
        String topic = config.settings().versionsTopic();
        Properties props = new Properties();
        props.putAll(clientOnly(config.clientProperties(), org.apache.kafka.clients.admin.AdminClientConfig.configNames()));
        try (Admin admin = Admin.create(props)) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_VERSION_BYTES)))))
                        .all().get(30, TimeUnit.SECONDS);
                LOG.info("Created topic {}", topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create " + topic + ": " + e.getCause(), e);
                }
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_VERSION_BYTES)),
                        AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot configure " + topic + ": " + e, e);
        }
    }

    private static Map<String, String> clientOnly(Map<String, String> props, java.util.Set<String> known) {
        Map<String, String> out = new HashMap<>();
        props.forEach((k, v) -> {
            if (known.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Properties consumerProperties(Config config) {
        Properties p = new Properties();
        p.putAll(clientOnly(config.clientProperties(), ConsumerConfig.configNames()));
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(MAX_VERSION_BYTES));
        return p;
    }

    private static KafkaConsumer<String, byte[]> consumer(Config config) {
        Properties p = consumerProperties(config);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "streamguard-retrainer");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<String, ModelVersion> producer(Config config, RegistryClient registry) {
        Properties p = new Properties();
        p.putAll(clientOnly(config.clientProperties(), ProducerConfig.configNames()));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_VERSION_BYTES));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "streamguard-retrainer-publisher");
        AvroSerializer<ModelVersion> serializer = new AvroSerializer<>(registry,
                RegistryConfig.fromMap(config.clientProperties()).serde(), false);
        return new KafkaProducer<>(p, new StringSerializer(), serializer);
    }

    /** The version new candidates start from. */
    public HeadsModel live() {
        return live;
    }

    /** Every retrain so far, oldest first. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    public boolean isRunning() {
        return running && thread != null && thread.isAlive();
    }

    /** Blocks until the loop ends (closed, or failed for good). */
    public void awaitTermination() throws InterruptedException {
        if (thread != null) {
            thread.join();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close(Duration.ofSeconds(2));
        producer.close(Duration.ofSeconds(5));
        encoder.close();
    }
}
