package io.streamguard.launcher.bench;

import io.streamguard.launcher.cli.Checkout;
import io.streamguard.launcher.cli.Usage;
import io.streamguard.launcher.client.ConnectorConfigs;
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

/** The Kafka Connect connectors beside the pipeline they feed and drain. */
@Command(
        name = "connectors",
        mixinStandardHelpOptions = true,
        description = {
            "Starts an embedded broker, registry, PostgreSQL and Connect worker with the checkout's"
                    + " connectors/config/ applied, and a labeling worker (role all), then measures in one run:"
                    + " (1) --events texts produced at once: the pipeline's labeled events/s beside the"
                    + " moderation-events sink's rows/s in moderation_events and the sink's lag behind the last"
                    + " labeled event; (2) --comments rows inserted into comments at --comment-rate: created_at"
                    + " to the labeled row visible in moderation_events, p50/p99/max on PostgreSQL's clock.",
            "The table goes to stdout, progress to stderr. A few minutes with the defaults."
        })
final class ConnectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    WorkerModel model;

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "" + ConnectBenchmark.DEFAULT_EVENTS,
            description = "Real texts produced at once for the throughput run; default: ${DEFAULT-VALUE}.")
    int events;

    @Option(
            names = "--comments",
            paramLabel = "M",
            defaultValue = "" + ConnectBenchmark.DEFAULT_COMMENTS,
            description = "Rows inserted into comments for the latency run; default: ${DEFAULT-VALUE}.")
    int comments;

    @Option(
            names = "--comment-rate",
            paramLabel = "PER_SECOND",
            defaultValue = "" + ConnectBenchmark.DEFAULT_COMMENT_RATE,
            description = "Rows per second inserted into comments; default: ${DEFAULT-VALUE}.")
    double commentRate;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "256",
            description =
                    "streamguard.batch.max.size of the worker (texts per micro-batch); default:" + " ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--batch-wait-ms",
            paramLabel = "MS",
            defaultValue = "20",
            description = "streamguard.batch.max.wait.ms of the worker; default: ${DEFAULT-VALUE}.")
    int batchWaitMs;

    @Option(
            names = "--connector-configs",
            paramLabel = "DIR",
            description = "Connector configs to apply (default: connectors/config/ in the checkout).")
    Path connectorConfigs;

    @Mixin
    BenchOptions common;

    @Option(names = "--json", description = "Print the report as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        model.checkEncoder();
        Usage.atLeast(spec, "--events", events, 1);
        Usage.atLeast(spec, "--comments", comments, 1);
        Usage.positive(spec, "--comment-rate", commentRate);
        Usage.atLeast(spec, "--batch-size", batchSize, 1);
        Usage.atLeast(spec, "--batch-wait-ms", batchWaitMs, 1);
        Path datasets = common.datasets(spec);
        Path headsFile = model.headsFile();
        Path connectors = connectorConfigs != null
                ? connectorConfigs
                : Checkout.home().resolve(ConnectorConfigs.CONFIG_IN_CHECKOUT);
        try {
            ConnectorConfigs.read(connectors); // a missing dir or a bad file fails here, before anything starts
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, "--connector-configs: " + e.getMessage());
        }

        PrintWriter err = spec.commandLine().getErr();
        ConnectReport report = ConnectBenchmark.run(
                new ConnectBenchmark.Options(
                        new BenchWorker.Settings(
                                model.encoder,
                                headsFile,
                                common.device.name().toLowerCase(Locale.ROOT),
                                batchSize,
                                WorkerConfig.DEFAULT_ENGINE_BATCH_SIZE,
                                batchWaitMs,
                                Guarantee.EXACTLY_ONCE_V2),
                        datasets,
                        connectors,
                        events,
                        comments,
                        commentRate,
                        Files.createTempDirectory("streamguard-bench-connect-")),
                line -> BenchOptions.progress(err, line));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? ReportRenderer.json(report) + "\n" : ReportRenderer.table(report));
        out.flush();
        return 0;
    }
}
