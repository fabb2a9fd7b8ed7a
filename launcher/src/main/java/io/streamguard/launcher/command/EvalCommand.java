package io.streamguard.launcher.command;

import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.model.Classifier;
import io.streamguard.model.Prediction;
import io.streamguard.model.batch.BatchPolicy;
import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.heads.HeadKind;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.training.ClassificationReport;
import io.streamguard.model.training.Dataset;
import io.streamguard.model.training.DatasetFormatException;
import io.streamguard.model.training.DatasetReader;
import io.streamguard.model.training.Metrics;
import io.streamguard.model.training.PrCurvePlot;
import io.streamguard.model.training.ProgressBar;
import io.streamguard.model.training.Task;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code streamguard eval}: a trained model on any labelled file, through the same classifier the
 * workers run (tokenizer, batching, encoder, heads), so the numbers are the serving path's.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate a model on a labelled file: TSV 'label<TAB>text' (a header row allowed) or JSONL"
                    + " {\"text\": ..., \"label\": ...} (.jsonl/.ndjson/.json).",
            "Prints accuracy, precision/recall/F1 per class and macro, ROC-AUC and the confusion matrix."
                    + " Moderation labels are decided at the model's review threshold unless --threshold."
        })
public final class EvalCommand implements Callable<Integer> {
    /** Texts per classifier call: large enough for full batches, small enough for a live progress bar. */
    private static final int CHUNK = 256;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Labelled data.")
    Path file;

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "sentiment, offensive, hate or spam.")
    String task;

    @Option(
            names = "--model",
            paramLabel = "VERSION|FILE",
            defaultValue = "v1",
            description = "A heads file, or a version under models/ (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(
            names = "--encoder",
            paramLabel = "ID",
            defaultValue = EncoderConfig.MINILM_L6,
            description = "Which encoder's heads a version means; default: ${DEFAULT-VALUE}.")
    String encoder;

    @Option(
            names = "--threshold",
            paramLabel = "P",
            description = "Decide a moderation label at this probability instead of the model's review threshold.")
    Double threshold;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            defaultValue = "AUTO",
            description = "auto, cpu or gpu; default: ${DEFAULT-VALUE}.")
    Device device;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--plot", paramLabel = "PNG", description = "Also write the precision-recall curve as a PNG.")
    Path plot;

    @Override
    public Integer call() {
        Task parsedTask;
        try {
            parsedTask = Task.of(task);
        } catch (IllegalArgumentException e) {
            throw usage("--task: " + e.getMessage());
        }
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw usage("--threshold must lie in [0, 1], was " + threshold);
        }
        if (threshold != null && parsedTask.headKind() == HeadKind.SOFTMAX) {
            // The softmax head decides by its most probable class; silently ignoring the option would mislead.
            throw usage("--threshold applies to the moderation tasks (offensive, hate, spam), not " + parsedTask.id());
        }
        if (!Files.isRegularFile(file)) {
            throw usage("no such file: " + file);
        }
        Path headsPath = ModelFiles.resolve(model, encoder);
        if (!Files.isRegularFile(headsPath)) {
            throw usage("--model: no heads file " + headsPath + " (train one with: streamguard train --encoder "
                    + encoder + (ModelFiles.isVersion(model) ? " --version " + model : " --out " + model) + ")");
        }
        Dataset data;
        try {
            data = DatasetReader.read(file, parsedTask);
        } catch (DatasetFormatException e) {
            throw usage(e.getMessage());
        }
        HeadsModel heads = HeadsFile.read(headsPath);
        if (heads.heads().stream().noneMatch(h -> h.name().equals(parsedTask.headName()))) {
            throw usage("model " + heads.version() + " has no " + parsedTask.id() + " head");
        }

        PrintWriter err = spec.commandLine().getErr();
        err.println("eval: " + data.summary() + "; model " + heads.version() + " on " + heads.encoderId());
        err.flush();
        EncoderConfig config =
                EncoderConfig.of(heads.encoderId()).withDevice(device).withMaxLength(heads.maxLength());
        int n = data.size();
        double[] positive = new double[n];
        double[][] probabilities = new double[n][];
        try (Classifier classifier = Classifier.load(config, headsPath, BatchPolicy.DEFAULT)) {
            ProgressBar progress = ProgressBar.onStderr("eval " + parsedTask.id(), "texts");
            List<String> texts = data.texts();
            long start = System.nanoTime();
            for (int from = 0; from < n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK);
                List<Prediction> predictions = classifier.classify(texts.subList(from, to));
                for (int i = from; i < to; i++) {
                    Prediction p = predictions.get(i - from);
                    if (parsedTask.headKind() == HeadKind.SOFTMAX) {
                        var classes =
                                p.scores().classes().get(parsedTask.headName()).probabilities();
                        probabilities[i] = parsedTask.classNames().stream()
                                .mapToDouble(c -> classes.get(c))
                                .toArray();
                    } else {
                        positive[i] = p.scores().label(parsedTask.id());
                    }
                }
                progress.progress(to, n, Duration.ofNanos(System.nanoTime() - start));
            }
        }
        ClassificationReport report;
        if (parsedTask.headKind() == HeadKind.SOFTMAX) {
            report = Metrics.multiclass(parsedTask.classNames(), data.labels(), probabilities);
            for (int i = 0; i < n; i++) {
                positive[i] = probabilities[i][1];
            }
        } else {
            double cut = threshold != null
                    ? threshold
                    : heads.thresholds().get(parsedTask.id()).review();
            report = Metrics.binary(parsedTask.classNames(), data.labels(), positive, cut);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.toJson() + "\n" : report.toTable());
        if (plot != null) {
            try {
                PrCurvePlot.write(
                        plot,
                        parsedTask.id() + " — " + heads.version() + " on " + heads.encoderId() + " — "
                                + file.getFileName(),
                        Metrics.precisionRecallCurve(data.labels(), positive),
                        report.averagePrecision() == null ? Double.NaN : report.averagePrecision(),
                        (double) data.positives() / n);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + plot + ": " + e.getMessage(), e);
            }
            err.println("eval: wrote " + plot);
        }
        out.flush();
        err.flush();
        return 0;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
