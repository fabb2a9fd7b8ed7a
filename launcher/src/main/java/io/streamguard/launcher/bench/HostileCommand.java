package io.streamguard.launcher.bench;

import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.launcher.cli.Usage;
import io.streamguard.launcher.client.StreamGuardTopics;
import io.streamguard.launcher.stack.WorkerJvm;
import io.streamguard.topology.hostile.Mutants;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Hostile and fuzzed records through worker JVMs on a real broker: each accounted for once, memory bounded. */
@Command(
        name = "hostile",
        mixinStandardHelpOptions = true,
        description = {
            "Starts an embedded broker and registry and two worker JVMs (streamguard worker --role tokenizer and"
                    + " --role inference, exactly_once_v2), then sends hostile records (random bytes, lengths"
                    + " that lie, invalid UTF-8, format characters, a 1 MB token, a record at the broker's maximum"
                    + " size, a 20,000-entry map, null and empty keys, 5,000 headers) and --mutants fuzzed valid"
                    + " records, interleaved with valid events, --passes times. A read_committed consumer of"
                    + " text-labeled and text-events-dlq accounts for every record: labeled once or dead-lettered"
                    + " once with its reason. Each worker's heap (after a full GC, through jcmd) and RSS are taken"
                    + " before the corpus and after each pass.",
            "The table goes to stdout, progress to stderr; exit status 1 if a record was lost, duplicated or got"
                    + " an outcome it should not, or a worker died. A few minutes with the defaults."
        })
final class HostileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--heads",
            paramLabel = "FILE",
            description = "Heads file of the inference worker (default: models/"
                    + "v2/minilm-l6.json in the checkout, as workers serve it).")
    Path heads;

    @Option(
            names = "--mutants",
            paramLabel = "N",
            defaultValue = "" + HostileBenchmark.DEFAULT_MUTANTS,
            description = "Fuzzed mutants of valid records per pass; default: ${DEFAULT-VALUE}.")
    int mutants;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "" + Mutants.DEFAULT_SEED,
            description = "The fuzzer's seed; default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--passes",
            paramLabel = "N",
            defaultValue = "" + HostileBenchmark.DEFAULT_PASSES,
            description = "Times the same records are sent (memory is taken after each); default: ${DEFAULT-VALUE}.")
    int passes;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "" + StreamGuardTopics.DEFAULT_PARTITIONS,
            description = "Partitions of the topics; default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--json", description = "Print the report as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Usage.atLeast(spec, "--mutants", mutants, 0);
        Usage.atLeast(spec, "--passes", passes, 1);
        Usage.atLeast(spec, "--partitions", partitions, 1);
        Path headsFile = ModelFiles.heads(spec, heads, ModelFiles.DEFAULT_ENCODER);
        PrintWriter err = spec.commandLine().getErr();
        HostileReport report = HostileBenchmark.run(
                new HostileBenchmark.Options(
                        headsFile,
                        mutants,
                        seed,
                        passes,
                        partitions,
                        WorkerJvm.launcherClasspath(),
                        Files.createTempDirectory("streamguard-hostile-")),
                line -> BenchOptions.progress(err, line));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? ReportRenderer.json(report) + "\n" : ReportRenderer.table(report));
        out.flush();
        return report.ok() ? 0 : 1;
    }
}
