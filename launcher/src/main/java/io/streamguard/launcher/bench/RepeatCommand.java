package io.streamguard.launcher.bench;

import io.streamguard.launcher.cli.Usage;
import io.streamguard.model.encoder.Precision;
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

/** The repeat cache on traffic that repeats itself, against the same traffic without it. */
@Command(
        name = "repeats",
        mixinStandardHelpOptions = true,
        description = {
            "Starts an embedded broker and registry and, on one warm model, four labeling workers in turn, each"
                    + " at saturation: a stream in which --share of the events repeat an earlier one, and as many"
                    + " distinct texts, each with the repeat cache off and on. Reports events/s, latency,"
                    + " the cache's hit rate, that every event was labeled exactly once, and that the two runs of"
                    + " the repeating stream decided every event alike.",
            "The table goes to stdout, progress to stderr. A few minutes with the defaults on minilm-l6."
        })
final class RepeatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    WorkerModel model;

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "" + RepeatBenchmark.DEFAULT_EVENTS,
            description = "Events per run; default: ${DEFAULT-VALUE}.")
    int events;

    @Option(
            names = "--share",
            paramLabel = "R",
            defaultValue = "" + RepeatBenchmark.DEFAULT_SHARE,
            description = "Expected share of repeats in the repeating stream, in [0, 1); default: ${DEFAULT-VALUE}.")
    double share;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "3",
            description = "Partitions of the stack's topics; default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(
            names = "--precision",
            paramLabel = "P",
            defaultValue = "auto",
            description = "The encoder's arithmetic (auto, fp32, bf16, fp16), as streamguard.model.precision; default:"
                    + " ${DEFAULT-VALUE}.")
    String precision;

    @Mixin
    BenchOptions common;

    @Option(names = "--json", description = "Print the report as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        model.checkEncoder();
        Usage.atLeast(spec, "--events", events, 1);
        Usage.atLeast(spec, "--partitions", partitions, 1);
        if (!(share >= 0 && share < 1)) {
            throw Usage.error(spec, "--share must be in [0, 1), was " + share);
        }
        Precision arithmetic = Usage.precision(spec, precision);
        Path datasets = common.datasets(spec);
        Path headsFile = model.headsFile();
        PrintWriter err = spec.commandLine().getErr();
        RepeatReport report = RepeatBenchmark.run(
                new RepeatBenchmark.Options(
                        model.encoder,
                        headsFile,
                        datasets,
                        events,
                        share,
                        partitions,
                        common.device.name().toLowerCase(Locale.ROOT),
                        arithmetic,
                        Files.createTempDirectory("streamguard-bench-")),
                line -> BenchOptions.progress(err, line));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? ReportRenderer.json(report) + "\n" : ReportRenderer.table(report));
        out.flush();
        return 0;
    }
}
