package io.streamguard.retrainer;

import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.language.Language;
import io.streamguard.model.training.BuiltinDatasets;
import io.streamguard.model.training.Dataset;
import io.streamguard.model.training.FeatureCache;
import io.streamguard.model.training.FeatureMatrix;
import io.streamguard.model.training.ProgressListener;
import io.streamguard.model.training.StratifiedKFold;
import io.streamguard.model.training.Task;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The original data a retrain keeps the model honest with, as encoder features from the same
 * {@link FeatureCache} as {@code streamguard train}: for each of the given tasks, in the language of the
 * encoder's data ({@link Language#ofEncoder}), the validation split (for the gate and thresholds: SST-2 dev,
 * TweetEval val, SMS fold 0, COLD dev, ChnSentiCorp dev, exactly as {@code train} validates) and a seeded
 * sample of its training rows (mixed into every retrain so old skills are not forgotten; for a task without
 * a validation file, English spam, from folds 1-4 only).
 *
 * <p>A split whose whole-file features are cached (as {@code train} leaves them) is read and sliced;
 * otherwise only the sample is encoded, and cached under its own key for the next start.
 */
public final class BaseData {

    private static final Logger LOG = LoggerFactory.getLogger(BaseData.class);

    /** One task's rows. */
    public record Split(Dataset data, FeatureMatrix features) {
        public int[] labels() {
            return data.labels();
        }

        /** Row-major feature rows for {@code feature}. */
        public float[] matrix(Feature feature) {
            return features.matrix(feature);
        }
    }

    /** Both splits of one task. */
    public record TaskData(Task task, Split validation, Split sample, String trainSha256, String validationSha256) {}

    private final Language language;
    private final Map<Task, TaskData> tasks;

    private BaseData(Language language, Map<Task, TaskData> tasks) {
        this.language = language;
        this.tasks = tasks;
    }

    /** Every task the encoder's language has data for ({@link BuiltinDatasets#tasks}). */
    public static BaseData load(
            LoadedEncoder encoder, FeatureCache cache, BuiltinDatasets datasets, int samplePerTask, long seed) {
        return load(
                encoder,
                BuiltinDatasets.tasks(languageOf(encoder)),
                cache,
                datasets,
                samplePerTask,
                seed,
                (done, total, elapsed) -> {});
    }

    /**
     * {@code tasks} (those of the encoder's language that a model's heads have, see {@link #tasksFor}), telling
     * {@code quiet} after every encoder batch; a listener that throws (e.g. a
     * {@link java.util.concurrent.CancellationException} when its owner closes) stops a cold cache's minutes of
     * encoding there.
     *
     * @throws IllegalArgumentException if the encoder's language has no data for one of {@code tasks}
     */
    public static BaseData load(
            LoadedEncoder encoder,
            List<Task> tasks,
            FeatureCache cache,
            BuiltinDatasets datasets,
            int samplePerTask,
            long seed,
            ProgressListener quiet) {
        Language language = languageOf(encoder);
        tasks.forEach(task -> BuiltinDatasets.requireData(task, language));
        Map<Task, TaskData> out = new LinkedHashMap<>();
        for (Task task : tasks) {
            long start = System.nanoTime();
            Dataset all = datasets.train(task, language);
            Optional<Dataset> validationFile = datasets.validation(task, language);
            Dataset validation;
            FeatureMatrix validationFeatures;
            int[] trainRows;
            FeatureMatrix allFeatures = null;
            if (validationFile.isEmpty()) {
                // English spam: one file, folds of it: encode (or read) it whole, as train does.
                List<StratifiedKFold.Fold> folds = BuiltinDatasets.spamFolds(all);
                allFeatures = cache.features(encoder, all.texts(), quiet);
                validation = all.subset(folds.get(0).test(), "fold 0");
                validationFeatures = allFeatures.select(folds.get(0).test());
                trainRows = folds.get(0).train();
            } else {
                validation = validationFile.get();
                validationFeatures = cache.features(encoder, validation.texts(), quiet);
                trainRows = new int[all.size()];
                Arrays.setAll(trainRows, i -> i);
            }
            int[] sampled = sample(trainRows, samplePerTask, seed + task.ordinal());
            Dataset sample = all.subset(sampled, "sample of " + sampled.length);
            FeatureMatrix sampleFeatures;
            if (allFeatures == null && Files.isRegularFile(cache.file(encoder, all.texts()))) {
                allFeatures = cache.features(encoder, all.texts(), quiet);
            }
            sampleFeatures =
                    allFeatures != null ? allFeatures.select(sampled) : cache.features(encoder, sample.texts(), quiet);
            out.put(
                    task,
                    new TaskData(
                            task,
                            new Split(validation, validationFeatures),
                            new Split(sample, sampleFeatures),
                            all.sha256(),
                            validation.sha256()));
            LOG.info(
                    "Base data {} ({}): {} validation rows, {} sampled training rows ({} ms)",
                    task.id(),
                    language.displayName(),
                    validation.size(),
                    sample.size(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return new BaseData(language, out);
    }

    /**
     * The tasks a retrainer of {@code model} keeps data for: those of the encoder's language
     * ({@link BuiltinDatasets#tasks}) that the model has a head for, in that order.
     */
    public static List<Task> tasksFor(HeadsModel model) {
        return BuiltinDatasets.tasks(Language.ofEncoder(model.encoderId())).stream()
                .filter(task -> Evaluation.covers(model, task))
                .toList();
    }

    private static Language languageOf(LoadedEncoder encoder) {
        return Language.ofEncoder(encoder.encoder().info().id());
    }

    /** {@code n} of {@code rows}, seeded, in their original order (all of them if fewer). */
    static int[] sample(int[] rows, int n, long seed) {
        if (n >= rows.length) {
            return rows.clone();
        }
        int[] shuffled = rows.clone();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        int[] picked = Arrays.copyOf(shuffled, n);
        Arrays.sort(picked);
        return picked;
    }

    /** The task's data; null if it was not loaded (not a task of this language, or the heads have none). */
    public TaskData task(Task task) {
        return tasks.get(task);
    }

    /** The loaded tasks, in the order they were given (that of {@link BuiltinDatasets#tasks}). */
    public List<Task> tasks() {
        return List.copyOf(tasks.keySet());
    }

    /** The language of the data. */
    public Language language() {
        return language;
    }
}
