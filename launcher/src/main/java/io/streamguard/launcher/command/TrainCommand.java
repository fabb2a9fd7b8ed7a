package io.streamguard.launcher.command;

import io.streamguard.launcher.cli.Checkout;
import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.launcher.cli.Usage;
import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.Float16;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.language.Language;
import io.streamguard.model.training.AdapterTuning;
import io.streamguard.model.training.BenignSet;
import io.streamguard.model.training.BuiltinDatasets;
import io.streamguard.model.training.EpochStats;
import io.streamguard.model.training.FeatureCache;
import io.streamguard.model.training.ModelTrainer;
import io.streamguard.model.training.OverBlocking;
import io.streamguard.model.training.ProgressBar;
import io.streamguard.model.training.ProgressListener;
import io.streamguard.model.training.Task;
import io.streamguard.model.training.TrainingOptions;
import io.streamguard.model.training.TrainingReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code streamguard train}: heads for every task on one encoder's cached features, written as a
 * model version with its evaluation report.
 */
@Command(
        name = "train",
        description = {
            "Train the moderation (offensive, hate, spam) and sentiment heads on an encoder's features"
                    + " and write models/<version>/<encoder>.json plus its evaluation report (.md).",
            "bge-small-zh reads Chinese: it trains offensive (COLD) and sentiment (ChnSentiCorp) under the same"
                    + " task names; hate and spam have no Chinese data.",
            "Features are computed once per encoder and cached (--feature-cache); later runs take"
                    + " minutes. Same data, settings and seed give the same weights."
        })
public final class TrainCommand implements Callable<Integer> {
    // Not mixinStandardHelpOptions: its --version would clash with this command's own --version, and
    // picocli then drops the mixin's --help as well.
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--encoder",
            paramLabel = "ID",
            defaultValue = EncoderConfig.MINILM_L6,
            description = "bert-base-uncased, minilm-l6 or bge-small-zh (Chinese); default: ${DEFAULT-VALUE}.")
    String encoder;

    @Option(
            names = "--version",
            paramLabel = "NAME",
            defaultValue = "v1",
            description = "Model version to write; default: ${DEFAULT-VALUE}.")
    String version;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Heads file to write (default: models/<version>/<encoder>.json in the checkout).")
    Path out;

    @Option(
            names = "--tasks",
            paramLabel = "TASK",
            split = ",",
            description = "Subset of offensive,hate,spam,sentiment (default: every task the encoder's language has"
                    + " data for: all four in English, offensive,sentiment in Chinese).")
    List<String> tasks;

    @Option(
            names = "--hidden",
            paramLabel = "UNITS",
            description = "Hidden ReLU units per head, 0 = linear (default: the encoder's v1 setting).")
    Integer hidden;

    @Option(names = "--learning-rate", paramLabel = "RATE", description = "Adam step size.")
    Float learningRate;

    @Option(names = "--max-epochs", paramLabel = "N", description = "Most epochs per head.")
    Integer maxEpochs;

    @Option(names = "--seed", paramLabel = "N", description = "Training seed (default 42).")
    Long seed;

    /** How the heads file stores kernels. */
    enum Weights {
        FLOAT16,
        FLOAT32
    }

    @Option(
            names = "--weights",
            paramLabel = "TYPE",
            defaultValue = "float16",
            description = "float16 (kernels rounded, half the file; metrics are the rounded model's) or float32;"
                    + " default: ${DEFAULT-VALUE}.")
    Weights weights;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            defaultValue = "AUTO",
            description = "auto, cpu or gpu for feature extraction; default: ${DEFAULT-VALUE}.")
    Device device;

    @Option(
            names = "--datasets",
            paramLabel = "DIR",
            description = "Training data (default: $STREAMGUARD_DATASETS or ../shared/datasets beside the checkout).")
    Path datasets;

    @Option(
            names = "--feature-cache",
            paramLabel = "DIR",
            description = "Encoder feature cache (default: ~/.cache/streamguard/features).")
    Path featureCache;

    @Option(
            names = "--fine-tune",
            description = "First fine-tune the encoder with low-rank adapters on every task, starting from --start"
                    + " (minilm-l6); the heads are then trained on the tuned encoder's features, and the adapters"
                    + " are written with them.")
    boolean fineTune;

    @Option(
            names = "--start",
            paramLabel = "FILE",
            description = "Model to fine-tune from: its heads start the joint training, its adapters (if any) the"
                    + " adapters' (default: models/v1/<encoder>.json).")
    Path start;

    @Option(names = "--tune-epochs", paramLabel = "N", description = "Most fine-tuning epochs (default 4).")
    Integer tuneEpochs;

    @Option(
            names = "--tune-rows",
            paramLabel = "N",
            description = "Training rows per task per fine-tuning epoch (default 6000).")
    Integer tuneRows;

    @Option(
            names = "--tune-learning-rate",
            paramLabel = "RATE",
            description = "Adam step size of the adapters (default 1e-3; the heads take a fifth of it).")
    Float tuneLearningRate;

    @Option(
            names = "--hard-negatives",
            paramLabel = "N",
            description = "Add N negative SST-2 training sentences (none of the benign set) to the offensive and"
                    + " hate heads' training rows as harmless (default 0; v2: 3000).")
    Integer hardNegatives;

    @Option(
            names = "--adapters",
            paramLabel = "FILE",
            description = "Fit the heads on the encoder with FILE's fine-tuned adapters merged (a model trained with"
                    + " --fine-tune), without tuning again: after a change to how heads or thresholds are chosen,"
                    + " in minutes from the feature cache. The report keeps FILE's fine-tuning section.")
    Path adaptersFrom;

    @Override
    public Integer call() {
        Language language = Language.ofEncoder(encoder);
        List<Task> selected;
        try {
            selected = tasks == null ? null : tasks.stream().map(Task::of).toList();
            if (selected != null) {
                selected.forEach(task -> BuiltinDatasets.requireData(task, language));
            }
        } catch (IllegalArgumentException e) {
            throw usage("--tasks: " + e.getMessage());
        }
        if (hardNegatives != null && hardNegatives > 0 && language != Language.ENGLISH) {
            throw usage("--hard-negatives adds English SST-2 sentences: not for " + encoder + " ("
                    + language.displayName() + ")");
        }
        Usage.knownEncoder(spec, "--encoder", encoder);
        if (fineTune && adaptersFrom != null) {
            throw usage("--adapters refits the heads of an already tuned model: leave out --fine-tune");
        }
        HeadsModel tunedFrom = null;
        if (adaptersFrom != null) {
            tunedFrom = HeadsFile.read(ModelFiles.requireGiven(spec, adaptersFrom));
            if (tunedFrom.adapters() == null) {
                throw usage("--adapters: " + adaptersFrom + " carries no fine-tuned adapters");
            }
            if (!tunedFrom.encoderId().equals(encoder)) {
                throw usage(
                        "--adapters: " + adaptersFrom + " was tuned for " + tunedFrom.encoderId() + ", not " + encoder);
            }
        }
        if (fineTune && !encoder.equals(EncoderConfig.MINILM_L6)) {
            throw usage(
                    EncoderConfig.BGE_SMALL_ZH.equals(encoder)
                            ? "--fine-tune is implemented for minilm-l6 (its tuning recipe mixes English data; bge-small-zh's"
                                    + " frozen heads meet their targets)"
                            : "--fine-tune is implemented for minilm-l6 (BERT-base serves a SavedModel whose kernels"
                                    + " cannot take merged adapters yet)");
        }
        if (!fineTune && (start != null || tuneEpochs != null || tuneRows != null || tuneLearningRate != null)) {
            throw usage("--start, --tune-epochs, --tune-rows and --tune-learning-rate need --fine-tune");
        }
        if ((tuneEpochs != null && tuneEpochs < 1) || (tuneRows != null && tuneRows < 1)) {
            throw usage("--tune-epochs and --tune-rows must be at least 1");
        }
        if (hidden != null && hidden < 0) {
            throw usage("--hidden must be at least 0, was " + hidden);
        }
        if (learningRate != null && !(learningRate > 0 && learningRate < Float.POSITIVE_INFINITY)) {
            throw usage("--learning-rate must be a positive number, was " + learningRate);
        }
        if (hardNegatives != null && hardNegatives < 0) {
            throw usage("--hard-negatives must not be negative, was " + hardNegatives);
        }
        if (maxEpochs != null && maxEpochs < 1) {
            throw usage("--max-epochs must be at least 1, was " + maxEpochs);
        }
        Path dataDir = Checkout.datasetsDir(datasets);
        BuiltinDatasets data = new BuiltinDatasets(dataDir);
        if (!data.available(language)) {
            throw usage((language == Language.ENGLISH ? "" : language.displayName() + " ")
                    + "training data not found under " + dataDir + " (--datasets DIR)");
        }
        ModelTrainer.Settings settings = settings(encoder, version);
        if (selected != null) {
            settings = settings.withTasks(selected);
        }
        if (seed != null) {
            settings = settings.withSeed(seed); // also the seed the model and report record
        }
        settings = settings.withOptions(overrides());
        if (hardNegatives != null) {
            settings = settings.withHardNegatives(hardNegatives);
        }
        Path headsFile = out != null ? out : ModelFiles.headsFile(version, encoder);
        Path reportFile = out != null
                ? headsFile.resolveSibling(headsFile.getFileName().toString().replaceFirst("\\.json$", "") + ".md")
                : ModelFiles.reportFile(version, encoder);

        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        err.println("train: loading " + encoder + " (device " + device + ")");
        err.flush();
        AdapterTuning.Result tuned = null;
        LowRankAdapters adapters = null;
        if (fineTune) {
            Path from = start != null
                    ? ModelFiles.requireGiven(spec, start)
                    : ModelFiles.headsFile(ModelFiles.FIRST_VERSION, encoder);
            AdapterTuning.Settings tuning =
                    AdapterTuning.Settings.defaults().with(tuneLearningRate, tuneEpochs, tuneRows, seed);
            tuned = new AdapterTuning(data, tuning)
                    .run(HeadsFile.read(from), settings.tasks(), BenignSet.sample(data), line -> {
                        err.println("train: " + line);
                        err.flush();
                    });
            adapters = weights == Weights.FLOAT16 ? Float16.round(tuned.adapters()) : tuned.adapters();
        }
        String tuningSection = "";
        if (tunedFrom != null) {
            adapters = tunedFrom.adapters();
            tuningSection = tuningSection(adaptersFrom);
        }
        ModelTrainer.Run run;
        OverBlocking overBlocking = null;
        try (LoadedEncoder loaded =
                EncoderFactory.create(EncoderConfig.of(encoder).withDevice(device), adapters)) {
            FeatureCache cache = new FeatureCache(featureCache != null ? featureCache : FeatureCache.defaultDir());
            ModelTrainer trainer = new ModelTrainer(cache, data);
            run = trainer.train(loaded, settings, new TerminalListener(err));
            if (!run.model().thresholds().isEmpty()) {
                overBlocking =
                        trainer.overBlocking(loaded, run.model(), ProgressBar.onStderr("benign features", "texts"));
            }
        }
        HeadsFile.write(run.model(), headsFile);
        String report = TrainingReport.markdown(run, settings, encoder, overBlocking)
                + (tuned == null ? tuningSection : tuned.markdown(Files.exists(headsFile) ? sizeOf(headsFile) : -1));
        try {
            Files.writeString(reportFile, report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + reportFile + ": " + e.getMessage(), e);
        }
        stdout.print(TrainingReport.table(run));
        if (overBlocking != null) {
            stdout.println();
            stdout.print(overBlocking.toTable());
        }
        stdout.println("wrote " + headsFile + " and " + reportFile);
        stdout.flush();
        return 0;
    }

    /**
     * The settings each encoder's v1 was trained with, compared on the validation splits only
     * (see the report beside each model): BERT-base's frozen features need a wider layer and more
     * regularisation than MiniLM's sentence embeddings. Tasks: those its language has data for.
     */
    static ModelTrainer.Settings settings(String encoderId, String version) {
        List<Task> tasks = BuiltinDatasets.tasks(Language.ofEncoder(encoderId));
        if (EncoderConfig.BERT_BASE_UNCASED.equals(encoderId)) {
            return ModelTrainer.Settings.defaults(version, Feature.POOLED_AND_MEAN)
                    .withTasks(tasks)
                    .withOptions(o -> o.withDropout(0.3f, 0.5f)
                            .withHiddenUnits(1024)
                            .withLearningRate(3e-4f)
                            .withL2(3e-4f)
                            .withEpochs(60, 5));
        }
        // MiniLM has no trained pooler: pooled == mean, so POOLED_AND_MEAN would only duplicate it. For
        // bge-small-zh, whose pooled vector is [CLS], the mean alone did better on both dev sets (COLD macro-F1
        // 0.840 vs 0.829, ChnSentiCorp accuracy 0.925 vs 0.918 with [CLS] ++ mean; 2026-12-07).
        return ModelTrainer.Settings.defaults(version, Feature.MEAN).withTasks(tasks);
    }

    private UnaryOperator<TrainingOptions> overrides() {
        return o -> {
            TrainingOptions changed = o;
            if (hidden != null) {
                changed = hidden == 0
                        ? changed.withDropout(changed.inputDropout(), 0f).withHiddenUnits(0)
                        : changed.withHiddenUnits(hidden);
            }
            if (learningRate != null) {
                changed = changed.withLearningRate(learningRate);
            }
            if (maxEpochs != null) {
                changed = changed.withEpochs(maxEpochs, changed.patience());
            }
            return changed.withHalfPrecisionWeights(weights == Weights.FLOAT16);
        };
    }

    /** The fine-tuning section of the report beside {@code model} (the model's .md), or "" without one. */
    private static String tuningSection(Path model) {
        Path report = model.resolveSibling(model.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        try {
            String md = Files.isRegularFile(report) ? Files.readString(report) : "";
            int at = md.indexOf(AdapterTuning.REPORT_HEADING);
            return at < 0 ? "" : "\n" + md.substring(at);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + report + ": " + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** A progress bar per feature extraction, one line per epoch. */
    private static final class TerminalListener implements ModelTrainer.Listener {
        private final PrintWriter err;

        TerminalListener(PrintWriter err) {
            this.err = err;
        }

        @Override
        public ProgressListener features(Task task, String split, int texts) {
            return ProgressBar.onStderr(task.id() + "/" + split + " features", "texts");
        }

        @Override
        public void epoch(Task task, EpochStats stats) {
            err.printf(
                    "train: %-9s epoch %3d  loss %.4f  validation %.4f%s  %.1f s%n",
                    task.id(),
                    stats.epoch(),
                    stats.trainLoss(),
                    stats.validationMetric(),
                    stats.improved() ? " *" : "  ",
                    stats.seconds());
            err.flush();
        }
    }
}
