package io.streamguard.retrainer;

import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.training.BuiltinDatasets;
import io.streamguard.model.training.Dataset;
import io.streamguard.model.training.FeatureCache;
import io.streamguard.model.training.FeatureMatrix;
import io.streamguard.model.training.ProgressListener;
import io.streamguard.model.training.StratifiedKFold;
import io.streamguard.model.training.Task;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The original data a retrain keeps the model honest with, as encoder features from the same
 * {@link FeatureCache} as {@code streamguard train}: every task's validation split (for the gate and
 * thresholds: SST-2 dev, TweetEval val, SMS fold 0, exactly as {@code train} validates) and a seeded
 * sample of its training rows (mixed into every retrain so old skills are not forgotten; for spam,
 * from folds 1-4 only).
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

    private final Map<Task, TaskData> tasks;

    private BaseData(Map<Task, TaskData> tasks) {
        this.tasks = tasks;
    }

    public static BaseData load(
            LoadedEncoder encoder, FeatureCache cache, BuiltinDatasets datasets, int samplePerTask, long seed) {
        return load(encoder, cache, datasets, samplePerTask, seed, (done, total, elapsed) -> {});
    }

    /**
     * As {@link #load(LoadedEncoder, FeatureCache, BuiltinDatasets, int, long)}, telling {@code quiet} after every
     * encoder batch; a listener that throws (e.g. a {@link java.util.concurrent.CancellationException} when its
     * owner closes) stops a cold cache's minutes of encoding there.
     */
    public static BaseData load(
            LoadedEncoder encoder,
            FeatureCache cache,
            BuiltinDatasets datasets,
            int samplePerTask,
            long seed,
            ProgressListener quiet) {
        Map<Task, TaskData> out = new EnumMap<>(Task.class);
        for (Task task : Task.values()) {
            long start = System.nanoTime();
            Dataset all = datasets.train(task);
            Dataset validation;
            FeatureMatrix validationFeatures;
            int[] trainRows;
            FeatureMatrix allFeatures = null;
            if (task == Task.SPAM) {
                // One file, folds of it: encode (or read) it whole, as train does.
                List<StratifiedKFold.Fold> folds = BuiltinDatasets.spamFolds(all);
                allFeatures = cache.features(encoder, all.texts(), quiet);
                validation = all.subset(folds.get(0).test(), "fold 0");
                validationFeatures = allFeatures.select(folds.get(0).test());
                trainRows = folds.get(0).train();
            } else {
                validation = datasets.validation(task).orElseThrow();
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
                    "Base data {}: {} validation rows, {} sampled training rows ({} ms)",
                    task.id(),
                    validation.size(),
                    sample.size(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return new BaseData(out);
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

    public TaskData task(Task task) {
        return tasks.get(task);
    }
}
