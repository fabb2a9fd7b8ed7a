package io.streamguard.launcher.bench;

import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.launcher.cli.Usage;
import io.streamguard.launcher.client.StreamGuardTopics;
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

/** Faults under load: what a long-running deployment meets, in one run, counted by a downstream reader. */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        description = {
            "Starts an embedded broker and registry and worker JVMs by role (--tokenizers, --inference-workers),"
                    + " produces --events texts at --rate (every 1000th an empty text, which must be"
                    + " dead-lettered), and meanwhile SIGKILLs and restarts every worker, adds an inference worker"
                    + " and removes one, publishes another model version and changes the policy, restarts the"
                    + " broker, stops the broker for --outage-seconds and then the registry as long (while a"
                    + " newer writer schema is produced). A read_committed consumer counts lost, duplicated,"
                    + " out-of-order and wrongly dead-lettered events; each fault gets its recovery time.",
            "Exit status 0 when nothing was lost, duplicated, reordered or wrongly dead-lettered and no worker"
                    + " exited by itself; 1 otherwise. About 20 minutes with the defaults on 2 cores."
        })
final class ChaosCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    WorkerModel model;

    @Option(
            names = "--swap-to",
            paramLabel = "FILE",
            description = "Model published mid-run (default: models/v1/<encoder>.json).")
    Path swapTo;

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "" + ChaosBenchmark.DEFAULT_EVENTS,
            description = "Events to produce; default: ${DEFAULT-VALUE}.")
    long events;

    @Option(
            names = "--rate",
            paramLabel = "PER_SECOND",
            defaultValue = "" + ChaosBenchmark.DEFAULT_RATE,
            description = "Steady rate of the producer; default: ${DEFAULT-VALUE} events/s.")
    double rate;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "" + StreamGuardTopics.DEFAULT_PARTITIONS,
            description = "Partitions of the topics; default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(
            names = "--tokenizers",
            paramLabel = "N",
            defaultValue = "1",
            description = "Tokenizer worker JVMs; default: ${DEFAULT-VALUE}.")
    int tokenizers;

    @Option(
            names = "--inference-workers",
            paramLabel = "N",
            defaultValue = "2",
            description = "Inference worker JVMs (one more is added and one removed mid-run); default:"
                    + " ${DEFAULT-VALUE}.")
    int inferenceWorkers;

    @Option(
            names = "--outage-seconds",
            paramLabel = "S",
            defaultValue = "" + ChaosBenchmark.DEFAULT_OUTAGE_SECONDS,
            description = "How long the broker, then the registry, is away; default: ${DEFAULT-VALUE}.")
    int outageSeconds;

    @Mixin
    BenchOptions common;

    @Option(names = "--json", description = "Print the report as JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        model.checkEncoder();
        Usage.atLeast(spec, "--events", events, 1);
        Usage.positive(spec, "--rate", rate);
        Usage.atLeast(spec, "--partitions", partitions, 1);
        Usage.atLeast(spec, "--tokenizers", tokenizers, 1);
        Usage.atLeast(spec, "--inference-workers", inferenceWorkers, 1);
        Usage.atLeast(spec, "--outage-seconds", outageSeconds, 1);
        Path swap = swapTo != null ? swapTo : ModelFiles.headsFile(ModelFiles.FIRST_VERSION, model.encoder);
        if (!Files.isRegularFile(swap)) {
            throw Usage.error(spec, "--swap-to: no model file " + swap);
        }
        Path startHeads = model.headsFile();
        Path datasets = common.datasets(spec);
        PrintWriter err = spec.commandLine().getErr();
        ChaosReport report = ChaosBenchmark.run(
                new ChaosBenchmark.Options(
                        model.encoder,
                        startHeads.toAbsolutePath(),
                        swap.toAbsolutePath(),
                        datasets,
                        events,
                        rate,
                        partitions,
                        tokenizers,
                        inferenceWorkers,
                        outageSeconds,
                        common.device.name().toLowerCase(Locale.ROOT),
                        Files.createTempDirectory("streamguard-chaos-"),
                        // originalArgs are the whole command line from "bench" on
                        "streamguard "
                                + String.join(
                                        " ", spec.commandLine().getParseResult().originalArgs())),
                line -> BenchOptions.progress(err, line));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? ReportRenderer.json(report) + "\n" : report.table());
        out.flush();
        return report.passed() ? 0 : 1;
    }
}
