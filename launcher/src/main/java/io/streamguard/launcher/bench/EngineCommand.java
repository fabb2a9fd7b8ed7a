package io.streamguard.launcher.bench;

import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.launcher.cli.Usage;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.Precision;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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
final class EngineCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--encoders",
            paramLabel = "ID",
            split = ",",
            defaultValue = "bert-base-uncased,minilm-l6,bge-small-zh",
            description = "Encoders to measure, one after the other; default: ${DEFAULT-VALUE}.")
    List<String> encoders;

    @Option(
            names = "--precision",
            paramLabel = "P",
            split = ",",
            defaultValue = "fp32",
            description = "Arithmetic to measure each encoder in (fp32, bf16, fp16 on a GPU, auto: bf16 where the CPU"
                    + " has it),"
                    + " side by side; default: ${DEFAULT-VALUE}.")
    List<String> precisions;

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
            description = "Tokens per text, [CLS] and [SEP] included (2..512); default: ${DEFAULT-VALUE}.")
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
            description = "Cheap cells keep iterating until their timed runs took this long (steadier"
                    + " medians); 0 = exactly --iterations. Default: ${DEFAULT-VALUE}.")
    double minSeconds;

    @Option(
            names = "--tokenizer-texts",
            paramLabel = "N",
            defaultValue = "" + EngineBenchmark.DEFAULT_TOKENIZER_TEXTS,
            description = "Real texts for the tokenizer share (0 skips it); default: ${DEFAULT-VALUE}.")
    int tokenizerTexts;

    @Mixin
    BenchOptions common;

    @Option(
            names = "--models",
            paramLabel = "MODEL",
            split = ",",
            description = "Measure these models' encoders instead (a version under models/ of the one --encoders"
                    + " names, or a heads file), each with its fine-tuned adapters merged: e.g. --encoders"
                    + " minilm-l6 --models v1,v2 puts the fine-tuned v2 beside the frozen v1.")
    List<String> models = List.of();

    @Option(names = "--json", description = "Print the report as JSON instead of tables.")
    boolean json;

    @Override
    public Integer call() {
        List<Precision> arithmetic = precisions(); // arguments first, before any file of the checkout
        for (String id : encoders) {
            Usage.knownEncoder(spec, "--encoders", id);
        }
        for (int b : batchSizes) {
            Usage.atLeast(spec, "--batch-sizes", b, 1);
        }
        for (int l : lengths) {
            if (l < 2 || l > 512) {
                throw new ParameterException(spec.commandLine(), "--lengths must be between 2 and 512, was " + l);
            }
        }
        Usage.atLeast(spec, "--iterations", iterations, 1);
        if (iterations > EngineBenchmark.MAX_ITERATIONS) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--iterations must be at most " + EngineBenchmark.MAX_ITERATIONS + ", was " + iterations);
        }
        if (!(minSeconds >= 0)) {
            throw new ParameterException(spec.commandLine(), "--min-seconds must not be negative, was " + minSeconds);
        }
        Usage.atLeast(spec, "--warmup", warmup, 0);
        Usage.atLeast(spec, "--tokenizer-texts", tokenizerTexts, 0);
        Path datasets = common.datasets(spec);
        List<Path> heads = new ArrayList<>();
        if (!models.isEmpty() && encoders.size() != 1) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--models needs exactly one --encoders (whose" + " models/<VERSION>/ they name), got "
                            + String.join(",", encoders));
        }
        for (String model : models) {
            Path file = ModelFiles.resolve(model, encoders.get(0));
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), "--models: no model file " + file);
            }
            heads.add(file);
        }

        PrintWriter err = spec.commandLine().getErr();
        EngineReport report = EngineBenchmark.run(
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
                        EncoderConfig.defaultCacheDir(),
                        heads,
                        arithmetic),
                line -> BenchOptions.progress(err, line));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? ReportRenderer.json(report) + "\n" : ReportRenderer.table(report));
        out.flush();
        return 0;
    }

    private List<Precision> precisions() {
        return precisions.stream().map(p -> Usage.precision(spec, p)).distinct().toList();
    }
}
