package io.streamguard.model.training;

import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.Head;
import io.streamguard.model.heads.HeadKind;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.Provenance;
import io.streamguard.model.heads.Scores;
import io.streamguard.model.heads.Thresholds;
import io.streamguard.model.language.Language;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Trains a complete model version: for each task, encoder features of its train and validation texts
 * (from the {@link FeatureCache}, so only the first run pays for the encoder), one head per task with
 * early stopping on validation, thresholds for the moderation labels chosen on validation, and the
 * validation metrics, all in one {@link HeadsModel}.
 *
 * <p>The data is that of the encoder's {@link Language} ({@link Language#ofEncoder}, {@link BuiltinDatasets}):
 * a Chinese encoder trains the Chinese heads (offensive on COLD, sentiment on ChnSentiCorp) under the same
 * task names, with the same trainer, thresholds and report. English validation data: SST-2 dev, TweetEval
 * val, and for spam (which has no validation file) fold 0 of a seeded stratified 5-fold split of its train
 * file; the spam head is the one trained on the other four folds, and the reported spam F1 is the 5-fold
 * cross-validated one (see {@link #crossValidateSpam}). Chinese: COLD dev and ChnSentiCorp dev.
 */
public final class ModelTrainer {

    /**
     * What to train.
     *
     * @param version the model version to write, e.g. {@code v1}
     * @param feature the encoder output all heads read
     * @param tasks the tasks to train heads for, in head order (moderation labels first reads best)
     * @param options per-task trainer options (every task in {@code tasks} needs one)
     * @param thresholds how review/block thresholds are picked for the moderation labels
     * @param seed recorded in the model; per-task options carry their own seed
     * @param hardNegatives SST-2 training negatives (whole sentences, none of the benign set) added to the
     *     offensive and hate heads' training rows as harmless: negative in tone is not offensive (English
     *     encoders only: they are English sentences)
     */
    public record Settings(
            String version,
            Feature feature,
            List<Task> tasks,
            Map<Task, TrainingOptions> options,
            ThresholdSelector thresholds,
            long seed,
            int hardNegatives) {

        /** Settings without hard negatives (as v1 was trained). */
        public Settings(
                String version,
                Feature feature,
                List<Task> tasks,
                Map<Task, TrainingOptions> options,
                ThresholdSelector thresholds,
                long seed) {
            this(version, feature, tasks, options, thresholds, seed, 0);
        }

        public Settings {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(feature, "feature");
            Objects.requireNonNull(thresholds, "thresholds");
            if (hardNegatives < 0) {
                throw new IllegalArgumentException("hardNegatives must not be negative: " + hardNegatives);
            }
            tasks = List.copyOf(tasks);
            options = Map.copyOf(options);
            if (tasks.isEmpty() || Set.copyOf(tasks).size() != tasks.size()) {
                throw new IllegalArgumentException("tasks must be distinct and not empty: " + tasks);
            }
            for (Task task : tasks) {
                if (!options.containsKey(task)) {
                    throw new IllegalArgumentException("no trainer options for task " + task.id());
                }
            }
        }

        /**
         * The settings v1 was trained with: every task, a 256-unit ReLU layer with dropout for each head
         * (linear heads on frozen features fall short of the targets), seed 42. Hyper-parameters were
         * compared on the validation splits only.
         */
        public static Settings defaults(String version, Feature feature) {
            long seed = 42;
            TrainingOptions mlp = TrainingOptions.defaults()
                    .withHiddenUnits(256)
                    .withDropout(0.1f, 0.3f)
                    .withEpochs(40, 5)
                    .withSeed(seed);
            Map<Task, TrainingOptions> options = new EnumMap<>(Task.class);
            options.put(Task.OFFENSIVE, mlp);
            options.put(Task.HATE, mlp);
            // 3,500 SMS: larger steps, or the small set is still improving when patience runs out.
            options.put(Task.SPAM, mlp.withLearningRate(3e-3f));
            options.put(Task.SENTIMENT, mlp);
            return new Settings(
                    version,
                    feature,
                    List.of(Task.OFFENSIVE, Task.HATE, Task.SPAM, Task.SENTIMENT),
                    options,
                    ThresholdSelector.defaults(),
                    seed);
        }

        public Settings withTasks(List<Task> newTasks) {
            return new Settings(version, feature, newTasks, options, thresholds, seed, hardNegatives);
        }

        /**
         * Every task trained with {@code newSeed}, and the model recording it: changing only the options' seeds
         * would leave provenance and report naming the old one.
         */
        public Settings withSeed(long newSeed) {
            Settings reseeded = withOptions(o -> o.withSeed(newSeed));
            return new Settings(version, feature, tasks, reseeded.options(), thresholds, newSeed, hardNegatives);
        }

        public Settings withOptions(Function<TrainingOptions, TrainingOptions> change) {
            Map<Task, TrainingOptions> changed = new EnumMap<>(Task.class);
            options.forEach((task, o) -> changed.put(task, change.apply(o)));
            return new Settings(version, feature, tasks, changed, thresholds, seed, hardNegatives);
        }

        public Settings withHardNegatives(int count) {
            return new Settings(version, feature, tasks, options, thresholds, seed, count);
        }
    }

    /** Where training is, for a progress display. */
    public interface Listener {
        /** Features of {@code split} of {@code task} are being computed or read; progress in texts. */
        ProgressListener features(Task task, String split, int texts);

        /** An epoch of {@code task}'s head finished. */
        void epoch(Task task, EpochStats stats);

        /** A listener that shows nothing. */
        static Listener silent() {
            return new Listener() {
                @Override
                public ProgressListener features(Task task, String split, int texts) {
                    return (done, total, elapsed) -> {};
                }

                @Override
                public void epoch(Task task, EpochStats stats) {}
            };
        }
    }

    /**
     * How one task's head did.
     *
     * @param validation the head on the validation rows: sentiment by argmax, moderation labels at the
     *     chosen review threshold
     * @param hardNegatives the harmless rows added to {@code train}, or null
     * @param thresholds the chosen thresholds with their validation precision/recall; null for sentiment
     * @param calibration how they were chosen (cross-validated, benign cap); null for sentiment
     * @param crossValidatedF1 spam only: F1 of out-of-fold predictions over 5 folds
     */
    public record TaskReport(
            Task task,
            Dataset train,
            Dataset hardNegatives,
            Dataset validationData,
            TrainingResult result,
            ClassificationReport validation,
            ThresholdChoice thresholds,
            ThresholdCalibration.Calibrated calibration,
            OptionalDouble crossValidatedF1,
            Duration featureTime,
            Duration trainTime) {

        /** The number the task's target is stated in. */
        public double primary() {
            if (task == Task.SPAM && crossValidatedF1.isPresent()) {
                return crossValidatedF1.getAsDouble();
            }
            return validation.primary(task);
        }
    }

    /** The model and what it was measured at. */
    public record Run(HeadsModel model, List<TaskReport> reports) {}

    private final FeatureCache cache;
    private final BuiltinDatasets datasets;
    /**
     * The default benign set of {@link #datasets} per language, each drawn once: calibration, hard negatives and
     * over-blocking use it.
     */
    private final Map<Language, BenignSet> benign = new EnumMap<>(Language.class);

    public ModelTrainer(FeatureCache cache, BuiltinDatasets datasets) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.datasets = Objects.requireNonNull(datasets, "datasets");
    }

    /**
     * Trains every task of {@code settings} on {@code encoder}'s features, with the data of the encoder's
     * language.
     *
     * @throws IllegalArgumentException before any work if that language has no data for a task of
     *     {@code settings}, or if hard negatives (English sentences) are asked for a non-English encoder
     * @throws DatasetFormatException if a dataset file is missing or malformed
     * @throws TrainingException if TensorFlow fails
     */
    public Run train(LoadedEncoder encoder, Settings settings, Listener listener) {
        Language language = languageOf(encoder);
        for (Task task : settings.tasks()) {
            BuiltinDatasets.requireData(task, language);
        }
        if (settings.hardNegatives() > 0 && language != Language.ENGLISH) {
            throw new IllegalArgumentException("hard negatives are English SST-2 sentences: none for "
                    + encoder.encoder().info().id() + " (" + language.displayName() + ")");
        }
        List<Head> heads = new ArrayList<>();
        Map<String, Thresholds> thresholds = new LinkedHashMap<>();
        Map<String, Map<String, Double>> metrics = new TreeMap<>();
        List<Provenance.DataRef> data = new ArrayList<>();
        List<TaskReport> reports = new ArrayList<>();
        for (Task task : settings.tasks()) {
            TaskReport report = trainTask(encoder, language, settings, task, listener);
            reports.add(report);
            heads.add(report.result().head());
            if (report.thresholds() != null) {
                thresholds.put(task.id(), report.thresholds().thresholds());
            }
            Map<String, Double> taskMetrics =
                    new LinkedHashMap<>(report.validation().asMap());
            report.crossValidatedF1().ifPresent(f1 -> taskMetrics.put("cv5F1", f1));
            if (report.calibration() != null) {
                taskMetrics.put("outOfFoldF1", report.calibration().outOfFoldF1());
            }
            taskMetrics.put("bestEpoch", (double) report.result().bestEpoch());
            metrics.put(task.id(), taskMetrics);
            data.add(new Provenance.DataRef(
                    task.id(),
                    "train",
                    relative(report.train().source()),
                    report.train().sha256(),
                    report.train().size()));
            if (report.hardNegatives() != null) {
                data.add(new Provenance.DataRef(
                        task.id(),
                        "hard negatives",
                        relative(report.hardNegatives().source()),
                        report.hardNegatives().sha256(),
                        report.hardNegatives().size()));
            }
            data.add(new Provenance.DataRef(
                    task.id(),
                    "validation",
                    relative(report.validationData().source()),
                    report.validationData().sha256(),
                    report.validationData().size()));
        }
        Map<String, String> notes = new TreeMap<>();
        for (Task task : settings.tasks()) {
            notes.put("options." + task.id(), settings.options().get(task).toString());
        }
        notes.put("thresholds", settings.thresholds().toString());
        Provenance provenance = new Provenance(Instant.now().toString(), null, settings.seed(), data, notes);
        HeadsModel model = new HeadsModel(
                settings.version(),
                encoder.encoder().info().id(),
                encoder.tokenizer().vocabulary().vocabHash(),
                encoder.tokenizer().options().maxLength(),
                settings.feature(),
                heads,
                thresholds,
                metrics,
                provenance,
                encoder.adapters()); // heads trained on a tuned encoder's features need it at serving too
        return new Run(model, reports);
    }

    /**
     * Over-blocking of {@code model} on the {@link BenignSet} of this trainer's datasets (the default seed and
     * size), scored on cached encoder features like training itself, so a report costs one small encoding.
     */
    public OverBlocking overBlocking(LoadedEncoder encoder, HeadsModel model, ProgressListener progress) {
        BenignSet set = benign(languageOf(encoder)).heldOut();
        return OverBlocking.measure(set, model.thresholds(), texts -> {
            FeatureMatrix features = cache.features(encoder, texts, progress);
            float[] matrix = features.matrix(model.feature());
            int width = model.feature().width(features.hidden());
            List<Scores> scores = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                scores.add(model.score(Arrays.copyOfRange(matrix, i * width, (i + 1) * width)));
            }
            return scores;
        });
    }

    /**
     * Rows of SST-2's train split to add as harmless: negative sentences of at least
     * {@link AdapterTuning#SENTENCE_WORDS} words, none in the benign set (over-blocking is measured on it),
     * {@code count} of them drawn with {@code seed}, in file order.
     */
    static int[] hardNegativeRows(Dataset sst, BenignSet benign, int count, long seed) {
        List<Integer> pool = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < sst.size(); i++) {
            LabeledText row = sst.rows().get(i);
            String text = row.text();
            if (row.label() == 0
                    && !benign.contains(text)
                    && !text.isBlank()
                    && text.strip().split("\\s+").length >= AdapterTuning.SENTENCE_WORDS
                    && seen.add(text)) {
                pool.add(i);
            }
        }
        java.util.Collections.shuffle(pool, new java.util.Random(seed ^ 0x4A4D));
        return pool.subList(0, Math.min(count, pool.size())).stream()
                .mapToInt(Integer::intValue)
                .sorted()
                .toArray();
    }

    /**
     * {@code task}'s head's probabilities on the calibration half of the benign set, which caps its review
     * threshold ({@link ThresholdCalibration}); null if the set has too few texts for the label to set one.
     */
    private double[] benignCalibration(
            LoadedEncoder encoder,
            Language language,
            Task task,
            TrainingResult result,
            Feature feature,
            Listener listener) {
        List<BenignSet.Item> items = benign(language).calibration().items(task.id());
        if (items.size() < ThresholdCalibration.MIN_BENIGN) {
            return null;
        }
        List<String> texts = items.stream().map(BenignSet.Item::text).toList();
        float[] x = cache.features(encoder, texts, listener.features(task, "benign calibration", texts.size()))
                .matrix(feature);
        int width = result.head().inputWidth();
        double[] p = new double[texts.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = result.head().probabilities(Arrays.copyOfRange(x, i * width, (i + 1) * width))[0];
        }
        return p;
    }

    /** {@link BenignSet#sample} of this trainer's datasets in {@code language}, read once (English parses SST-2's 67k rows). */
    private BenignSet benign(Language language) {
        return benign.computeIfAbsent(language, l -> BenignSet.sample(datasets, l));
    }

    private static Language languageOf(LoadedEncoder encoder) {
        return Language.ofEncoder(encoder.encoder().info().id());
    }

    private TaskReport trainTask(
            LoadedEncoder encoder, Language language, Settings settings, Task task, Listener listener) {
        long started = System.nanoTime();
        Dataset all = datasets.train(task, language);
        Dataset train;
        Dataset validation;
        List<StratifiedKFold.Fold> folds = null;
        if (task == Task.SPAM) {
            folds = BuiltinDatasets.spamFolds(all);
            train = all.subset(folds.get(0).train(), "folds 1-4");
            validation = all.subset(folds.get(0).test(), "fold 0");
        } else {
            train = all;
            validation = datasets.validation(task, language).orElseThrow();
        }
        // Spam's folds are rows of one file: encode the file once and slice.
        FeatureMatrix allFeatures = task == Task.SPAM
                ? cache.features(encoder, all.texts(), listener.features(task, "train", all.size()))
                : null;
        FeatureMatrix trainFeatures = task == Task.SPAM
                ? allFeatures.select(folds.get(0).train())
                : cache.features(encoder, train.texts(), listener.features(task, "train", train.size()));
        FeatureMatrix validationFeatures = task == Task.SPAM
                ? allFeatures.select(folds.get(0).test())
                : cache.features(encoder, validation.texts(), listener.features(task, "validation", validation.size()));
        Dataset hard = null;
        FeatureMatrix fitFeatures = trainFeatures;
        Dataset fit = train;
        if (settings.hardNegatives() > 0 && (task == Task.OFFENSIVE || task == Task.HATE)) {
            Dataset sst = datasets.train(Task.SENTIMENT);
            int[] rows = hardNegativeRows(sst, benign(language), settings.hardNegatives(), settings.seed());
            hard = sst.subset(rows, rows.length + " negative sentences as not-" + task.id());
            FeatureMatrix sstFeatures =
                    cache.features(encoder, sst.texts(), listener.features(task, "hard negatives", sst.size()));
            fitFeatures = trainFeatures.concat(sstFeatures.select(rows));
            List<LabeledText> combined = new ArrayList<>(train.rows());
            hard.rows().forEach(r -> combined.add(new LabeledText(r.text(), 0, r.line())));
            fit = new Dataset(task, train.source(), train.sha256(), combined, train.skipped());
        }
        Duration featureTime = Duration.ofNanos(System.nanoTime() - started);

        long trainStart = System.nanoTime();
        TrainingOptions options = settings.options().get(task);
        HeadSpec spec = spec(task);
        TrainingResult result = new HeadTrainer(options)
                .train(
                        spec,
                        labelled(fitFeatures, fit, settings.feature()),
                        labelled(validationFeatures, validation, settings.feature()),
                        ValidationMetric.defaultFor(spec),
                        stats -> listener.epoch(task, stats));

        ThresholdChoice thresholds = null;
        ThresholdCalibration.Calibrated calibration = null;
        ClassificationReport report;
        int[] labels = validation.labels();
        float[] p = result.validationProbabilities();
        if (task.headKind() == HeadKind.SOFTMAX) {
            double[][] rows = new double[labels.length][2];
            for (int i = 0; i < labels.length; i++) {
                rows[i][0] = p[2 * i];
                rows[i][1] = p[2 * i + 1];
            }
            report = Metrics.multiclass(task.classNames(), labels, rows);
        } else {
            calibration = ThresholdCalibration.defaults(settings.thresholds())
                    .calibrate(
                            p,
                            labels,
                            benignCalibration(encoder, language, task, result, settings.feature(), listener));
            thresholds = calibration.choice();
            report = Metrics.binary(
                    task.classNames(),
                    labels,
                    toDouble(p),
                    thresholds.thresholds().review());
        }
        OptionalDouble cv = OptionalDouble.empty();
        if (task == Task.SPAM) {
            cv = OptionalDouble.of(crossValidateSpam(all, allFeatures, folds, settings, spec, options));
        }
        return new TaskReport(
                task,
                train,
                hard,
                validation,
                result,
                report,
                thresholds,
                calibration,
                cv,
                featureTime,
                Duration.ofNanos(System.nanoTime() - trainStart));
    }

    /**
     * 5-fold cross-validated spam F1: for each fold, a head trained on the other four (early stopping
     * and threshold on an inner hold-out of them, so the scored fold never influences its own
     * prediction), then F1 over all out-of-fold predictions together.
     */
    private double crossValidateSpam(
            Dataset all,
            FeatureMatrix features,
            List<StratifiedKFold.Fold> folds,
            Settings settings,
            HeadSpec spec,
            TrainingOptions options) {
        int[] labels = all.labels();
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (StratifiedKFold.Fold fold : folds) {
            int[] outer = fold.train();
            int[] outerLabels = new int[outer.length];
            for (int i = 0; i < outer.length; i++) {
                outerLabels[i] = labels[outer[i]];
            }
            StratifiedKFold.Fold inner = StratifiedKFold.split(
                            outerLabels, BuiltinDatasets.SPAM_FOLDS, BuiltinDatasets.SPAM_FOLD_SEED + 1 + fold.index())
                    .get(0);
            int[] fit = remap(outer, inner.train());
            int[] stop = remap(outer, inner.test());
            TrainingResult result = new HeadTrainer(options)
                    .train(
                            spec,
                            labelled(features.select(fit), all.subset(fit, "fit"), settings.feature()),
                            labelled(features.select(stop), all.subset(stop, "stop"), settings.feature()));
            double threshold = settings.thresholds()
                    .choose(
                            result.validationProbabilities(),
                            all.subset(stop, "stop").labels())
                    .thresholds()
                    .review();
            float[] test = features.select(fold.test()).matrix(settings.feature());
            int width = result.head().inputWidth();
            for (int i = 0; i < fold.test().length; i++) {
                float[] row = Arrays.copyOfRange(test, i * width, (i + 1) * width);
                boolean predicted = result.head().probabilities(row)[0] >= threshold;
                boolean actual = labels[fold.test()[i]] == 1;
                if (predicted && actual) {
                    tp++;
                } else if (predicted) {
                    fp++;
                } else if (actual) {
                    fn++;
                }
            }
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /**
     * A source named relative to the datasets directory, so model files do not record this machine's paths.
     * Sources start with the directory exactly as {@link BuiltinDatasets} was given it (it resolves every file
     * from it), so a leading-prefix match is enough, and is right for relative or unnormalised spellings too.
     */
    private String relative(String source) {
        String dir = datasets.dir().toString();
        String prefix = dir.endsWith(File.separator) ? dir : dir + File.separator;
        return !dir.isEmpty() && source.startsWith(prefix) ? source.substring(prefix.length()) : source;
    }

    private static int[] remap(int[] base, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = base[positions[i]];
        }
        return out;
    }

    static HeadSpec spec(Task task) {
        return task.headKind() == HeadKind.SOFTMAX
                ? HeadSpec.softmax(task.headName(), task.classNames())
                : HeadSpec.binary(task.headName(), task.id());
    }

    private static LabelledFeatures labelled(FeatureMatrix features, Dataset data, Feature feature) {
        return new LabelledFeatures(features.matrix(feature), data.labels(), feature.width(features.hidden()));
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
