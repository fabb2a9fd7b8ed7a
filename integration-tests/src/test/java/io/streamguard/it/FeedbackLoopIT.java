package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.avro.Decision;
import io.streamguard.avro.Feedback;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.TextEvent;
import io.streamguard.avro.VersionStatus;
import io.streamguard.launcher.client.StreamsRunning;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.training.BuiltinDatasets;
import io.streamguard.model.training.FeatureCache;
import io.streamguard.model.training.Task;
import io.streamguard.retrainer.Gate;
import io.streamguard.retrainer.RetrainTrigger;
import io.streamguard.retrainer.Retrainer;
import io.streamguard.retrainer.RetrainerSettings;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.Worker;
import io.streamguard.topology.WorkerConfig;
import io.streamguard.versions.ModelVersions;
import io.streamguard.versions.ModelVersionsTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feedback loop on the real broker and registry with the trained MiniLM v2 (fine-tuned, the default): moderators' verdicts
 * teach a spam pattern v2 lets through, the retrainer promotes a new version and the running worker
 * labels the pattern with it; a poisoned batch is rejected by the gate; a swap (a rollback) under
 * traffic loses, duplicates and fails nothing.
 *
 * <p>Feedback and versions go to topics of their own (so other tests' workers never see these
 * versions); events flow through the standard pipeline topics, told apart by id prefix.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeedbackLoopIT {

    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final int BATCH_VERDICTS = 60;
    /**
     * The new pattern, fake crypto giveaways, in four parts of eleven wordings each. Text (a, b) takes parts a, b,
     * a + b and a + 2b (mod 11): any two texts share at most one part, so none is a near-copy of another and
     * every held-back verdict is independent evidence for the gate, while each wording is seen in training.
     */
    private static final String[][] CRYPTO = {
        {
            "quick heads up from Mia,",
            "psst, Jonas here with big news:",
            "breaking from the Priya community desk:",
            "Carlos just confirmed it on stream:",
            "official notice for all holders:",
            "my cousin Wen works there and says",
            "giveaway alert from Olga's channel:",
            "verified announcement, pinned by Tariq:",
            "Lena from support messaged me privately:",
            "trending right now in Sven's group:",
            "last call from the Aiko airdrop team:"
        },
        {
            "the solana foundation is mirroring every deposit 2x",
            "dogecoin treasury doubles whatever you send",
            "ether developers return triple for each contribution",
            "bitcoin whale wallet refunds five times your transfer",
            "cardano staking pool pays back 3x instantly",
            "ripple labs matches all incoming coins twice over",
            "tether reserve multiplies payments by four",
            "binance promo credits double your balance immediately",
            "polygon grant program sends back tenfold",
            "litecoin charity fund gives 200 percent returns",
            "shiba community vault repays every token with interest"
        },
        {
            "just transfer to the pinned address",
            "send any amount to the wallet in my bio",
            "deposit through the link below",
            "connect your seed phrase at the claim page",
            "pay into the QR code attached",
            "move funds to this verified escrow",
            "dm me your wallet and send first",
            "use the claim portal with your private key",
            "wire it to the contract address shown",
            "scan the code and approve the transaction",
            "forward coins to the event address"
        },
        {
            "until midnight and keep the receipt",
            "this weekend only, no exceptions",
            "for the next hour while supply lasts",
            "until Sunday before the snapshot",
            "today only, spots are limited",
            "before the countdown ends tonight",
            "first hundred people get it",
            "ends when the bonus pool empties",
            "offer closes at block 900000",
            "hurry, the window closes soon",
            "only during the live event"
        }
    };

    @TempDir
    static Path dir;

    private static String feedbackTopic;
    private static String versionsTopic;
    private static Worker worker;
    private static volatile ClassifierScorer scorer;
    private static Retrainer retrainer;
    private static AvroSerde<TextEvent> textEvents;
    private static AvroSerde<LabeledEvent> labeledEvents;
    private static AvroSerde<Feedback> feedback;
    private static AvroSerde<ModelVersion> versions;

    @BeforeAll
    static void start() {
        SharedStack.get();
        String run = UUID.randomUUID().toString().substring(0, 8);
        feedbackTopic = SharedStack.newTopic("it-feedback", 3);
        versionsTopic = "it-model-versions-" + run; // created by the retrainer, as on a fresh cluster
        textEvents = SharedStack.valueSerde(TextEvent.class);
        labeledEvents = SharedStack.valueSerde(LabeledEvent.class);
        feedback = SharedStack.valueSerde(Feedback.class);
        versions = SharedStack.valueSerde(ModelVersion.class);

        Path home = Path.of(System.getProperty("streamguard.home"));
        Path v2 = home.resolve("models/v2/minilm-l6.json");
        RetrainerSettings settings = RetrainerSettings.defaults()
                .withTopics(feedbackTopic, Topics.TEXT_LABELED, versionsTopic)
                .withTrigger(new RetrainTrigger(BATCH_VERDICTS, Duration.ofHours(1)))
                // 40 % held back: about 24 of the 60 verdicts, so the gate's minimum of 10 independent ones is
                // met whatever the run's random event ids hash to.
                .withTraining(40, 5, 1_500, 5, 1e-3f, 42)
                .withGate(Gate.defaults());
        long t0 = System.nanoTime();
        retrainer = Retrainer.start(new Retrainer.Config(
                Map.of("bootstrap.servers", SharedStack.bootstrap(), "schema.registry.url", SharedStack.registryUrl()),
                EncoderConfig.of(EncoderConfig.MINILM_L6),
                v2,
                new BuiltinDatasets(home.resolve("../shared/datasets").normalize()),
                new FeatureCache(FeatureCache.defaultDir()),
                settings));
        System.out.printf("FeedbackLoopIT: retrainer ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        Map<String, String> p = new HashMap<>(Map.of(
                "bootstrap.servers",
                SharedStack.bootstrap(),
                "schema.registry.url",
                SharedStack.registryUrl(),
                "application.id",
                "it-loop-" + run,
                "state.dir",
                dir.resolve("state").toString(),
                WorkerConfig.WORKER_ID,
                "it-loop",
                WorkerConfig.MODEL_HEADS,
                v2.toString(),
                WorkerConfig.MODEL_VERSIONS_TOPIC,
                versionsTopic,
                WorkerConfig.BATCH_MAX_SIZE,
                "16",
                WorkerConfig.METRICS_PORT,
                "-1"));
        worker = Worker.start(WorkerConfig.of(p), c -> {
            scorer = ClassifierScorer.load(c);
            return scorer;
        });
        StreamsRunning.await("the worker", worker::state, PATIENCE);
        await("worker on v2 from the topic", () -> scorer.heads().version().equals("v2"));
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (retrainer != null) {
            retrainer.close();
        }
    }

    /** Crypto giveaway text {@code i} (0..120): its parts are a = i / 11, b = i % 11, a + b and a + 2b. */
    private static String crypto(int i) {
        int a = i / 11;
        int b = i % 11;
        return CRYPTO[0][a] + " " + CRYPTO[1][b] + " " + CRYPTO[2][(a + b) % 11] + " " + CRYPTO[3][(a + 2 * b) % 11];
    }

    @Test
    @Order(1)
    void feedbackTeachesANewSpamPatternThatIsThenLabeledWithTheNewVersion() throws Exception {
        String prefix = "loop-" + UUID.randomUUID().toString().substring(0, 6);
        // Texts 0..47 are taught, every other one of the rest is for the before/after check.
        List<String> unseen = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            unseen.add(crypto(49 + 7 * i));
        }
        try (Tail<LabeledEvent> labeled = Tail.of(Topics.TEXT_LABELED, labeledEvents);
                KafkaProducer<String, TextEvent> events = producer();
                KafkaProducer<String, Feedback> verdicts = feedbackProducer()) {
            // Before: v2 lets the pattern through.
            Map<String, String> before = send(events, prefix + "-before", unseen);
            List<LabeledEvent> beforeLabels =
                    labeled.awaitValues(r -> before.containsKey(r.value().getId()), unseen.size());
            long allowedByV1 = beforeLabels.stream()
                    .filter(e -> !e.getTriggeredLabels().contains("spam"))
                    .count();
            System.out.printf(
                    "FeedbackLoopIT: v2 lets %d of %d unseen crypto texts through (spam scores %s)%n",
                    allowedByV1,
                    unseen.size(),
                    beforeLabels.stream()
                            .map(e -> String.format("%.2f", e.getScores().get("spam")))
                            .toList());
            assertThat(beforeLabels).extracting(LabeledEvent::getModelVersion).containsOnly("v2");
            // Most of it: the wordings are distinct, and a few read like the SMS spam v2 learned.
            assertThat(allowedByV1).as("v2 allows the pattern").isGreaterThanOrEqualTo(unseen.size() - 4);

            // Half the verdicts judge events that went through the pipeline and carry no text (joined by id).
            List<String> taught = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                taught.add(crypto(i));
            }
            Map<String, String> flowing = send(events, prefix + "-seen", taught.subList(0, 24));
            labeled.await(r -> flowing.containsKey(r.value().getId()), 24);
            List<Feedback> batch = new ArrayList<>();
            flowing.keySet().forEach(id -> batch.add(verdict(id, Map.of("spam", true), null)));
            for (int i = 24; i < 48; i++) {
                batch.add(verdict(prefix + "-fb-" + i, Map.of("spam", true), taught.get(i)));
            }
            List<String> benign = sst2(12);
            for (int i = 0; i < benign.size(); i++) {
                batch.add(verdict(prefix + "-ham-" + i, Map.of("spam", false), benign.get(i)));
            }
            assertThat(batch).hasSize(BATCH_VERDICTS);
            long sent = System.nanoTime();
            sendVerdicts(verdicts, batch);

            Retrainer.Outcome outcome = awaitOutcome(1);
            double seconds = (System.nanoTime() - sent) / 1e9;
            System.out.printf(
                    "FeedbackLoopIT: %s %s %.1f s after the feedback (retrain %d ms): %s%n",
                    outcome.version(),
                    outcome.promoted() ? "PROMOTED" : "REJECTED",
                    seconds,
                    outcome.took().toMillis(),
                    outcome.reason());
            assertThat(outcome.promoted()).as(outcome.reason()).isTrue();
            assertThat(outcome.version()).isEqualTo("v3");
            // Promoted for the right reasons: enough distinct held-back texts, and a significant gain on them.
            assertThat(outcome.heldOutVerdicts()).isGreaterThanOrEqualTo(Gate.MIN_HELD_BACK);
            assertThat(outcome.reason()).contains("independent verdicts (0 near-copies not counted)");
            assertThat(Double.parseDouble(outcome.reason().replaceAll(".*McNemar exact one-sided p=([0-9.]+).*", "$1")))
                    .isLessThanOrEqualTo(Gate.SIGNIFICANCE);
            await("worker swapped to v3", () -> scorer.heads().version().equals("v3"));
            System.out.printf(
                    "FeedbackLoopIT: worker serves v3 %.1f s after the feedback%n", (System.nanoTime() - sent) / 1e9);

            ModelVersion v3 = readVersions().get(ModelVersions.key("minilm-l6", "v3"));
            assertThat(v3.getStatus()).isEqualTo(VersionStatus.PROMOTED);
            assertThat(v3.getParentVersion()).isEqualTo("v2");
            assertThat(v3.getLineage())
                    .containsEntry("parent", "v2")
                    .containsKeys("feedback.offsets", "feedback.sha256", "data.spam.train.sha256")
                    .containsEntry("retrained", "spam");
            assertThat(v3.getMetrics()).containsKeys("spam.f1", "hate.macroF1", "feedback.accuracy");
            // Warm-started from v2: its fine-tuned adapters kept (the heads were refit on the adapted encoder),
            // so the worker swapped heads only.
            assertThat(ModelVersions.heads(v3).adaptersFingerprint())
                    .isNotNull()
                    .isEqualTo(
                            HeadsFile.read(Path.of(System.getProperty("streamguard.home"), "models/v2/minilm-l6.json"))
                                    .adaptersFingerprint());

            // After: the same unseen texts again, now with v3.
            Map<String, String> after = send(events, prefix + "-after", unseen);
            List<LabeledEvent> afterLabels =
                    labeled.awaitValues(r -> after.containsKey(r.value().getId()), unseen.size());
            long caught = afterLabels.stream()
                    .filter(e -> e.getDecision() != Decision.ALLOW
                            && e.getTriggeredLabels().contains("spam"))
                    .count();
            System.out.printf(
                    "FeedbackLoopIT: v3 sends %d of %d unseen crypto texts to review/block (spam scores %s)%n",
                    caught,
                    unseen.size(),
                    afterLabels.stream()
                            .map(e -> String.format("%.2f", e.getScores().get("spam")))
                            .toList());
            assertThat(afterLabels).extracting(LabeledEvent::getModelVersion).containsOnly("v3");
            assertThat(caught).as("v3 catches the pattern").isGreaterThanOrEqualTo(unseen.size() - 2);
            assertThat(caught).as("more than v2").isGreaterThanOrEqualTo(unseen.size() - allowedByV1 + 4);
        }
    }

    @Test
    @Order(2)
    void aPoisonedBatchIsRejectedAndTheRunningVersionStays() throws Exception {
        String prefix = "poison-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> sms = new BuiltinDatasets(Path.of(System.getProperty("streamguard.home"))
                        .resolve("../shared/datasets")
                        .normalize())
                .train(Task.SPAM)
                .texts();
        Random random = new Random(7);
        List<Feedback> batch = new ArrayList<>();
        for (int i = 0; i < BATCH_VERDICTS; i++) {
            batch.add(verdict(
                    prefix + "-" + i,
                    Map.of(
                            "spam",
                            random.nextBoolean(),
                            "hate",
                            random.nextBoolean(),
                            "offensive",
                            random.nextBoolean()),
                    sms.get(100 + i * 7)));
        }
        try (KafkaProducer<String, Feedback> verdicts = feedbackProducer()) {
            sendVerdicts(verdicts, batch);
        }
        Retrainer.Outcome outcome = awaitOutcome(2);
        System.out.printf("FeedbackLoopIT: poisoned candidate %s: %s%n", outcome.version(), outcome.reason());
        assertThat(outcome.promoted()).isFalse();
        assertThat(outcome.reason()).startsWith("rejected:");
        ModelVersion rejected = readVersions().get(ModelVersions.key("minilm-l6", outcome.version()));
        assertThat(rejected.getStatus()).isEqualTo(VersionStatus.REJECTED);
        assertThat(rejected.getReason()).isEqualTo(outcome.reason());
        Map<TopicPartition, Long> published = versionsEndOffsets();
        await("the worker read the rejected version", () -> worker.modelVersionsApplied(published));
        assertThat(scorer.heads().version()).isEqualTo("v3");
        assertThat(retrainer.live().version()).isEqualTo("v3");

        Cli models = models();
        assertThat(models.exit()).as(models.err()).isZero();
        assertThat(models.out())
                .contains("LIVE minilm-l6: v3 since", "* v3       LIVE", "PROMOTED", "rejected:")
                .contains(outcome.version() + "       REJECTED");
        System.out.println("FeedbackLoopIT: streamguard models\n" + models.out());
    }

    @Test
    @Order(3)
    void eventsFlowingThroughARollbackAreLabeledOnceEachWithoutErrors() throws Exception {
        List<ConsumerRecord<String, LabeledEvent>> out = labelThroughASwap("swap", "v2", () -> {
            Cli rollback = models("rollback", "v2");
            assertThat(rollback.exit()).as(rollback.err()).isZero();
            assertThat(rollback.out()).contains("Rolled back minilm-l6 to v2 (was v3)");
            Cli models = models();
            System.out.println("FeedbackLoopIT: streamguard models after the rollback\n" + models.out());
            assertThat(models.exit()).as(models.err()).isZero();
            String user = System.getProperty("user.name") + "@";
            assertThat(models.out())
                    .contains("LIVE minilm-l6: v2 since", "(rollback from v3 by " + user)
                    .contains("* v2       LIVE", "  v3       ROLLED BACK")
                    .containsPattern("v3 +ROLLED BACK +" + Pattern.quote(user))
                    .containsPattern("v2 +RESTORED +" + Pattern.quote(user) + ".* rollback from v3");
        });
        assertSwappedOnce(out, "v3", "v2");
    }

    /**
     * v1 (heads on the frozen encoder, no adapters) published by hand on top of the fine-tuned v2 while events
     * flow: the worker loads the encoder without adapters beside the serving one and switches between batches.
     */
    @Test
    @Order(4)
    void aVersionWithOtherAdaptersPublishedUnderTrafficLoadsItsEncoderAndLosesNothing() throws Exception {
        assertThat(scorer.heads().adapters()).as("v2, fine-tuned, serves").isNotNull();
        Path frozen = Path.of(System.getProperty("streamguard.home")).resolve("models/v1/minilm-l6.json");
        String name = "frozen-" + UUID.randomUUID().toString().substring(0, 4);
        List<ConsumerRecord<String, LabeledEvent>> out = labelThroughASwap("reload", name, () -> {
            Cli publish = models("publish", frozen.toString(), "--as", name);
            assertThat(publish.exit()).as(publish.err()).isZero();
            assertThat(publish.out()).contains("Published " + name + " as the live minilm-l6 version (was v2)");
        });
        assertSwappedOnce(out, "v2", name);
        assertThat(scorer.heads().adapters())
                .as("the frozen encoder serves " + name)
                .isNull();
        Cli again = models("publish", frozen.toString(), "--as", name);
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("version " + name + " of minilm-l6 is already on");
    }

    private static Cli models(String... args) {
        List<String> all = new ArrayList<>(List.of(
                "models",
                "--bootstrap",
                SharedStack.bootstrap(),
                "--registry",
                SharedStack.registryUrl(),
                "--versions-topic",
                versionsTopic));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
    }

    /**
     * 300 events produced over about 6 s, {@code swap} run once the first 60 are labeled, the second half
     * produced once the worker serves {@code to} (while the first is still flowing); returns all 300
     * labeled events after checking each came once, none was dead-lettered and no batch failed.
     */
    private static List<ConsumerRecord<String, LabeledEvent>> labelThroughASwap(String name, String to, Runnable swap)
            throws Exception {
        String prefix = name + "-" + UUID.randomUUID().toString().substring(0, 6);
        int total = 300;
        List<String> texts = sst2(total);
        double failuresBefore =
                worker.meters().counter("streamguard.batch.failures").count();
        try (Tail<LabeledEvent> labeled = Tail.of(Topics.TEXT_LABELED, labeledEvents);
                Tail<byte[]> dlq = Tail.raw(Topics.TEXT_EVENTS_DLQ);
                KafkaProducer<String, TextEvent> events = producer()) {
            CompletableFuture<Void> swapped = new CompletableFuture<>();
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < total; i++) {
                    if (i == total / 2) {
                        // The second half once the worker serves the new version: a swap that loads an encoder
                        // takes seconds, and every key must see both versions.
                        swapped.join();
                    }
                    String key = "k" + (i % 6);
                    String id = prefix + "-" + key + "-" + String.format("%04d", i);
                    events.send(new ProducerRecord<>(
                            Topics.TEXT_EVENTS,
                            key,
                            TextEvent.newBuilder()
                                    .setId(id)
                                    .setText(texts.get(i))
                                    .build()));
                    sleepQuietly(20);
                }
                events.flush();
            });
            Predicate<ConsumerRecord<String, LabeledEvent>> ours =
                    r -> r.value() != null && r.value().getId().startsWith(prefix);
            List<ConsumerRecord<String, LabeledEvent>> out = new ArrayList<>(labeled.await(ours, 60));
            swap.run();
            await("the worker serves " + to, () -> scorer.heads().version().equals(to));
            swapped.complete(null);
            producing.get(2, TimeUnit.MINUTES);
            out.addAll(labeled.await(ours, total - out.size()));
            Committed.awaitIdle(worker.config().get("application.id"));
            out.addAll(labeled.readToEnd(ours));

            assertThat(out)
                    .extracting(r -> r.value().getId())
                    .doesNotHaveDuplicates()
                    .hasSize(total);
            assertThat(dlq.drain(r -> r.key() != null && r.key().startsWith(prefix)))
                    .as("dead letters")
                    .isEmpty();
            assertThat(worker.meters().counter("streamguard.batch.failures").count())
                    .isEqualTo(failuresBefore);
            return out;
        }
    }

    /** Both versions labeled some events, and every key went from {@code from} to {@code to} at most once. */
    private static void assertSwappedOnce(List<ConsumerRecord<String, LabeledEvent>> out, String from, String to) {
        Map<String, Long> byVersion =
                out.stream().collect(Collectors.groupingBy(r -> r.value().getModelVersion(), Collectors.counting()));
        System.out.printf("FeedbackLoopIT: %d events through the swap, by version %s%n", out.size(), byVersion);
        assertThat(byVersion.keySet()).containsExactlyInAnyOrder(from, to);
        Map<String, List<String>> versionsByKey = out.stream()
                .collect(Collectors.groupingBy(
                        ConsumerRecord::key,
                        LinkedHashMap::new,
                        Collectors.mapping(r -> r.value().getModelVersion(), Collectors.toList())));
        versionsByKey.forEach((key, seq) -> {
            int switches = 0;
            for (int i = 1; i < seq.size(); i++) {
                if (!seq.get(i).equals(seq.get(i - 1))) {
                    switches++;
                }
            }
            assertThat(switches)
                    .as("key " + key + " swaps once, " + from + " -> " + to + ": " + seq)
                    .isLessThanOrEqualTo(1);
            assertThat(seq.get(seq.size() - 1)).isEqualTo(to);
        });
    }

    private static Retrainer.Outcome awaitOutcome(int n) {
        await(n + " retrain outcome(s)", () -> retrainer.outcomes().size() >= n);
        return retrainer.outcomes().get(n - 1);
    }

    private static Feedback verdict(String id, Map<String, Boolean> labels, String text) {
        return Feedback.newBuilder()
                .setEventId(id)
                .setVerdicts(labels)
                .setModerator("it")
                .setTime(Instant.now())
                .setText(text)
                .build();
    }

    private static Map<String, String> send(
            KafkaProducer<String, TextEvent> producer, String prefix, List<String> texts) throws Exception {
        Map<String, String> sent = new LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            String id = prefix + "-" + i;
            producer.send(new ProducerRecord<>(
                            Topics.TEXT_EVENTS,
                            id,
                            TextEvent.newBuilder()
                                    .setId(id)
                                    .setText(texts.get(i))
                                    .build()))
                    .get();
            sent.put(id, texts.get(i));
        }
        return sent;
    }

    private static void sendVerdicts(KafkaProducer<String, Feedback> producer, List<Feedback> batch) throws Exception {
        for (Feedback f : batch) {
            producer.send(new ProducerRecord<>(feedbackTopic, f.getEventId(), f));
        }
        producer.flush();
    }

    private static Map<String, ModelVersion> readVersions() {
        Properties p = SharedStack.readCommittedProps();
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, ModelVersionsTopic.MAX_RECORD_BYTES);
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            return ModelVersionsTopic.readAll(
                    c,
                    versionsTopic,
                    b -> versions.deserializer().deserialize(versionsTopic, b),
                    Duration.ofSeconds(30));
        }
    }

    /** End offsets of the model-versions topic now: what the worker must have read to have seen every version. */
    private static Map<TopicPartition, Long> versionsEndOffsets() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                SharedStack.readCommittedProps(), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(versionsTopic).stream()
                    .map(info -> new TopicPartition(versionsTopic, info.partition()))
                    .toList();
            return c.endOffsets(partitions);
        }
    }

    private static List<String> sst2(int n) throws Exception {
        Path file = Path.of(System.getProperty("streamguard.home"), "..", "shared", "datasets", "sst2", "dev.tsv");
        try (var lines = Files.lines(file)) {
            return lines.skip(1)
                    .map(l -> l.substring(l.indexOf('\t') + 1))
                    .limit(n)
                    .toList();
        }
    }

    private static KafkaProducer<String, TextEvent> producer() {
        Properties p = SharedStack.producerProps();
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(p, new StringSerializer(), textEvents.serializer());
    }

    private static KafkaProducer<String, Feedback> feedbackProducer() {
        return new KafkaProducer<>(SharedStack.producerProps(), new StringSerializer(), feedback.serializer());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " in time").isLessThan(deadline);
            sleepQuietly(100);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
