package io.streamguard.launcher.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamguard.launcher.cli.Checkout;
import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.launcher.cli.Usage;
import io.streamguard.model.Classifier;
import io.streamguard.model.Prediction;
import io.streamguard.model.batch.BatchPolicy;
import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.Precision;
import io.streamguard.model.heads.HeadKind;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.Scores;
import io.streamguard.model.language.Language;
import io.streamguard.model.training.BenignSet;
import io.streamguard.model.training.BuiltinDatasets;
import io.streamguard.model.training.ClassificationReport;
import io.streamguard.model.training.Dataset;
import io.streamguard.model.training.DatasetFormatException;
import io.streamguard.model.training.DatasetReader;
import io.streamguard.model.training.Metrics;
import io.streamguard.model.training.OverBlocking;
import io.streamguard.model.training.PrCurvePlot;
import io.streamguard.model.training.ProgressBar;
import io.streamguard.model.training.Task;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
            "Evaluate a model on a labelled file: TSV 'label<TAB>text' (a header row allowed; ChnSentiCorp's"
                    + " layout), JSONL {\"text\": ..., \"label\": ...} (.jsonl/.ndjson/.json), or CSV (.csv) under a"
                    + " header naming the label and text columns (COLD's layout, e.g. ',split,topic,label,TEXT').",
            "Prints accuracy, precision/recall/F1 per class and macro, ROC-AUC and the confusion matrix."
                    + " Moderation labels are decided at the model's review threshold unless --threshold.",
            "--benign (with or without FILE) adds over-blocking: per moderation label, the share of harmless"
                    + " training texts that reach its review and block thresholds."
        })
public final class EvalCommand implements Callable<Integer> {
    /** Texts per classifier call: large enough for full batches, small enough for a live progress bar. */
    private static final int CHUNK = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "Labelled data (optional with --benign).")
    Path file;

    @Option(names = "--task", paramLabel = "TASK", description = "sentiment, offensive, hate or spam (with FILE).")
    String task;

    @Option(
            names = "--benign",
            description = "Also measure over-blocking: per moderation label, the share of harmless training texts"
                    + " (BenignSet: civil negative SST-2 sentences, ham SMS; for a Chinese model negative ChnSentiCorp"
                    + " reviews; the half training sets no threshold on) at or above its review and block"
                    + " thresholds, and the decision on a few everyday sentences.")
    boolean benign;

    @Option(
            names = "--datasets",
            paramLabel = "DIR",
            description = "Where --benign finds the training data (default: $STREAMGUARD_DATASETS or"
                    + " ../shared/datasets beside the checkout).")
    Path datasets;

    @Option(
            names = "--model",
            paramLabel = "VERSION|FILE",
            description = "A heads file, or a version under models/ (default: what up serves, v2 for minilm-l6,"
                    + " v1 for bert-base-uncased).")
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

    @Option(
            names = "--precision",
            paramLabel = "P",
            defaultValue = "fp32",
            description = "The encoder's arithmetic: fp32, bf16, fp16 (on a GPU) or auto (as workers resolve it);"
                    + " default:"
                    + " ${DEFAULT-VALUE}, as the model was trained.")
    String precision;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--plot", paramLabel = "PNG", description = "Also write the precision-recall curve as a PNG.")
    Path plot;

    @Override
    public Integer call() {
        if (file == null && !benign) {
            throw usage("Missing required parameter: 'FILE' (or --benign)");
        }
        Precision arithmetic = Usage.precision(spec, precision);
        if (file != null && task == null) {
            throw usage("Missing required option: '--task=TASK'");
        }
        if (file == null && (task != null || threshold != null || plot != null)) {
            throw usage("--task, --threshold and --plot apply to FILE; --benign alone measures every moderation label");
        }
        Task parsedTask = null;
        if (task != null) {
            try {
                parsedTask = Task.of(task);
            } catch (IllegalArgumentException e) {
                throw usage("--task: " + e.getMessage());
            }
        }
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw usage("--threshold must lie in [0, 1], was " + threshold);
        }
        if (threshold != null && parsedTask.headKind() == HeadKind.SOFTMAX) {
            // The softmax head decides by its most probable class; silently ignoring the option would mislead.
            throw usage("--threshold applies to the moderation tasks (offensive, hate, spam), not " + parsedTask.id());
        }
        if (file != null && !Files.isRegularFile(file)) {
            throw usage("no such file: " + file);
        }
        if (model == null) {
            model = ModelFiles.defaultVersion(encoder);
        }
        Path headsPath = ModelFiles.resolve(model, encoder);
        if (!Files.isRegularFile(headsPath)) {
            throw usage("--model: no heads file " + headsPath + " (train one with: streamguard train --encoder "
                    + encoder + (ModelFiles.isVersion(model) ? " --version " + model : " --out " + model) + ")");
        }
        HeadsModel heads = HeadsFile.read(headsPath);
        Dataset data = null;
        if (file != null) {
            try {
                data = DatasetReader.read(file, parsedTask);
            } catch (DatasetFormatException e) {
                throw usage(e.getMessage());
            }
        }
        BenignSet benignSet = null;
        if (benign) {
            // The benign texts of the model's language: Chinese heads are not measured on English text.
            Language language = Language.ofEncoder(heads.encoderId());
            BuiltinDatasets builtin = new BuiltinDatasets(Checkout.datasetsDir(datasets));
            if (!builtin.available(language)) {
                throw usage("--benign: " + (language == Language.ENGLISH ? "" : language.displayName() + " ")
                        + "training data not found under " + builtin.dir() + " (--datasets DIR)");
            }
            benignSet = BenignSet.sample(builtin, language).heldOut(); // the half no threshold was set on
        }
        String headName = parsedTask == null ? null : parsedTask.headName();
        if (headName != null && heads.heads().stream().noneMatch(h -> h.name().equals(headName))) {
            throw usage("model " + heads.version() + " has no " + parsedTask.id() + " head");
        }

        PrintWriter err = spec.commandLine().getErr();
        EncoderConfig config = EncoderConfig.of(heads.encoderId())
                .withDevice(device)
                .withMaxLength(heads.maxLength())
                .withPrecision(arithmetic);
        ClassificationReport report = null;
        OverBlocking overBlocking = null;
        double[] positive = null;
        try (Classifier classifier = Classifier.load(config, headsPath, BatchPolicy.DEFAULT)) {
            if (data != null) {
                err.println("eval: " + data.summary() + "; model " + heads.version() + " on " + heads.encoderId());
                err.flush();
                List<Scores> scores = score(classifier, data.texts(), "eval " + parsedTask.id());
                positive = new double[scores.size()];
                report = report(parsedTask, heads, data, scores, positive);
            }
            if (benignSet != null) {
                err.println("eval: benign set of " + benignSet.texts().size() + " texts ("
                        + benignSet.smoke().size() + " everyday sentences besides); model " + heads.version() + " on "
                        + heads.encoderId());
                err.flush();
                overBlocking = OverBlocking.measure(
                        benignSet, heads.thresholds(), texts -> score(classifier, texts, "eval benign"));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(json(report, overBlocking) + "\n");
        } else {
            if (report != null) {
                out.print(report.toTable());
            }
            if (overBlocking != null) {
                if (report != null) {
                    out.println();
                }
                out.print(overBlocking.toTable());
            }
        }
        if (plot != null) {
            try {
                PrCurvePlot.write(
                        plot,
                        parsedTask.id() + " — " + heads.version() + " on " + heads.encoderId() + " — "
                                + file.getFileName(),
                        Metrics.precisionRecallCurve(data.labels(), positive),
                        report.averagePrecision() == null ? Double.NaN : report.averagePrecision(),
                        (double) data.positives() / data.size());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + plot + ": " + e.getMessage(), e);
            }
            err.println("eval: wrote " + plot);
        }
        out.flush();
        err.flush();
        return 0;
    }

    /** Every text through the serving classifier, in chunks, with a progress bar. */
    private static List<Scores> score(Classifier classifier, List<String> texts, String what) {
        ProgressBar progress = ProgressBar.onStderr(what, "texts");
        int n = texts.size();
        List<Scores> scores = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            for (Prediction p : classifier.classify(texts.subList(from, to))) {
                scores.add(p.scores());
            }
            progress.progress(to, n, Duration.ofNanos(System.nanoTime() - start));
        }
        return scores;
    }

    /** The classification report of {@code task}; fills {@code positive} with each row's class-1 probability. */
    private ClassificationReport report(
            Task task, HeadsModel heads, Dataset data, List<Scores> scores, double[] positive) {
        int n = data.size();
        if (task.headKind() == HeadKind.SOFTMAX) {
            double[][] probabilities = new double[n][];
            for (int i = 0; i < n; i++) {
                var classes = scores.get(i).classes().get(task.headName()).probabilities();
                probabilities[i] = task.classNames().stream()
                        .mapToDouble(c -> classes.get(c))
                        .toArray();
                positive[i] = probabilities[i][1];
            }
            return Metrics.multiclass(task.classNames(), data.labels(), probabilities);
        }
        for (int i = 0; i < n; i++) {
            positive[i] = scores.get(i).label(task.id());
        }
        double cut = threshold != null
                ? threshold
                : heads.thresholds().get(task.id()).review();
        return Metrics.binary(task.classNames(), data.labels(), positive, cut);
    }

    /** The report's JSON; with --benign, its over-blocking under {@code overBlocking} (alone without FILE). */
    private static String json(ClassificationReport report, OverBlocking overBlocking) {
        if (report == null) {
            return overBlocking.toJson();
        }
        if (overBlocking == null) {
            return report.toJson();
        }
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(report.toJson());
            node.set("overBlocking", JSON.readTree(overBlocking.toJson()));
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("reports are always valid JSON", e);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
