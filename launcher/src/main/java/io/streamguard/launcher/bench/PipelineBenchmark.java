package io.streamguard.launcher.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.TextEvent;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.KafkaClients;
import io.streamguard.launcher.stack.EmbeddedStack;
import io.streamguard.launcher.traffic.DemoTraffic;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.Encoding;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import io.streamguard.topology.BatchScorer;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.ScoredText;
import io.streamguard.topology.Worker;
import io.streamguard.topology.WorkerConfig;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * End-to-end throughput and latency of the labeling pipeline on the real embedded broker and
 * registry, next to the engine's own ceiling for the same model, texts and batch size, and next to
 * the same pipeline with batches of one. {@code streamguard bench pipeline} is the command-line
 * front.
 *
 * <p>One stack, one loaded model (shared by every run, so every run scores on the same warm
 * engine), then:
 *
 * <ol>
 *   <li>the engine alone ({@link ClassifierScorer#score}, what the pipeline calls) over the texts in
 *       arrival order, cut into batches of the configured size, and of one;
 *   <li>four pipeline runs, each a fresh worker ({@code --role all}, fresh application id) on a
 *       drained {@code text-events}, warmed up with a few texts first: the configured batch at the
 *       offered rate and at saturation (every text produced at once), then batch size 1 likewise.
 * </ol>
 *
 * <p>Latency is end to end as users see it: from the {@code text-events} record timestamp (the
 * producer's clock) to the labeled event arriving at a {@code read_committed} consumer of {@code
 * text-labeled}. Throughput is labeled events over the time from the first text produced to the
 * last labeled event received. Each pipeline run also reports where its stream thread's time went
 * (engine calls, and commits, polls and punctuations as Kafka Streams measures them), its mean
 * batch size and engine time per batch, and its commits.
 */
final class PipelineBenchmark {
    static final int DEFAULT_EVENTS = 600;
    static final double DEFAULT_RATE = 50;
    /** Timed passes of the engine over all texts; the median pass counts. */
    private static final int ENGINE_PASSES = 3;
    private static final int WARMUP_EVENTS = 16;
    private static final Duration IDLE_LIMIT = Duration.ofSeconds(90);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    enum Guarantee {
        EXACTLY_ONCE_V2("exactly_once_v2"),
        AT_LEAST_ONCE("at_least_once");

        private final String config;

        Guarantee(String config) {
            this.config = config;
        }

        String config() {
            return config;
        }

        static Guarantee parse(String value) {
            for (Guarantee g : values()) {
                if (g.config.equalsIgnoreCase(value)) {
                    return g;
                }
            }
            throw new IllegalArgumentException(
                    "must be exactly_once_v2 or at_least_once, was '" + value + "'");
        }
    }

    /**
     * What to measure.
     *
     * @param encoderId the encoder of the pipeline and the engine run
     * @param heads the heads file
     * @param datasets the shared datasets (texts as for {@code up --demo})
     * @param events texts per run
     * @param rate offered events/s of the fixed-rate runs
     * @param batchSize {@code streamguard.batch.max.size} of the batched runs (texts per micro-batch)
     * @param engineBatch {@code streamguard.batch.engine.size}: texts per encoder call, cut by length
     *     from each micro-batch
     * @param batchWaitMs {@code streamguard.batch.max.wait.ms} of every run
     * @param partitions partitions of the stack's topics
     * @param guarantee Kafka Streams' processing guarantee
     * @param device the encoder's device (auto, cpu, gpu)
     * @param dataDir where broker, registry and worker state live for the run (deleted after)
     */
    record Options(
            String encoderId,
            Path heads,
            Path datasets,
            int events,
            double rate,
            int batchSize,
            int engineBatch,
            int batchWaitMs,
            int partitions,
            Guarantee guarantee,
            String device,
            Path dataDir) {
        Options {
            Objects.requireNonNull(encoderId, "encoderId");
            Objects.requireNonNull(heads, "heads");
            Objects.requireNonNull(datasets, "datasets");
            Objects.requireNonNull(guarantee, "guarantee");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(dataDir, "dataDir");
            if (events < 1 || !(rate > 0) || batchSize < 1 || engineBatch < 1 || batchWaitMs < 1 || partitions < 1) {
                throw new IllegalArgumentException(
                        "events, rate, batch sizes, batch wait and partitions must be positive");
            }
        }
    }

    /**
     * One row of the table.
     *
     * @param kind {@code engine} or {@code pipeline}
     * @param batchSize texts per micro-batch (at most)
     * @param engineBatch texts per encoder call (at most), cut by length from a micro-batch
     * @param offeredPerSecond the offered rate; 0 for saturation (and for the engine)
     * @param events texts labeled
     * @param seconds first produced (engine: first batch started) to last labeled
     * @param p50Ms end-to-end latency median (pipeline only)
     * @param p99Ms end-to-end latency 99th percentile (pipeline only)
     * @param meanBatch texts per engine call
     * @param modelMsPerBatch engine time per call
     * @param commits transactions (or offset commits) during the run (pipeline only)
     * @param commitMsAvg Kafka Streams' commit latency average (pipeline only)
     * @param threadShares the run's wall time by what the stream thread did: model (engine calls),
     *     commit, poll, punctuate (pipeline only)
     */
    record Row(
            String kind,
            int batchSize,
            int engineBatch,
            double offeredPerSecond,
            int events,
            double seconds,
            double p50Ms,
            double p99Ms,
            double meanBatch,
            double modelMsPerBatch,
            long commits,
            double commitMsAvg,
            Map<String, Double> threadShares) {
        @JsonProperty
        public double eventsPerSecond() {
            return seconds > 0 ? events / seconds : 0;
        }

        boolean saturated() {
            return offeredPerSecond <= 0;
        }
    }

    /**
     * Everything one run measured.
     *
     * @param pipelineVsEngine saturated pipeline throughput over the engine's, both at {@code
     *     batchSize}
     * @param batchedVsSingle saturated pipeline throughput at {@code batchSize} over batch size 1
     */
    record Report(
            Machine machine,
            String encoderId,
            String modelVersion,
            int events,
            double rate,
            int batchSize,
            int engineBatch,
            int batchWaitMs,
            int partitions,
            String guarantee,
            List<Row> rows,
            double pipelineVsEngine,
            double batchedVsSingle) {}

    private PipelineBenchmark() {}

    /**
     * Starts the stack, loads the model and measures; {@code progress} hears a line per step.
     *
     * @throws LauncherException if the stack or a worker does not start, or a run stalls
     */
    static Report run(Options options, Consumer<String> progress) {
        List<DemoTraffic.Sample> samples = DemoTraffic.load(options.datasets(), options.events());
        if (samples.size() < options.events()) {
            throw new BenchmarkException(
                    "the datasets hold only " + samples.size() + " texts, " + options.events() + " asked");
        }
        List<String> texts = samples.stream().map(DemoTraffic.Sample::text).toList();
        progress.accept("starting broker and registry (" + options.partitions() + " partitions)");
        try (EmbeddedStack stack =
                        EmbeddedStack.builder()
                                .dataDir(options.dataDir())
                                .ephemeralPorts()
                                .partitions(options.partitions())
                                .start();
                ClassifierScorer scorer = loadScorer(options, stack, progress)) {
            List<Row> rows = new ArrayList<>();
            BertTokenizer tokenizer =
                    EncoderFactory.tokenizer(
                            workerConfig(options, stack, "load", options.batchSize()).encoderConfig());
            List<Encoding> encodings = texts.stream().map(tokenizer::encode).toList();
            for (int batch : batchSizes(options)) {
                Row row = engine(scorer, encodings, batch, Math.min(batch, options.engineBatch()));
                rows.add(row);
                progress.accept(describe(row));
            }
            try (Traffic traffic = new Traffic(stack)) {
                for (int batch : batchSizes(options)) {
                    for (double rate : new double[] {options.rate(), 0}) {
                        Row row = pipeline(options, stack, scorer, traffic, texts, batch, rate, progress);
                        rows.add(row);
                        progress.accept(describe(row));
                    }
                }
            }
            double engine = find(rows, "engine", options.batchSize(), true).eventsPerSecond();
            double batched = find(rows, "pipeline", options.batchSize(), true).eventsPerSecond();
            double single = find(rows, "pipeline", 1, true).eventsPerSecond();
            return new Report(
                    Machine.current(),
                    options.encoderId(),
                    scorer.heads().version(),
                    options.events(),
                    options.rate(),
                    options.batchSize(),
                    Math.min(options.batchSize(), options.engineBatch()),
                    options.batchWaitMs(),
                    options.partitions(),
                    options.guarantee().config(),
                    rows,
                    engine > 0 ? batched / engine : 0,
                    single > 0 ? batched / single : 0);
        } finally {
            deleteQuietly(options.dataDir());
        }
    }

    /** The configured batch size, then 1 (once if they are the same). */
    private static List<Integer> batchSizes(Options options) {
        return options.batchSize() == 1 ? List.of(1) : List.of(options.batchSize(), 1);
    }

    private static Row find(List<Row> rows, String kind, int batch, boolean saturated) {
        return rows.stream()
                .filter(r -> r.kind().equals(kind) && r.batchSize() == batch && r.saturated() == saturated)
                .findFirst()
                .orElseThrow();
    }

    private static ClassifierScorer loadScorer(
            Options options, EmbeddedStack stack, Consumer<String> progress) {
        progress.accept("loading " + options.encoderId() + " with heads " + options.heads());
        return ClassifierScorer.load(workerConfig(options, stack, "load", options.batchSize()));
    }

    /**
     * The engine alone, as the pipeline calls it when every micro-batch is full: the texts in arrival
     * order in scorer calls of {@code batch}, each cut by length into encoder calls of at most {@code
     * engineBatch}; median of passes.
     */
    static Row engine(BatchScorer scorer, List<Encoding> encodings, int batch, int engineBatch) {
        List<List<Encoding>> batches = new ArrayList<>();
        for (int from = 0; from < encodings.size(); from += batch) {
            batches.add(encodings.subList(from, Math.min(encodings.size(), from + batch)));
        }
        scorer.score(batches.get(0)); // warm
        long[] passes = new long[ENGINE_PASSES];
        for (int p = 0; p < ENGINE_PASSES; p++) {
            long start = System.nanoTime();
            for (List<Encoding> b : batches) {
                scorer.score(b);
            }
            passes[p] = System.nanoTime() - start;
        }
        Arrays.sort(passes);
        double seconds = passes[ENGINE_PASSES / 2] / 1e9;
        return new Row(
                "engine",
                batch,
                engineBatch,
                0,
                encodings.size(),
                seconds,
                0,
                0,
                (double) encodings.size() / batches.size(),
                seconds * 1000 / batches.size(),
                0,
                0,
                Map.of());
    }

    private static Row pipeline(
            Options options,
            EmbeddedStack stack,
            ClassifierScorer scorer,
            Traffic traffic,
            List<String> texts,
            int batch,
            double rate,
            Consumer<String> progress) {
        String run = "b" + batch + (rate > 0 ? "-r" + (int) rate : "-max");
        progress.accept(
                "pipeline batch "
                        + batch
                        + (rate > 0 ? " at " + rate + " events/s" : " at saturation")
                        + ": starting a worker");
        traffic.drainInput();
        WorkerConfig config = workerConfig(options, stack, run, batch);
        Worker worker = Worker.start(config, c -> shared(scorer));
        try {
            awaitRunning(worker);
            traffic.send("warm-" + run, texts.subList(0, Math.min(WARMUP_EVENTS, texts.size())), 0);
            Snapshot before = Snapshot.of(worker.meters());
            Result result = traffic.send(run, texts, rate);
            Snapshot after = Snapshot.of(worker.meters());
            long batches = Math.round(after.batches - before.batches);
            double[] commits = after.thread.get("commit");
            return new Row(
                    "pipeline",
                    batch,
                    Math.min(batch, options.engineBatch()),
                    rate,
                    result.labeled(),
                    result.seconds(),
                    result.p50Ms(),
                    result.p99Ms(),
                    batches > 0 ? (after.batchedTexts - before.batchedTexts) / batches : 0,
                    batches > 0 ? (after.modelMs - before.modelMs) / batches : 0,
                    Math.round(commits[0] - before.thread.get("commit")[0]),
                    commits[1],
                    after.sharesSince(before, result.seconds() * 1000));
        } finally {
            worker.close();
        }
    }

    private static void awaitRunning(Worker worker) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (worker.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline
                    || worker.state() == KafkaStreams.State.ERROR
                    || worker.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new LauncherException("the bench worker did not reach RUNNING (state " + worker.state() + ")");
            }
            sleep(50);
        }
    }

    /** A role-all worker of its own application on a drained input, sharing the loaded model. */
    private static WorkerConfig workerConfig(Options options, EmbeddedStack stack, String run, int batch) {
        Map<String, String> p = new HashMap<>();
        p.put("bootstrap.servers", stack.bootstrapServers());
        p.put("schema.registry.url", stack.registryUrl());
        p.put("application.id", "streamguard-bench-" + run + "-" + UUID.randomUUID().toString().substring(0, 8));
        p.put("state.dir", options.dataDir().resolve("streams").toString());
        p.put("processing.guarantee", options.guarantee().config());
        p.put("auto.offset.reset", "earliest");
        p.put(WorkerConfig.ROLE, "all");
        p.put(WorkerConfig.WORKER_ID, "bench");
        p.put(WorkerConfig.METRICS_PORT, "-1");
        p.put(WorkerConfig.MODEL_ENCODER, options.encoderId());
        p.put(WorkerConfig.MODEL_HEADS, options.heads().toString());
        p.put(WorkerConfig.MODEL_DEVICE, options.device());
        p.put(WorkerConfig.BATCH_MAX_SIZE, Integer.toString(batch));
        p.put(WorkerConfig.BATCH_ENGINE_SIZE, Integer.toString(options.engineBatch()));
        // The micro-batch's padded cost never closes it early: the engine calls are cut by length.
        p.put(WorkerConfig.BATCH_MAX_TOKENS, Integer.toString(Math.max(batch, 1) * 128));
        p.put(WorkerConfig.BATCH_MAX_WAIT_MS, Integer.toString(options.batchWaitMs()));
        return WorkerConfig.of(p);
    }

    /** The loaded model for one worker; the worker's close leaves it loaded for the next run. */
    private static BatchScorer shared(ClassifierScorer scorer) {
        return new BatchScorer() {
            @Override
            public List<ScoredText> score(List<Encoding> encodings) {
                return scorer.score(encodings);
            }

            @Override
            public String vocabHash() {
                return scorer.vocabHash();
            }
        };
    }

    /** The worker's counters at one moment: runs report what changed in between. */
    private record Snapshot(double batches, double batchedTexts, double modelMs, Map<String, double[]> thread) {
        /** The stream thread's activities whose time Kafka Streams measures (count, average ms). */
        static final List<String> ACTIVITIES = List.of("commit", "poll", "punctuate");

        static Snapshot of(MeterRegistry meters) {
            DistributionSummary size = meters.find("streamguard.batch.size").summary();
            Timer model = meters.find("streamguard.model.time").timer();
            Map<String, double[]> thread = new java.util.LinkedHashMap<>();
            for (String activity : ACTIVITIES) {
                thread.put(activity, new double[] {
                    threadMetric(meters, activity + ".total"), threadMetric(meters, activity + ".latency.avg")});
            }
            return new Snapshot(
                    size == null ? 0 : size.count(),
                    size == null ? 0 : size.totalAmount(),
                    model == null ? 0 : model.totalTime(TimeUnit.MILLISECONDS),
                    thread);
        }

        /**
         * Shares of {@code wallMs} the stream thread spent in the engine and in each activity
         * since {@code before} (count x Kafka Streams' windowed average latency for the activities).
         */
        Map<String, Double> sharesSince(Snapshot before, double wallMs) {
            Map<String, Double> shares = new java.util.LinkedHashMap<>();
            shares.put("model", (modelMs - before.modelMs) / wallMs);
            thread.forEach((activity, now) -> shares.put(activity,
                    (now[0] - before.thread.get(activity)[0]) * now[1] / wallMs));
            return shares;
        }

        /** Sum over stream threads of Kafka Streams' thread-level metric {@code name}. */
        private static double threadMetric(MeterRegistry meters, String name) {
            double sum = 0;
            for (Meter m : meters.find("kafka.stream.thread." + name).meters()) {
                for (var measurement : m.measure()) {
                    if (Double.isFinite(measurement.getValue())) {
                        sum += measurement.getValue();
                    }
                }
            }
            return sum;
        }
    }

    /** What a client saw of one run. */
    record Result(int labeled, double seconds, double p50Ms, double p99Ms) {}

    /** A producer to {@code text-events} and a read-committed consumer of {@code text-labeled}. */
    private static final class Traffic implements AutoCloseable {
        private final EmbeddedStack stack;
        private final AvroSerde<TextEvent> textSerde = AvroSerde.specific(TextEvent.class);
        private final AvroSerde<LabeledEvent> labeledSerde = AvroSerde.specific(LabeledEvent.class);
        private final KafkaProducer<String, TextEvent> producer;
        private final KafkaConsumer<String, LabeledEvent> consumer;

        Traffic(EmbeddedStack stack) {
            this.stack = stack;
            Map<String, String> registry = Map.of("schema.registry.url", stack.registryUrl());
            textSerde.configure(registry, false);
            labeledSerde.configure(registry, false);
            Map<String, Object> pc = KafkaClients.common(stack.bootstrapServers(), "streamguard-bench-producer");
            pc.put(ProducerConfig.ACKS_CONFIG, "all");
            pc.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            producer = new KafkaProducer<>(pc, new StringSerializer(), textSerde.serializer());
            Map<String, Object> cc = KafkaClients.common(stack.bootstrapServers(), "streamguard-bench-consumer");
            cc.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            cc.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(cc, new StringDeserializer(), labeledSerde.deserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TEXT_LABELED).stream()
                    .map(p -> new TopicPartition(Topics.TEXT_LABELED, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        /**
         * Deletes what {@code text-events} holds, so a worker of a fresh application id starting
         * from the earliest offset sees only its own run.
         */
        void drainInput() {
            try (Admin admin = stack.admin()) {
                List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.TEXT_EVENTS))
                        .allTopicNames().get().get(Topics.TEXT_EVENTS).partitions().stream()
                        .map(p -> new TopicPartition(Topics.TEXT_EVENTS, p.partition()))
                        .toList();
                Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
                partitions.forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
                Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
                admin.listOffsets(latest).all().get().forEach(
                        (tp, info) -> delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
                admin.deleteRecords(delete).all().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("interrupted while draining " + Topics.TEXT_EVENTS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new LauncherException("cannot drain " + Topics.TEXT_EVENTS + ": " + e.getCause().getMessage());
            }
        }

        /**
         * Produces {@code texts} as events {@code <run>-<n>} at {@code rate} per second (0: all at
         * once) and waits until each is labeled.
         */
        Result send(String run, List<String> texts, double rate) {
            String prefix = run + "-";
            AtomicReference<Exception> failure = new AtomicReference<>();
            long interval = rate > 0 ? (long) (1e9 / rate) : 0;
            long started = System.nanoTime();
            long firstSend = System.currentTimeMillis();
            long next = started;
            double[] latencies = new double[texts.size()];
            int received = 0;
            int sent = 0;
            long lastArrival = System.nanoTime();
            long lastReceived = firstSend;
            while (received < texts.size()) {
                // Send what is due, then poll briefly: one thread keeps both the schedule and the clock.
                while (sent < texts.size() && (interval == 0 || System.nanoTime() >= next)) {
                    String id = prefix + String.format("%05d", sent);
                    TextEvent event = TextEvent.newBuilder()
                            .setId(id)
                            .setText(texts.get(sent))
                            .setSource("bench")
                            .setEventTime(Instant.now())
                            .build();
                    producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS, id, event), (m, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                    sent++;
                    next += interval;
                }
                if (sent == texts.size()) {
                    producer.flush();
                }
                if (failure.get() != null) {
                    throw new LauncherException("bench producer failed: " + failure.get().getMessage());
                }
                long pollMs = sent < texts.size()
                        ? Math.max(0, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime()))
                        : 100;
                for (ConsumerRecord<String, LabeledEvent> r : consumer.poll(Duration.ofMillis(Math.min(100, pollMs)))) {
                    if (r.value() == null || !r.value().getId().startsWith(prefix)) {
                        continue; // a warm-up's or an earlier run's stragglers
                    }
                    long now = System.currentTimeMillis();
                    if (received < latencies.length) {
                        latencies[received] = Math.max(0, now - r.timestamp());
                    }
                    received++;
                    lastReceived = now;
                    lastArrival = System.nanoTime();
                }
                if (System.nanoTime() - lastArrival > IDLE_LIMIT.toNanos()) {
                    throw new LauncherException("run " + run + " stalled: " + received + " of " + texts.size()
                            + " texts labeled, none for " + IDLE_LIMIT.toSeconds() + " s");
                }
            }
            double[] sorted = Arrays.copyOf(latencies, Math.min(received, latencies.length));
            Arrays.sort(sorted);
            return new Result(received, Math.max(1, lastReceived - firstSend) / 1000.0,
                    DemoTraffic.percentile(sorted, 50), DemoTraffic.percentile(sorted, 99));
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
            producer.close(Duration.ofSeconds(5));
            textSerde.close();
            labeledSerde.close();
        }
    }

    static String describe(Row r) {
        return String.format(
                "%s batch %d %s: %.1f events/s%s",
                r.kind(),
                r.batchSize(),
                r.kind().equals("engine") ? "" : r.saturated() ? "at saturation" : "at " + fmtRate(r.offeredPerSecond()) + "/s",
                r.eventsPerSecond(),
                r.kind().equals("engine")
                        ? String.format(", %.1f ms per batch", r.modelMsPerBatch())
                        : String.format(
                                ", p50 %.0f ms, p99 %.0f ms, batch %.1f, %.1f ms per batch, %d commits (%.1f ms avg),"
                                        + " thread %s",
                                r.p50Ms(),
                                r.p99Ms(),
                                r.meanBatch(),
                                r.modelMsPerBatch(),
                                r.commits(),
                                r.commitMsAvg(),
                                shares(r.threadShares())));
    }

    private static String fmtRate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    private static String shares(Map<String, Double> shares) {
        StringBuilder out = new StringBuilder();
        shares.forEach((k, v) -> out.append(out.isEmpty() ? "" : " ").append(k).append(' ')
                .append(String.format("%.0f%%", v * 100)));
        return out.toString();
    }

    /** The report as an aligned table with the two ratios and the targets under it. */
    static String renderTable(Report report) {
        StringBuilder out = new StringBuilder();
        out.append("Pipeline benchmark: ").append(report.machine().describe()).append('\n');
        out.append(String.format(
                "%s, heads %s; %d real texts per run; %d partitions, %s; batch wait %d ms%n%n",
                report.encoderId(), report.modelVersion(), report.events(), report.partitions(), report.guarantee(),
                report.batchWaitMs()));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"run", "batch/engine", "offered/s", "events/s", "p50 ms", "p99 ms", "avg batch",
            "model ms/batch", "commits", "commit ms", "thread: model/commit/poll/punct"});
        for (Row r : report.rows()) {
            boolean engine = r.kind().equals("engine");
            rows.add(new String[] {
                r.kind(),
                r.batchSize() + "/" + r.engineBatch(),
                engine ? "-" : r.saturated() ? "max" : fmtRate(r.offeredPerSecond()),
                String.format("%.1f", r.eventsPerSecond()),
                engine ? "-" : String.format("%.0f", r.p50Ms()),
                engine ? "-" : String.format("%.0f", r.p99Ms()),
                String.format("%.1f", r.meanBatch()),
                String.format("%.1f", r.modelMsPerBatch()),
                engine ? "-" : Long.toString(r.commits()),
                engine ? "-" : String.format("%.1f", r.commitMsAvg()),
                engine ? "-" : String.join("/", r.threadShares().values().stream()
                        .map(v -> String.format("%.0f%%", v * 100)).toList())
            });
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == 0 ? "" : "  ").append(String.format(
                        (i == 0 ? "%-" : "%") + widths[i] + "s", row[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append(String.format(
                "%npipeline / engine at batch %d/%d, saturated: %.2f (target >= 0.80)%n"
                        + "pipeline batch %d/%d / batch 1, saturated: %.2fx (target >= 3x)%n",
                report.batchSize(), report.engineBatch(), report.pipelineVsEngine(), report.batchSize(),
                report.engineBatch(), report.batchedVsSingle()));
        out.append("events/s: labeled / (first produced .. last labeled); latency: text-events record timestamp"
                + " to a read_committed consumer of text-labeled; batch/engine: texts per micro-batch / per encoder"
                + " call (cut by length); engine: the same texts in arrival order in full micro-batches, median of "
                + ENGINE_PASSES + " passes; thread: shares of the run's wall time (model time is also inside"
                + " punctuate when a batch closes by time)\n");
        return out.toString();
    }

    static String toJson(Report report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new BenchmarkException("cannot write the report as JSON: " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp dir left behind is not worth failing the report for
        }
    }
}
