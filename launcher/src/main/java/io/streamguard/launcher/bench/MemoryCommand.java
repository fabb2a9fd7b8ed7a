package io.streamguard.launcher.bench;

import io.streamguard.launcher.cli.Usage;
import io.streamguard.model.encoder.EncoderConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
final class MemoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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

    @Mixin
    BenchOptions common;

    @Override
    public Integer call() {
        Usage.knownEncoder(spec, "--encoder", encoder);
        Usage.atLeast(spec, "--texts", texts, 1);
        Usage.atLeast(spec, "--batch-size", batchSize, 1);
        Path datasets = common.datasets(spec);

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Runtime rt = Runtime.getRuntime();
        if (rt.totalMemory() != rt.maxMemory()) {
            BenchOptions.progress(
                    err,
                    "the heap is not pinned (committed "
                            + (rt.totalMemory() >> 20)
                            + " MB of "
                            + (rt.maxMemory() >> 20)
                            + " MB): heap growth will show in RSS; pin it with"
                            + " STREAMGUARD_JAVA_OPTS='-Xms512m -Xmx512m -XX:+AlwaysPreTouch'");
        }
        BenchOptions.progress(err, "loading " + encoder + " (device " + common.device + ")");
        long[] first = {-1};
        MemoryBenchmark.Report report = MemoryBenchmark.run(
                new MemoryBenchmark.Options(
                        encoder, common.device, datasets, texts, batchSize, EncoderConfig.defaultCacheDir()),
                s -> {
                    if (first[0] < 0) {
                        first[0] = s.rssKb();
                    }
                    out.printf(
                            "texts %,13d  RSS %,7d MB  %+,9d KB  %7.0f s%n",
                            s.texts(), s.rssKb() >> 10, s.rssKb() - first[0], s.seconds());
                    out.flush();
                });
        out.println(report.summary());
        out.flush();
        return 0;
    }
}
