package io.streamguard.launcher.bench;

import io.streamguard.launcher.client.StreamGuardTopics;
import io.streamguard.launcher.cli.Checkout;
import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.topology.WorkerConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code streamguard bench engine|memory|pipeline}: the model runtime measured on this machine (no
 * Kafka), and the whole pipeline on an embedded stack.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Measure the model runtime (engine, memory; no broker needed) or the whole labeling"
                        + " pipeline on an embedded broker and registry (pipeline).",
        subcommands = {BenchCommand.Engine.class, BenchCommand.Memory.class, BenchCommand.PipelineBench.class})
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "missing command (one of: engine, memory, pipeline; see streamguard bench --help)");
    }

    /** Throughput and latency per batch size x length against a bare TensorFlow session. */
    @Command(
            name = "engine",
            mixinStandardHelpOptions = true,
            description = {
                "Encoder throughput (seq/s) and latency (ms per batch, p50/p99) for each batch size x"
                        + " length, next to a bare TensorFlow session run of the same batch (ratio"
                        + " engine/bare), and the tokenizer's share of inference time on real texts.",
                "The table goes to stdout, progress to stderr. BERT-base at 32x128 takes seconds per"
                        + " batch on a small CPU: lower --iterations for a quick look."
            })
    static final class Engine implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(
                names = "--encoders",
                paramLabel = "ID",
                split = ",",
                defaultValue = "bert-base-uncased,minilm-l6",
                description = "Encoders to measure, one after the other; default: ${DEFAULT-VALUE}.")
        List<String> encoders;

        @Option(
                names = "--batch-sizes",
                paramLabel = "N",
                split = ",",
                defaultValue = "1,8,32",
                description = "Texts per batch; default: ${DEFAULT-VALUE}.")
        List<Integer> batchSizes;

        @Option(
                names = "--lengths",
                paramLabel = "TOKENS",
                split = ",",
                defaultValue = "32,128",
                description =
                        "Tokens per text, [CLS] and [SEP] included (2..512); default: ${DEFAULT-VALUE}.")
        List<Integer> lengths;

        @Option(
                names = "--iterations",
                paramLabel = "N",
                defaultValue = "" + EngineBenchmark.DEFAULT_ITERATIONS,
                description = "Timed batches per cell, engine and bare each; default: ${DEFAULT-VALUE}.")
        int iterations;

        @Option(
                names = "--warmup",
                paramLabel = "N",
                defaultValue = "" + EngineBenchmark.DEFAULT_WARMUP,
                description = "Untimed batches per cell first; default: ${DEFAULT-VALUE}.")
        int warmup;

        @Option(
                names = "--min-seconds",
                paramLabel = "S",
                defaultValue = "" + EngineBenchmark.DEFAULT_MIN_SECONDS,
                description =
                        "Cheap cells keep iterating until their timed runs took this long (steadier"
                                + " medians); 0 = exactly --iterations. Default: ${DEFAULT-VALUE}.")
        double minSeconds;

        @Option(
                names = "--tokenizer-texts",
                paramLabel = "N",
                defaultValue = "" + EngineBenchmark.DEFAULT_TOKENIZER_TEXTS,
                description =
                        "Real texts for the tokenizer share (0 skips it); default: ${DEFAULT-VALUE}.")
        int tokenizerTexts;

        @Mixin Common common;

        @Option(names = "--json", description = "Print the report as JSON instead of tables.")
        boolean json;

        @Override
        public Integer call() {
            for (String id : encoders) {
                checkEncoder(spec, "--encoders", id);
            }
            for (int b : batchSizes) {
                atLeast(spec, "--batch-sizes", b, 1);
            }
            for (int l : lengths) {
                if (l < 2 || l > 512) {
                    throw new ParameterException(
                            spec.commandLine(), "--lengths must be between 2 and 512, was " + l);
                }
            }
            atLeast(spec, "--iterations", iterations, 1);
            if (iterations > EngineBenchmark.MAX_ITERATIONS) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--iterations must be at most "
                                + EngineBenchmark.MAX_ITERATIONS
                                + ", was "
                                + iterations);
            }
            if (!(minSeconds >= 0)) {
                throw new ParameterException(
                        spec.commandLine(), "--min-seconds must not be negative, was " + minSeconds);
            }
            atLeast(spec, "--warmup", warmup, 0);
            atLeast(spec, "--tokenizer-texts", tokenizerTexts, 0);
            Path datasets = common.datasets(spec);

            PrintWriter err = spec.commandLine().getErr();
            EngineBenchmark.Report report =
                    EngineBenchmark.run(
                            new EngineBenchmark.Options(
                                    encoders,
                                    batchSizes,
                                    lengths,
                                    iterations,
                                    warmup,
                                    minSeconds,
                                    common.device,
                                    datasets,
                                    tokenizerTexts,
                                    EncoderConfig.defaultCacheDir()),
                            line -> progress(err, line));
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? EngineBenchmark.toJson(report) + "\n" : EngineBenchmark.renderTable(report));
            out.flush();
            return 0;
        }
    }

    /** Resident set size over many inferences: flat means every native tensor is freed. */
    @Command(
            name = "memory",
            mixinStandardHelpOptions = true,
            description = {
                "Encode many batches of short real texts and print the process's resident set size"
                        + " (VmRSS) after a warm-up and every tenth of the run, then the growth.",
                "Pin the heap so growth can only be native, e.g."
                        + " STREAMGUARD_JAVA_OPTS='-Xms512m -Xmx512m -XX:+AlwaysPreTouch'."
            })
    static final class Memory implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(
                names = "--encoder",
                paramLabel = "ID",
                defaultValue = EncoderConfig.MINILM_L6,
                description = "Encoder to run; default: ${DEFAULT-VALUE}.")
        String encoder;

        @Option(
                names = "--texts",
                paramLabel = "N",
                defaultValue = "" + MemoryBenchmark.DEFAULT_TEXTS,
                description = "Texts to encode after the warm-up; default: ${DEFAULT-VALUE}.")
        long texts;

        @Option(
                names = "--batch-size",
                paramLabel = "N",
                defaultValue = "" + MemoryBenchmark.DEFAULT_BATCH_SIZE,
                description = "Texts per batch; default: ${DEFAULT-VALUE}.")
        int batchSize;

        @Mixin Common common;

        @Override
        public Integer call() {
            checkEncoder(spec, "--encoder", encoder);
            atLeast(spec, "--texts", texts, 1);
            atLeast(spec, "--batch-size", batchSize, 1);
            Path datasets = common.datasets(spec);

            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Runtime rt = Runtime.getRuntime();
            if (rt.totalMemory() != rt.maxMemory()) {
                progress(
                        err,
                        "the heap is not pinned (committed "
                                + (rt.totalMemory() >> 20)
                                + " MB of "
                                + (rt.maxMemory() >> 20)
                                + " MB): heap growth will show in RSS; pin it with"
                                + " STREAMGUARD_JAVA_OPTS='-Xms512m -Xmx512m -XX:+AlwaysPreTouch'");
            }
            progress(err, "loading " + encoder + " (device " + common.device + ")");
            long[] first = {-1};
            MemoryBenchmark.Report report =
                    MemoryBenchmark.run(
                            new MemoryBenchmark.Options(
                                    encoder,
                                    common.device,
                                    datasets,
                                    texts,
                                    batchSize,
                                    EncoderConfig.defaultCacheDir()),
                            s -> {
                                if (first[0] < 0) {
                                    first[0] = s.rssKb();
                                }
                                out.printf(
                                        "texts %,13d  RSS %,7d MB  %+,9d KB  %7.0f s%n",
                                        s.texts(),
                                        s.rssKb() >> 10,
                                        s.rssKb() - first[0],
                                        s.seconds());
                                out.flush();
                            });
            out.println(report.summary());
            out.flush();
            return 0;
        }
    }

    /** End to end through the real broker, beside the engine's ceiling and batches of one. */
    @Command(
            name = "pipeline",
            mixinStandardHelpOptions = true,
            description = {
                "Starts an embedded broker and registry and a labeling worker (role all), then measures"
                        + " end-to-end throughput and latency p50/p99 (text-events timestamp to a"
                        + " read_committed consumer of text-labeled) at --rate and at saturation, with"
                        + " --batch-size and with batches of 1, beside the engine alone on the same texts"
                        + " and batch sizes (ratios against the targets: >= 80 %% of the engine, >= 3x"
                        + " batch size 1).",
                "The table goes to stdout, progress to stderr. About a minute with the defaults on"
                        + " minilm-l6."
            })
    static final class PipelineBench implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(
                names = "--encoder",
                paramLabel = "ID",
                defaultValue = ModelFiles.DEFAULT_ENCODER,
                description = "Encoder of the pipeline; default: ${DEFAULT-VALUE}.")
        String encoder;

        @Option(
                names = "--heads",
                paramLabel = "FILE",
                description = "Heads file (default: models/v1/<encoder>.json in the checkout).")
        Path heads;

        @Option(
                names = "--events",
                paramLabel = "N",
                defaultValue = "" + PipelineBenchmark.DEFAULT_EVENTS,
                description = "Real texts per run; default: ${DEFAULT-VALUE}.")
        int events;

        @Option(
                names = "--rate",
                paramLabel = "PER_SECOND",
                defaultValue = "" + PipelineBenchmark.DEFAULT_RATE,
                description = "Offered rate of the fixed-rate runs; default: ${DEFAULT-VALUE} events/s.")
        double rate;

        @Option(
                names = "--batch-size",
                paramLabel = "N",
                defaultValue = "256",
                description =
                        "streamguard.batch.max.size of the batched runs (texts per micro-batch);"
                                + " default: ${DEFAULT-VALUE}.")
        int batchSize;

        @Option(
                names = "--engine-batch",
                paramLabel = "N",
                defaultValue = "" + WorkerConfig.DEFAULT_ENGINE_BATCH_SIZE,
                description =
                        "streamguard.batch.engine.size: texts per encoder call, cut by length from each"
                                + " micro-batch; default: ${DEFAULT-VALUE}.")
        int engineBatch;

        @Option(
                names = "--batch-wait-ms",
                paramLabel = "MS",
                defaultValue = "20",
                description = "streamguard.batch.max.wait.ms; default: ${DEFAULT-VALUE}.")
        int batchWaitMs;

        @Option(
                names = "--partitions",
                paramLabel = "N",
                defaultValue = "" + StreamGuardTopics.DEFAULT_PARTITIONS,
                description = "Partitions of the topics; default: ${DEFAULT-VALUE}.")
        int partitions;

        @Option(
                names = "--guarantee",
                paramLabel = "exactly_once_v2|at_least_once",
                defaultValue = "exactly_once_v2",
                description = "Kafka Streams processing guarantee; default: ${DEFAULT-VALUE}.")
        String guarantee;

        @Mixin Common common;

        @Option(names = "--json", description = "Print the report as JSON instead of a table.")
        boolean json;

        @Override
        public Integer call() throws java.io.IOException {
            checkEncoder(spec, "--encoder", encoder);
            atLeast(spec, "--events", events, 1);
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new ParameterException(spec.commandLine(), "--rate must be positive, was " + rate);
            }
            atLeast(spec, "--batch-size", batchSize, 1);
            atLeast(spec, "--engine-batch", engineBatch, 1);
            atLeast(spec, "--batch-wait-ms", batchWaitMs, 1);
            atLeast(spec, "--partitions", partitions, 1);
            PipelineBenchmark.Guarantee processing;
            try {
                processing = PipelineBenchmark.Guarantee.parse(guarantee);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--guarantee " + e.getMessage());
            }
            Path datasets = common.datasets(spec);
            Path headsFile = ModelFiles.heads(spec, heads, encoder);

            PrintWriter err = spec.commandLine().getErr();
            PipelineBenchmark.Report report =
                    PipelineBenchmark.run(
                            new PipelineBenchmark.Options(
                                    encoder,
                                    headsFile,
                                    datasets,
                                    events,
                                    rate,
                                    batchSize,
                                    engineBatch,
                                    batchWaitMs,
                                    partitions,
                                    processing,
                                    common.device.name().toLowerCase(java.util.Locale.ROOT),
                                    Files.createTempDirectory("streamguard-bench-")),
                            line -> progress(err, line));
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? PipelineBenchmark.toJson(report) + "\n" : PipelineBenchmark.renderTable(report));
            out.flush();
            return 0;
        }
    }

    /** Options every benchmark takes. */
    static final class Common {
        @Option(
                names = "--device",
                paramLabel = "DEVICE",
                defaultValue = "AUTO",
                description =
                        "auto (GPU if TensorFlow sees one), cpu or gpu (falls back to the CPU with a"
                                + " warning); default: ${DEFAULT-VALUE}.")
        Device device;

        @Option(
                names = "--datasets",
                paramLabel = "DIR",
                description =
                        "Real texts (SST-2, TweetEval; default: $STREAMGUARD_DATASETS or"
                                + " ../shared/datasets beside the checkout).")
        Path datasets;

        Path datasets(CommandSpec spec) {
            Path dir = Checkout.datasetsDir(datasets);
            if (!Files.isDirectory(dir)) {
                throw new ParameterException(
                        spec.commandLine(),
                        "datasets directory not found: "
                                + dir
                                + " (--datasets DIR or STREAMGUARD_DATASETS point elsewhere)");
            }
            return dir;
        }
    }

    private static void checkEncoder(CommandSpec spec, String option, String id) {
        if (!EncoderFactory.AVAILABLE.contains(id)) {
            throw new ParameterException(
                    spec.commandLine(),
                    option
                            + ": unknown encoder '"
                            + id
                            + "' (available: "
                            + String.join(", ", new TreeSet<>(EncoderFactory.AVAILABLE))
                            + ")");
        }
    }

    private static void atLeast(CommandSpec spec, String option, long value, long min) {
        if (value < min) {
            throw new ParameterException(
                    spec.commandLine(), option + " must be at least " + min + ", was " + value);
        }
    }

    private static void progress(PrintWriter err, String line) {
        err.println("bench: " + line);
        err.flush();
    }
}
