package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.avro.Decision;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.TextEvent;
import io.streamguard.launcher.StreamGuardCli;
import io.streamguard.launcher.client.StreamsRunning;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.Encoding;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import io.streamguard.topology.BatchScorer;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.DeadLetterReason;
import io.streamguard.topology.ScoredText;
import io.streamguard.topology.Worker;
import io.streamguard.topology.WorkerConfig;
import io.streamguard.topology.testing.SeededHeads;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The labeling pipeline on the real KRaft broker and Apicurio registry under exactly_once_v2, with
 * the real MiniLM encoder and seeded (untrained) heads: every text labeled once, in per-key order,
 * every dead-letter class with its original bytes and coordinates, hot policy changes through the
 * CLI, and a worker JVM killed mid-batch.
 *
 * <p>The topologies use the standard topic names, so tests tell their records apart by id prefix
 * and by the worker id written into every labeled event.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static final String MARKER = "this text makes the engine fail";
    private static final String SHARED_WORKER = "it-shared";
    private static final int MAX_TEXT_BYTES = 2_000;
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    @TempDir
    static Path dir;

    private static Path heads;
    private static ClassifierScorer scorer;
    private static BertTokenizer tokenizer;
    private static Worker worker;
    private static AvroSerde<TextEvent> textEvents;
    private static AvroSerde<LabeledEvent> labeledEvents;

    @BeforeAll
    static void start() {
        SharedStack.get();
        heads = dir.resolve("seeded-minilm.json");
        SeededHeads.minilm("seeded-it", 11, 128, heads);
        WorkerConfig config = workerConfig(
                "it-pipeline-" + UUID.randomUUID(),
                SHARED_WORKER,
                dir.resolve("shared"),
                Map.of(WorkerConfig.BATCH_MAX_SIZE, "16", WorkerConfig.DLQ_MAX_TEXT_BYTES, "" + MAX_TEXT_BYTES));
        scorer = ClassifierScorer.load(config);
        tokenizer = EncoderFactory.tokenizer(config.encoderConfig());
        worker = startWorker(config, failingOn(MARKER));
        textEvents = SharedStack.valueSerde(TextEvent.class);
        labeledEvents = SharedStack.valueSerde(LabeledEvent.class);
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (scorer != null) {
            scorer.close();
        }
    }

    private static WorkerConfig workerConfig(
            String applicationId, String workerId, Path stateDir, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(Map.of(
                "bootstrap.servers",
                SharedStack.bootstrap(),
                "schema.registry.url",
                SharedStack.registryUrl(),
                "application.id",
                applicationId,
                "state.dir",
                stateDir.toString(),
                // A killed member must leave the group in seconds, not the default 45.
                "session.timeout.ms",
                "6000",
                "heartbeat.interval.ms",
                "1500",
                WorkerConfig.WORKER_ID,
                workerId,
                WorkerConfig.MODEL_HEADS,
                heads.toString(),
                WorkerConfig.METRICS_PORT,
                "-1"));
        p.putAll(extra);
        return WorkerConfig.of(p);
    }

    private static Worker startWorker(WorkerConfig config, BatchScorer model) {
        Worker started = Worker.start(config, c -> model);
        StreamsRunning.await("the worker", started::state, PATIENCE);
        return started;
    }

    /** The shared MiniLM scorer, failing any call that holds {@code marker}; never closes it. */
    private static BatchScorer failingOn(String marker) {
        int[] poison = tokenizer.encode(marker).ids();
        return new BatchScorer() {
            @Override
            public List<ScoredText> score(List<Encoding> encodings) {
                for (Encoding e : encodings) {
                    if (Arrays.equals(Arrays.copyOf(e.ids(), e.length()), poison)) {
                        throw new IllegalStateException("simulated engine failure");
                    }
                }
                return scorer.score(encodings);
            }

            @Override
            public String vocabHash() {
                return scorer.vocabHash();
            }
        };
    }

    @Test
    @Order(1)
    void aThousandEventsAreLabeledOnceInPerKeyOrderWithConsistentReviewAndBlockedCopies() throws Exception {
        String prefix = "thousand-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> texts = sst2Texts();
        try (Tail<LabeledEvent> labeled = Tail.of(Topics.TEXT_LABELED, labeledEvents);
                Tail<LabeledEvent> review = Tail.of(Topics.MODERATION_REVIEW, labeledEvents);
                Tail<LabeledEvent> blocked = Tail.of(Topics.MODERATION_BLOCKED, labeledEvents);
                KafkaProducer<String, TextEvent> producer = producer()) {
            Map<String, Integer> partitionOfKey = new HashMap<>();
            List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String key = "k" + (i % 12);
                String id = prefix + "-" + key + "-" + String.format("%04d", i);
                TextEvent event = TextEvent.newBuilder()
                        .setId(id)
                        .setText(texts.get(i % texts.size()))
                        .build();
                CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
                producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS, key, event), (m, e) -> {
                    if (e != null) {
                        sent.completeExceptionally(e);
                    } else {
                        sent.complete(m);
                    }
                });
                sends.add(sent);
            }
            producer.flush();
            for (int i = 0; i < sends.size(); i++) {
                partitionOfKey.put("k" + (i % 12), sends.get(i).get().partition());
            }
            assertThat(Set.copyOf(partitionOfKey.values()))
                    .as("keys spread over partitions")
                    .hasSizeGreaterThan(1);

            long started = System.nanoTime();
            List<ConsumerRecord<String, LabeledEvent>> out =
                    labeled.await(r -> r.value().getId().startsWith(prefix), 1000);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    "PipelineIT: 1000 events labeled in %.1f s after the last send (%.0f events/s)%n",
                    seconds, 1000 / seconds);
            Committed.awaitIdle(worker.config().get("application.id"));
            out = new ArrayList<>(out);
            out.addAll(labeled.readToEnd(r -> r.value().getId().startsWith(prefix)));

            assertThat(out).hasSize(1000);
            assertThat(out).extracting(r -> r.value().getId()).doesNotHaveDuplicates();
            Map<String, List<Integer>> seqByKey = new LinkedHashMap<>();
            for (ConsumerRecord<String, LabeledEvent> r : out) {
                LabeledEvent e = r.value();
                assertThat(e.getId()).startsWith(prefix + "-" + r.key() + "-");
                assertThat(r.partition()).isEqualTo(partitionOfKey.get(r.key()));
                assertThat(e.getModelVersion()).isEqualTo("seeded-it");
                assertThat(e.getWorkerId()).isEqualTo(SHARED_WORKER);
                assertThat(e.getScores()).containsOnlyKeys("offensive", "hate", "spam");
                assertThat(e.getSentiment()).isNotNull();
                assertThat(e.getTimings().getBatchSize()).isBetween(1, 16);
                seqByKey.computeIfAbsent(r.key(), k -> new ArrayList<>())
                        .add(Integer.parseInt(e.getId().substring(e.getId().lastIndexOf('-') + 1)));
            }
            seqByKey.forEach(
                    (key, seqs) -> assertThat(seqs).as("order of key " + key).isSorted());
            assertThat(out)
                    .extracting(r -> r.value().getTimings().getBatchSize())
                    .as("micro-batches formed under load")
                    .anyMatch(size -> size > 1);

            Set<String> shouldReview = ids(out, Decision.REVIEW);
            Set<String> shouldBlock = ids(out, Decision.BLOCK);
            assertThat(shouldReview.size() + shouldBlock.size())
                    .as("seeded heads trigger something")
                    .isPositive();
            Predicate<ConsumerRecord<String, LabeledEvent>> ours =
                    r -> r.value().getId().startsWith(prefix);
            assertThat(review.await(ours, shouldReview.size()))
                    .extracting(r -> r.value().getId())
                    .containsExactlyInAnyOrderElementsOf(shouldReview);
            assertThat(blocked.await(ours, shouldBlock.size()))
                    .extracting(r -> r.value().getId())
                    .containsExactlyInAnyOrderElementsOf(shouldBlock);
            assertThat(review.drain(ours)).as("no extra review copies").isEmpty();
            assertThat(blocked.drain(ours)).as("no extra blocked copies").isEmpty();
        }
    }

    @Test
    @Order(2)
    void everyDeadLetterClassGoesToTheDlqWithItsBytesCoordinatesAndReason() throws Exception {
        String prefix = "dlq-" + UUID.randomUUID().toString().substring(0, 6);
        byte[] good = textEvents
                .serializer()
                .serialize(
                        Topics.TEXT_EVENTS,
                        TextEvent.newBuilder()
                                .setId(prefix + "-template")
                                .setText("a perfectly fine text")
                                .build());
        byte[] badMagic = good.clone();
        badMagic[0] = 7;
        byte[] unknownId = good.clone();
        unknownId[1] = 0x7f; // schema id 0x7f...: never registered
        byte[] truncated = Arrays.copyOf(good, good.length - 3);

        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put(prefix + "-magic", badMagic);
        bad.put(prefix + "-unknown-id", unknownId);
        bad.put(prefix + "-truncated", truncated);
        bad.put(prefix + "-null", null);
        bad.put(prefix + "-empty", event(prefix + "-empty", "   "));
        bad.put(prefix + "-large", event(prefix + "-large", "x".repeat(MAX_TEXT_BYTES + 1)));
        bad.put(prefix + "-inference", event(prefix + "-inference", MARKER));
        Map<String, String> reasons = Map.of(
                prefix + "-magic", DeadLetterReason.BAD_MAGIC_BYTE.name(),
                prefix + "-unknown-id", DeadLetterReason.UNKNOWN_SCHEMA_ID.name(),
                prefix + "-truncated", DeadLetterReason.CORRUPT_AVRO.name(),
                prefix + "-null", DeadLetterReason.NULL_VALUE.name(),
                prefix + "-empty", DeadLetterReason.EMPTY_TEXT.name(),
                prefix + "-large", DeadLetterReason.TEXT_TOO_LARGE.name(),
                prefix + "-inference", DeadLetterReason.INFERENCE_FAILED.name());

        Map<String, RecordMetadata> where = new HashMap<>();
        try (Tail<byte[]> dlq = Tail.raw(Topics.TEXT_EVENTS_DLQ);
                Tail<LabeledEvent> labeled = Tail.of(Topics.TEXT_LABELED, labeledEvents);
                KafkaProducer<String, byte[]> producer = rawProducer()) {
            int n = 0;
            for (Map.Entry<String, byte[]> e : bad.entrySet()) {
                where.put(
                        e.getKey(),
                        producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS, e.getKey(), e.getValue()))
                                .get());
                String okId = prefix + "-ok-" + n++;
                producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS, okId, event(okId, "fine text number " + n)))
                        .get();
            }

            List<ConsumerRecord<String, byte[]>> dead =
                    dlq.await(r -> r.key() != null && r.key().startsWith(prefix), bad.size());
            assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(bad.keySet());
            for (ConsumerRecord<String, byte[]> d : dead) {
                RecordMetadata source = where.get(d.key());
                assertThat(header(d, DeadLetterReason.HEADER)).as(d.key()).isEqualTo(reasons.get(d.key()));
                assertThat(d.value()).as(d.key() + " original bytes").isEqualTo(bad.get(d.key()));
                assertThat(header(d, "__streams.errors.topic")).isEqualTo(Topics.TEXT_EVENTS);
                assertThat(header(d, "__streams.errors.partition"))
                        .as(d.key())
                        .isEqualTo(Integer.toString(source.partition()));
                assertThat(header(d, "__streams.errors.offset")).as(d.key()).isEqualTo(Long.toString(source.offset()));
                assertThat(header(d, "__streams.errors.exception")).isNotBlank();
            }
            assertThat(labeled.await(r -> r.value().getId().startsWith(prefix + "-ok-"), bad.size()))
                    .as("the stream keeps running around bad records")
                    .hasSize(bad.size());
            assertThat(worker.meters()
                            .find("streamguard.dlq.records")
                            .tag("reason", "CORRUPT_AVRO")
                            .counter())
                    .isNotNull();
        }
    }

    @Test
    @Order(3)
    void policyChangesThroughTheCliApplyWithoutRestartAndAreVersioned() throws Exception {
        String prefix = "policy-" + UUID.randomUUID().toString().substring(0, 6);
        try (Tail<LabeledEvent> labeled = Tail.of(Topics.TEXT_LABELED, labeledEvents);
                KafkaProducer<String, TextEvent> producer = producer()) {
            Cli set = Cli.run(
                    "policy",
                    "set",
                    "--label",
                    "hate",
                    "--review",
                    "0",
                    "--block",
                    "0",
                    "--description",
                    "block everything",
                    "--bootstrap",
                    SharedStack.bootstrap(),
                    "--registry",
                    SharedStack.registryUrl());
            assertThat(set.exit()).as(set.err()).isZero();
            String version = set.out().replaceAll("(?s)^Policy 'default' (\\S+) set.*$", "$1");
            LabeledEvent blocked = awaitVersion(labeled, producer, prefix + "-a", version);
            assertThat(blocked.getDecision()).isEqualTo(Decision.BLOCK);
            assertThat(blocked.getTriggeredLabels()).containsExactly("hate");

            Cli off = Cli.run(
                    "policy",
                    "set",
                    "--label",
                    "hate",
                    "--disable",
                    "--label",
                    "offensive",
                    "--disable",
                    "--label",
                    "spam",
                    "--disable",
                    "--bootstrap",
                    SharedStack.bootstrap(),
                    "--registry",
                    SharedStack.registryUrl());
            assertThat(off.exit()).as(off.err()).isZero();
            String next = off.out().replaceAll("(?s)^Policy 'default' (\\S+) set.*$", "$1");
            assertThat(next).isNotEqualTo(version);
            LabeledEvent allowed = awaitVersion(labeled, producer, prefix + "-b", next);
            assertThat(allowed.getDecision()).isEqualTo(Decision.ALLOW);

            Cli show = Cli.run(
                    "policy",
                    "show",
                    "--json",
                    "--bootstrap",
                    SharedStack.bootstrap(),
                    "--registry",
                    SharedStack.registryUrl());
            assertThat(show.out()).contains("\"version\" : \"" + next + "\"").contains("\"enabled\" : false");
            Cli inForce = Cli.run(
                    "policy", "show", "--bootstrap", SharedStack.bootstrap(), "--registry", SharedStack.registryUrl());
            assertThat(inForce.out()).containsPattern("(?m)^hate\\s+off\\s+off\\s+policy " + next + "$");

            Cli reset = Cli.run(
                    "policy", "reset", "--bootstrap", SharedStack.bootstrap(), "--registry", SharedStack.registryUrl());
            assertThat(reset.exit()).as(reset.err()).isZero();
            String model = reset.out().replaceAll("(?s)^Policy 'default' (\\S+) set.*$", "$1");
            // Decided under the reset version, i.e. by the model's thresholds again (awaitVersion fails otherwise).
            awaitVersion(labeled, producer, prefix + "-c", model);
        } finally {
            // Back to the model's thresholds for whatever runs next on this stack.
            try (KafkaProducer<String, byte[]> producer = rawProducer()) {
                producer.send(new ProducerRecord<>(Topics.MODERATION_POLICY, "default", null))
                        .get();
            }
        }
    }

    /** Sends probe events until one is decided under policy {@code version}; returns it. */
    private static LabeledEvent awaitVersion(
            Tail<LabeledEvent> labeled, KafkaProducer<String, TextEvent> producer, String prefix, String version)
            throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int i = 0; System.nanoTime() < deadline; i++) {
            String id = prefix + "-" + i;
            producer.send(new ProducerRecord<>(
                            Topics.TEXT_EVENTS,
                            id,
                            TextEvent.newBuilder()
                                    .setId(id)
                                    .setText("probe text " + i)
                                    .build()))
                    .get();
            LabeledEvent e =
                    labeled.await(r -> r.value().getId().equals(id), 1).get(0).value();
            if (version.equals(e.getPolicyVersion())) {
                return e;
            }
        }
        throw new AssertionError("policy " + version + " never applied");
    }

    @Test
    @Order(4)
    void aWorkerKilledMidBatchLosesAndDuplicatesNothingForReadCommittedConsumers() throws Exception {
        worker.close(); // the shared worker would label these events too, under its own group
        String prefix = "crash-" + UUID.randomUUID().toString().substring(0, 6);
        String app = "it-crash-" + UUID.randomUUID();
        Path state = dir.resolve("crash-state");
        Path properties = dir.resolve("crash-worker.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "application.id=" + app,
                        "auto.offset.reset=latest",
                        "session.timeout.ms=6000",
                        "heartbeat.interval.ms=1500",
                        // Batches close by time only (every 3 s at 100 events/s): the kill finds one half gathered.
                        "streamguard.batch.max.size=1000",
                        "streamguard.batch.max.tokens=1000000",
                        "streamguard.batch.max.wait.ms=3000",
                        ""));
        Set<String> crashWorkers = Set.of("crash-a", "crash-b");
        Predicate<ConsumerRecord<String, LabeledEvent>> ours =
                r -> r.value().getId().startsWith(prefix)
                        && crashWorkers.contains(r.value().getWorkerId());
        try (Tail<LabeledEvent> labeled = Tail.of(Topics.TEXT_LABELED, labeledEvents);
                KafkaProducer<String, TextEvent> producer = producer()) {
            Process a = workerJvm(properties, state, "crash-a");
            Worker b = null;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger produced = new AtomicInteger();
            try {
                // "latest" starts wherever the end is once the worker polls: probe until it sees traffic.
                awaitProbe(labeled, producer, prefix + "-probe");
                List<String> texts = sst2Texts();
                // Traffic flows until after the kill, so the buffer is never drained for want of input: a kill
                // after the last text arrived would find every text already labeled and prove nothing.
                CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                    for (int i = 0; !stop.get() && i < 10_000; i++) {
                        String key = "k" + (i % 8);
                        String id = prefix + "-" + key + "-" + String.format("%05d", i);
                        producer.send(new ProducerRecord<>(
                                Topics.TEXT_EVENTS,
                                key,
                                TextEvent.newBuilder()
                                        .setId(id)
                                        .setText(texts.get(i % texts.size()))
                                        .build()));
                        produced.incrementAndGet();
                        sleep(10);
                    }
                    producer.flush();
                });
                Predicate<ConsumerRecord<String, LabeledEvent>> events =
                        r -> ours.test(r) && !r.value().getId().contains("-probe");
                List<ConsumerRecord<String, LabeledEvent>> out = new ArrayList<>();
                int buffered = 0;
                int kills = 0;
                while (buffered == 0 && kills < 3) {
                    if (kills > 0) {
                        // The kill came as a batch closed and found the buffer empty: a fresh A, same state.
                        a = workerJvm(properties, state, "crash-a");
                    }
                    // Labels just arrived, so a batch just closed; the next gathers for 3 s. Kill 1 s into it,
                    // once its first texts are committed to the changelog (EOS commits every 100 ms).
                    out.addAll(labeled.await(events, kills == 0 ? 40 : 1));
                    sleep(1_000);
                    a.destroyForcibly(); // SIGKILL: no commit, no flush, an open transaction left behind
                    assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    kills++;
                    buffered = Committed.bufferEntries(app);
                }
                sleep(1_000); // some texts arrive while no worker runs
                stop.set(true);
                producing.get(2, TimeUnit.MINUTES);
                int total = produced.get();
                System.out.printf(
                        "PipelineIT: worker killed (%d kill(s)) with %d text(s) in its committed buffer, %d produced%n",
                        kills, buffered, total);
                assertThat(buffered)
                        .as("the kill left texts buffered but not yet labeled")
                        .isPositive();

                // Same state dir: same process id, so B's producer fences A's transaction at once.
                b = startWorker(
                        workerConfig(
                                app,
                                "crash-b",
                                state,
                                Map.of(WorkerConfig.BATCH_MAX_SIZE, "64", WorkerConfig.BATCH_MAX_WAIT_MS, "200")),
                        failingOn(MARKER));
                out.addAll(labeled.await(events, total - out.size()));
                Committed.awaitIdle(app);
                out.addAll(labeled.readToEnd(events));

                assertThat(out)
                        .extracting(r -> r.value().getId())
                        .doesNotHaveDuplicates()
                        .hasSize(total);
                assertThat(out).extracting(r -> r.value().getWorkerId()).contains("crash-a", "crash-b");
                Map<String, List<String>> idsByKey = out.stream()
                        .collect(Collectors.groupingBy(
                                ConsumerRecord::key,
                                LinkedHashMap::new,
                                Collectors.mapping(r -> r.value().getId(), Collectors.toList())));
                idsByKey.forEach(
                        (key, ids) -> assertThat(ids).as("order of " + key).isSorted());
            } finally {
                if (a.isAlive()) {
                    a.destroyForcibly();
                }
                if (b != null) {
                    b.close();
                }
            }
        }
    }

    private static void awaitProbe(Tail<LabeledEvent> labeled, KafkaProducer<String, TextEvent> producer, String prefix)
            throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int i = 0; System.nanoTime() < deadline; i++) {
            String id = prefix + "-" + i;
            producer.send(new ProducerRecord<>(
                            Topics.TEXT_EVENTS,
                            id,
                            TextEvent.newBuilder().setId(id).setText("probe").build()))
                    .get();
            if (!labeled.poll(r -> r.value().getId().startsWith(prefix), Duration.ofSeconds(3))
                    .isEmpty()) {
                return;
            }
        }
        throw new AssertionError("the worker JVM never labeled a probe");
    }

    /** {@code streamguard worker} in its own JVM, as users run it; returns once it printed WORKER READY. */
    private static Process workerJvm(Path properties, Path state, String workerId) throws Exception {
        Path home = Path.of(System.getProperty("streamguard.home"));
        String classpath = home.resolve("launcher/target/streamguard-launcher.jar") + File.pathSeparator
                + home.resolve("launcher/target/lib") + "/*";
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dstreamguard.home=" + home,
                "-cp",
                classpath,
                StreamGuardCli.class.getName(),
                "worker",
                "--config",
                properties.toString(),
                "--bootstrap",
                SharedStack.bootstrap(),
                "--registry",
                SharedStack.registryUrl(),
                "--heads",
                heads.toString(),
                "--worker-id",
                workerId,
                "--state-dir",
                state.toString(),
                "--metrics-port",
                "-1");
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        dir.resolve(workerId + ".stderr.log").toFile()))
                .start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("WORKER READY")) {
                        return line;
                    }
                }
            } catch (IOException e) {
                // ended
            }
            return null;
        });
        String line = ready.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(line)
                .as("WORKER READY; see " + dir.resolve(workerId + ".stderr.log"))
                .isNotNull()
                .contains("role=all", "worker=" + workerId);
        return p;
    }

    private static Set<String> ids(List<ConsumerRecord<String, LabeledEvent>> records, Decision decision) {
        return records.stream()
                .filter(r -> r.value().getDecision() == decision)
                .map(r -> r.value().getId())
                .collect(Collectors.toSet());
    }

    private static byte[] event(String id, String text) {
        return textEvents
                .serializer()
                .serialize(
                        Topics.TEXT_EVENTS,
                        TextEvent.newBuilder().setId(id).setText(text).build());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<String> sst2Texts() throws IOException {
        Path file = Path.of(System.getProperty("streamguard.home"), "..", "shared", "datasets", "sst2", "dev.tsv");
        try (Stream<String> lines = Files.lines(file)) {
            return lines.skip(1).map(l -> l.substring(l.indexOf('\t') + 1)).toList();
        }
    }

    private static KafkaProducer<String, TextEvent> producer() {
        Properties p = SharedStack.producerProps();
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(p, new StringSerializer(), textEvents.serializer());
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        return new KafkaProducer<>(SharedStack.producerProps(), new StringSerializer(), new ByteArraySerializer());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
