package io.streamguard.retrainer;

import io.streamguard.avro.Feedback;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.language.Language;
import io.streamguard.model.training.BuiltinDatasets;
import io.streamguard.model.training.FeatureCache;
import io.streamguard.model.training.ProgressListener;
import io.streamguard.model.training.Task;
import io.streamguard.schemas.serde.AvroDeserializer;
import io.streamguard.versions.ModelVersionsTopic;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retraining sidecar: moderator feedback in, gated model versions out.
 *
 * <p>One plain consumer, manually assigned (no group: the retrainer's state is rebuilt from the
 * topics on every start), reads {@code moderation-feedback} from the beginning and the last
 * {@code textRetention} of {@code text-labeled}, whose texts it keeps in memory keyed by event id
 * ({@link FeedbackLog}). It retrains one encoder's versions, on the original data of that encoder's language
 * ({@link BaseData}), with the verdicts on events that encoder scored ({@link FeedbackRouting}): a Chinese
 * encoder's retrainer skips verdicts on English texts and an English one's those on Chinese texts (counted,
 * never a trigger). When the {@link RetrainTrigger} fires it trains a candidate from the live
 * version on the loop thread ({@link CandidateTrainer}), judges it ({@link Gate}) against the live
 * version on the validation splits and the held-back feedback, and publishes it to
 * {@code model-versions} as PROMOTED (workers swap to it) or REJECTED (with the reason), with its
 * lineage: parent, feedback offsets used, data hashes.
 *
 * <p>Verdicts already used by a version it published before a restart do not trigger again: the
 * feedback offsets in its latest record's lineage mark where the new ones start.
 *
 * <p>This class is the lifecycle and the poll loop; a retrain is {@link Retraining}, the clients are
 * {@link RetrainerClients}. Failures to publish stop the loop with a {@link RetrainerException}.
 */
public final class Retrainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Retrainer.class);
    private static final int MAX_TEXTS = 2_000_000;
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long EXPIRY_INTERVAL_MS = 60_000;
    /** The labeled event's field naming the encoder that scored it. */
    static final String ENCODER_NAME = "encoderName";

    /**
     * Where and what the retrainer runs on.
     *
     * @param clientProperties Kafka client settings (bootstrap.servers, security) plus the registry's
     *     (schema.registry.url, ...)
     * @param encoder the encoder workers run; only its versions are retrained
     * @param baseHeads the version to start from while {@code model-versions} has none for the encoder
     * @param languageOf a text's language, routing verdicts whose labeled event does not say which encoder
     *     scored it ({@link TextLanguage} unless the pipeline's detector is given)
     */
    public record Config(
            Map<String, String> clientProperties,
            EncoderConfig encoder,
            Path baseHeads,
            BuiltinDatasets datasets,
            FeatureCache cache,
            RetrainerSettings settings,
            Function<String, Language> languageOf) {
        public Config {
            clientProperties = Map.copyOf(clientProperties);
            Objects.requireNonNull(encoder, "encoder");
            Objects.requireNonNull(baseHeads, "baseHeads");
            Objects.requireNonNull(datasets, "datasets");
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(languageOf, "languageOf");
        }

        /** With the default text language guess, {@link TextLanguage}. */
        public Config(
                Map<String, String> clientProperties,
                EncoderConfig encoder,
                Path baseHeads,
                BuiltinDatasets datasets,
                FeatureCache cache,
                RetrainerSettings settings) {
            this(clientProperties, encoder, baseHeads, datasets, cache, settings, TextLanguage.DEFAULT);
        }

        /** This config with {@code languageOf} routing verdicts by their texts, e.g. the pipeline's detector. */
        public Config withLanguageOf(Function<String, Language> languageOf) {
            return new Config(clientProperties, encoder, baseHeads, datasets, cache, settings, languageOf);
        }
    }

    /** What one retrain did. */
    public record Outcome(
            String version,
            String parent,
            boolean promoted,
            String reason,
            int trainVerdicts,
            int heldOutVerdicts,
            Duration took) {}

    private final RetrainerSettings settings;
    private final Clock clock;
    private final Consumer<String, byte[]> consumer;
    private final Deserializer<Feedback> feedbackSerde;
    private final Deserializer<LabeledEvent> labeledSerde;
    private final Retraining retraining;
    private final ModelVersionsTopic versions;
    private final AutoCloseable encoder;
    private final FeedbackLog log;
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private Thread thread;
    private Instant lastRetrain;
    private long lastExpiry;
    private long reportedOtherVerdicts;

    /**
     * @param consumer reads feedback and labeled events; assigned and positioned by {@link #init()}
     * @param routing which verdicts are this retrainer's
     * @param encoder closed with the retrainer
     */
    Retrainer(
            RetrainerSettings settings,
            Clock clock,
            Consumer<String, byte[]> consumer,
            Deserializer<Feedback> feedbackSerde,
            Deserializer<LabeledEvent> labeledSerde,
            Retraining retraining,
            ModelVersionsTopic versions,
            FeedbackRouting routing,
            AutoCloseable encoder) {
        this.settings = settings;
        this.clock = clock;
        this.consumer = consumer;
        this.feedbackSerde = feedbackSerde;
        this.labeledSerde = labeledSerde;
        this.retraining = retraining;
        this.versions = versions;
        this.encoder = encoder;
        this.log = new FeedbackLog(settings.textRetention(), MAX_TEXTS, routing);
    }

    /**
     * Loads the encoder, finds the live version (publishing the base version if there is none), and starts
     * the loop thread, which reads the base data's features first (a second from the feature cache, minutes
     * of encoding without it) and then consumes what is already on the topics and what comes.
     *
     * @throws RetrainerException if the versions topic cannot be created or the base version published
     */
    public static Retrainer start(Config config) {
        RetrainerClients clients = new RetrainerClients(config.clientProperties());
        clients.ensureVersionsTopic(config.settings().versionsTopic());
        // With the base version's fine-tuned adapters merged, if it has any: its heads read that encoder.
        LoadedEncoder encoder = EncoderFactory.create(
                config.encoder(), HeadsFile.read(config.baseHeads()).adapters());
        return start(config, clients, encoder, encoder);
    }

    /**
     * {@link #start(Config)} on an encoder already loaded in this process (thread-safe, as every
     * encoder is), such as a worker's: no second copy of the weights. The retrainer does not close it;
     * close the retrainer first.
     *
     * @throws IllegalArgumentException if {@code shared} is not the encoder of {@code config}
     */
    public static Retrainer start(Config config, LoadedEncoder shared) {
        String id = shared.encoder().info().id();
        if (!id.equals(config.encoder().encoderId())) {
            throw new IllegalArgumentException("the shared encoder is " + id + ", the retrainer's "
                    + config.encoder().encoderId());
        }
        RetrainerClients clients = new RetrainerClients(config.clientProperties());
        clients.ensureVersionsTopic(config.settings().versionsTopic());
        return start(config, clients, shared, () -> {});
    }

    /** @param owned closed with the retrainer (or here if it fails to start) */
    private static Retrainer start(
            Config config, RetrainerClients clients, LoadedEncoder encoder, AutoCloseable owned) {
        RetrainerSettings s = config.settings();
        Retrainer retrainer = null;
        ModelVersionsTopic versions = null;
        try {
            AtomicReference<Retrainer> self = new AtomicReference<>();
            // Closing stops a cold cache's encoding at its next batch instead of after minutes.
            ProgressListener stopOnClose = (done, total, elapsed) -> {
                Retrainer r = self.get();
                if (r != null && !r.running) {
                    throw new CancellationException("the retrainer is closing");
                }
            };
            // The tasks of the encoder's language that the live heads have.
            Function<List<Task>, BaseData> base = tasks -> {
                long started = System.nanoTime();
                BaseData data = BaseData.load(
                        encoder, tasks, config.cache(), config.datasets(), s.samplePerTask(), s.seed(), stopOnClose);
                LOG.info("Base data ready in {} ms", (System.nanoTime() - started) / 1_000_000);
                return data;
            };
            versions = clients.versions(s.versionsTopic());
            Clock clock = Clock.systemUTC();
            Retraining retraining = new Retraining(
                    s,
                    config.encoder().encoderId(),
                    config.baseHeads(),
                    base,
                    new FeedbackFeatures(encoder),
                    versions,
                    clock);
            retrainer = new Retrainer(
                    s,
                    clock,
                    clients.consumer(),
                    AvroDeserializer.specific(Feedback.class, clients.registry()),
                    AvroDeserializer.specific(LabeledEvent.class, clients.registry()),
                    retraining,
                    versions,
                    new FeedbackRouting(config.encoder().encoderId(), config.languageOf()),
                    owned);
            retrainer.init();
            self.set(retrainer);
            retrainer.running = true;
            retrainer.thread = new Thread(retrainer::loop, "streamguard-retrainer");
            retrainer.thread.start();
            return retrainer;
        } catch (RuntimeException e) {
            if (retrainer != null) {
                retrainer.close();
            } else {
                if (versions != null) {
                    versions.close();
                }
                closeQuietly(owned);
            }
            throw e;
        }
    }

    /** Finds the live version, then assigns the feedback (from the beginning) and the recent labeled events. */
    void init() {
        HeadsModel live = retraining.prepare(log);
        List<TopicPartition> feedback = partitions(settings.feedbackTopic());
        List<TopicPartition> labeled = partitions(settings.labeledTopic());
        List<TopicPartition> all = new ArrayList<>(feedback);
        all.addAll(labeled);
        consumer.assign(all);
        consumer.seekToBeginning(feedback);
        long from = clock.millis() - settings.textRetention().toMillis();
        Map<TopicPartition, Long> times = new HashMap<>();
        labeled.forEach(tp -> times.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets =
                labeled.isEmpty() ? Map.of() : consumer.offsetsForTimes(times);
        // No record newer than the window: start at the end as it is now. seekToEnd would be resolved at the
        // first poll, which waits for the base data (a minute of encoding without a feature cache), and would
        // then skip every event labeled meanwhile, so verdicts on them never found their texts.
        Map<TopicPartition, Long> ends = labeled.isEmpty() ? Map.of() : consumer.endOffsets(labeled);
        for (TopicPartition tp : labeled) {
            OffsetAndTimestamp at = offsets.get(tp);
            consumer.seek(tp, at != null ? at.offset() : ends.getOrDefault(tp, 0L));
        }
        lastRetrain = clock.instant();
        lastExpiry = clock.millis();
        LOG.info(
                "Retrainer ready: live version {} of {} ({}: only verdicts on events it scored count); feedback from {},"
                        + " texts from {} (last {})",
                live.version(),
                live.encoderId(),
                Language.ofEncoder(live.encoderId()).displayName(),
                settings.feedbackTopic(),
                settings.labeledTopic(),
                settings.textRetention());
    }

    private void loop() {
        try {
            retraining.base(); // before the first poll, in the background of start()
            while (running) {
                pollOnce();
            }
        } catch (WakeupException | CancellationException e) {
            // closing
        } catch (RuntimeException e) {
            if (!running) {
                return; // closed while reading the base data: whatever failed, it was on its way out
            }
            LOG.error("Retrainer stopped", e);
            running = false;
        }
    }

    /** One turn of the loop: consume what arrived, expire old texts, retrain if the trigger says so. */
    void pollOnce() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
            accept(r);
        }
        long now = clock.millis();
        if (now - lastExpiry > EXPIRY_INTERVAL_MS) {
            log.expire(now);
            lastExpiry = now;
            if (log.otherVerdicts() != reportedOtherVerdicts) {
                reportedOtherVerdicts = log.otherVerdicts();
                LOG.info(
                        "{} verdicts skipped so far: their events were scored by another encoder than {} (or their"
                                + " texts are not {})",
                        reportedOtherVerdicts,
                        retraining.live().encoderId(),
                        Language.ofEncoder(retraining.live().encoderId()).displayName());
            }
        }
        if (settings.trigger().due(log.newVerdicts(), lastRetrain, clock.instant())) {
            retrain();
        }
    }

    private void accept(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            if (r.topic().equals(settings.feedbackTopic())) {
                Feedback f = feedbackSerde.deserialize(r.topic(), r.value());
                log.addFeedback(
                        f.getEventId(),
                        f.getVerdicts(),
                        f.getText(),
                        r.partition(),
                        r.offset(),
                        f.getTime().toEpochMilli());
            } else {
                LabeledEvent e = labeledSerde.deserialize(r.topic(), r.value());
                log.addText(
                        e.getId(),
                        e.getText(),
                        optionalString(e, ENCODER_NAME),
                        e.getLanguage() != null ? e.getLanguage().toString() : null,
                        r.timestamp());
            }
        } catch (RuntimeException e) {
            LOG.warn("Skipping {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
        }
    }

    /**
     * A string field a record's schema may not have yet (a labeled event's {@value #ENCODER_NAME} before the
     * schema carries it): null if absent or null.
     */
    static String optionalString(GenericRecord record, String field) {
        Schema.Field f = record.getSchema().getField(field);
        Object value = f == null ? null : record.get(f.pos());
        return value == null ? null : value.toString();
    }

    /** Trains, judges and publishes one candidate from everything consumed so far. */
    Outcome retrain() {
        Instant now = clock.instant();
        String why = settings.trigger().why(log.newVerdicts(), lastRetrain, now);
        lastRetrain = now;
        Outcome outcome = retraining.retrain(log, why);
        Outcome last = outcomes.isEmpty() ? null : outcomes.get(outcomes.size() - 1);
        // A skip that repeats itself (the verdicts wait for a restart) is one outcome, not one per poll.
        if (last == null
                || outcome.version() != null
                || last.version() != null
                || !outcome.parent().equals(last.parent())
                || !outcome.reason().equals(last.reason())) {
            outcomes.add(outcome);
        }
        return outcome;
    }

    private List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            LOG.warn("Topic {} does not exist (yet); not reading it", topic);
            return List.of();
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** The version new candidates start from. */
    public HeadsModel live() {
        return retraining.live();
    }

    /** Every retrain so far, oldest first. */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Verdicts consumed since the last retrain (or since the latest published version's offsets). */
    int newVerdicts() {
        return log.newVerdicts();
    }

    /** Verdicts skipped because another encoder scored their events (see {@link FeedbackLog#otherVerdicts}). */
    public long otherVerdicts() {
        return log.otherVerdicts();
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
        versions.close();
        closeQuietly(encoder);
    }

    private static void closeQuietly(AutoCloseable encoder) {
        try {
            encoder.close();
        } catch (Exception e) {
            LOG.warn("Closing the encoder failed: {}", e.toString());
        }
    }
}
