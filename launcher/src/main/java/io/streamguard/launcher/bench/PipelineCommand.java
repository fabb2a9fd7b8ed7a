package io.streamguard.launcher.bench;

import io.streamguard.launcher.cli.Usage;
import io.streamguard.launcher.client.StreamGuardTopics;
import io.streamguard.topology.WorkerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
            "The table goes to stdout, progress to stderr. About a minute with the defaults on" + " minilm-l6."
        })
final class PipelineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    WorkerModel model;

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
            description = "streamguard.batch.max.size of the batched runs (texts per micro-batch);"
                    + " default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--engine-batch",
            paramLabel = "N",
            defaultValue = "" + WorkerConfig.DEFAULT_ENGINE_BATCH_SIZE,
            description = "streamguard.batch.engine.size: texts per encoder call, cut by length from each"
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

    @Mixin
    BenchOptions common;

    @Option(names = "--json", description = "Print the report as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        model.checkEncoder();
        Usage.atLeast(spec, "--events", events, 1);
        Usage.positive(spec, "--rate", rate);
        Usage.atLeast(spec, "--batch-size", batchSize, 1);
        Usage.atLeast(spec, "--engine-batch", engineBatch, 1);
        Usage.atLeast(spec, "--batch-wait-ms", batchWaitMs, 1);
        Usage.atLeast(spec, "--partitions", partitions, 1);
        Guarantee processing;
        try {
            processing = Guarantee.parse(guarantee);
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, "--guarantee " + e.getMessage());
        }
        Path datasets = common.datasets(spec);
        Path headsFile = model.headsFile();

        PrintWriter err = spec.commandLine().getErr();
        PipelineReport report = PipelineBenchmark.run(
                new PipelineBenchmark.Options(
                        model.encoder,
                        headsFile,
                        datasets,
                        events,
                        rate,
                        batchSize,
                        engineBatch,
                        batchWaitMs,
                        partitions,
                        processing,
                        common.device.name().toLowerCase(Locale.ROOT),
                        Files.createTempDirectory("streamguard-bench-")),
                line -> BenchOptions.progress(err, line));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? ReportRenderer.json(report) + "\n" : ReportRenderer.table(report));
        out.flush();
        return 0;
    }
}
