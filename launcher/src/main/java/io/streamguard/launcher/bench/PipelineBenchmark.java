package io.streamguard.launcher.bench;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.StreamsRunning;
import io.streamguard.launcher.stack.EmbeddedStack;
import io.streamguard.launcher.traffic.DemoTraffic;
import io.streamguard.launcher.traffic.LoadGenerator;
import io.streamguard.launcher.traffic.TopicDrain;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.Encoding;
import io.streamguard.schemas.Topics;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.Worker;
import io.streamguard.topology.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;

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
    private static final int WARMUP_EVENTS = 16;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

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

    private PipelineBenchmark() {}

    /**
     * Starts the stack, loads the model and measures; {@code progress} hears a line per step.
     *
     * @throws LauncherException if the stack or a worker does not start, or a run stalls
     */
    static PipelineReport run(Options options, Consumer<String> progress) {
        List<DemoTraffic.Sample> samples = DemoTraffic.load(options.datasets(), options.events());
        if (samples.size() < options.events()) {
            throw new BenchmarkException(
                    "the datasets hold only " + samples.size() + " texts, " + options.events() + " asked");
        }
        List<String> texts = samples.stream().map(DemoTraffic.Sample::text).toList();
        progress.accept("starting broker and registry (" + options.partitions() + " partitions)");
        try (EmbeddedStack stack = EmbeddedStack.builder()
                        .dataDir(options.dataDir())
                        .ephemeralPorts()
                        .partitions(options.partitions())
                        .start();
                ClassifierScorer scorer = loadScorer(options, stack, progress)) {
            List<PipelineReport.Row> rows = new ArrayList<>();
            BertTokenizer tokenizer = EncoderFactory.tokenizer(
                    workerConfig(options, stack, "load", options.batchSize()).encoderConfig());
            List<Encoding> encodings = texts.stream().map(tokenizer::encode).toList();
            for (int batch : batchSizes(options)) {
                PipelineReport.Row row =
                        EnginePasses.measure(scorer, encodings, batch, Math.min(batch, options.engineBatch()));
                rows.add(row);
                progress.accept(ReportRenderer.progressLine(row));
            }
            try (LoadGenerator traffic = new LoadGenerator(stack.bootstrapServers(), stack.registryUrl())) {
                for (int batch : batchSizes(options)) {
                    for (double rate : new double[] {options.rate(), 0}) {
                        PipelineReport.Row row =
                                pipeline(options, stack, scorer, traffic, texts, batch, rate, progress);
                        rows.add(row);
                        progress.accept(ReportRenderer.progressLine(row));
                    }
                }
            }
            double engine = find(rows, "engine", options.batchSize(), true).eventsPerSecond();
            double batched = find(rows, "pipeline", options.batchSize(), true).eventsPerSecond();
            double single = find(rows, "pipeline", 1, true).eventsPerSecond();
            return new PipelineReport(
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
            DataDirs.deleteQuietly(options.dataDir());
        }
    }

    /** The configured batch size, then 1 (once if they are the same). */
    private static List<Integer> batchSizes(Options options) {
        return options.batchSize() == 1 ? List.of(1) : List.of(options.batchSize(), 1);
    }

    private static PipelineReport.Row find(List<PipelineReport.Row> rows, String kind, int batch, boolean saturated) {
        return rows.stream()
                .filter(r -> r.kind().equals(kind) && r.batchSize() == batch && r.saturated() == saturated)
                .findFirst()
                .orElseThrow();
    }

    private static ClassifierScorer loadScorer(Options options, EmbeddedStack stack, Consumer<String> progress) {
        progress.accept("loading " + options.encoderId() + " with heads " + options.heads());
        return ClassifierScorer.load(workerConfig(options, stack, "load", options.batchSize()));
    }

    private static PipelineReport.Row pipeline(
            Options options,
            EmbeddedStack stack,
            ClassifierScorer scorer,
            LoadGenerator traffic,
            List<String> texts,
            int batch,
            double rate,
            Consumer<String> progress) {
        String run = "b" + batch + (rate > 0 ? "-r" + (int) rate : "-max");
        progress.accept("pipeline batch "
                + batch
                + (rate > 0 ? " at " + rate + " events/s" : " at saturation")
                + ": starting a worker");
        try (Admin admin = stack.admin()) {
            TopicDrain.drain(admin, Topics.TEXT_EVENTS);
        }
        WorkerConfig config = workerConfig(options, stack, run, batch);
        Worker worker = Worker.start(config, c -> BenchWorker.shared(scorer));
        try {
            StreamsRunning.await("the bench worker", worker::state, READY_TIMEOUT);
            traffic.send("warm-" + run, texts.subList(0, Math.min(WARMUP_EVENTS, texts.size())), 0);
            WorkerSnapshot before = WorkerSnapshot.of(worker.meters());
            LoadGenerator.Result result = traffic.send(run, texts, rate);
            WorkerSnapshot after = WorkerSnapshot.of(worker.meters());
            long batches = Math.round(after.batches() - before.batches());
            double[] commits = after.thread().get("commit");
            return new PipelineReport.Row(
                    "pipeline",
                    batch,
                    Math.min(batch, options.engineBatch()),
                    rate,
                    result.labeled(),
                    result.seconds(),
                    result.p50Ms(),
                    result.p99Ms(),
                    batches > 0 ? (after.batchedTexts() - before.batchedTexts()) / batches : 0,
                    batches > 0 ? (after.modelMs() - before.modelMs()) / batches : 0,
                    Math.round(commits[0] - before.thread().get("commit")[0]),
                    commits[1],
                    after.sharesSince(before, result.seconds() * 1000));
        } finally {
            worker.close();
        }
    }

    /** A role-all worker of its own application, sharing the loaded model. */
    private static WorkerConfig workerConfig(Options options, EmbeddedStack stack, String run, int batch) {
        return BenchWorker.config(
                new BenchWorker.Settings(
                        options.encoderId(),
                        options.heads(),
                        options.device(),
                        batch,
                        options.engineBatch(),
                        options.batchWaitMs(),
                        options.guarantee()),
                stack,
                options.dataDir().resolve("streams"),
                run);
    }
}
