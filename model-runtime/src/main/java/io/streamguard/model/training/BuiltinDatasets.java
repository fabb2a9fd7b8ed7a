package io.streamguard.model.training;

import io.streamguard.model.language.Language;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The project's training and validation data (see {@code shared/datasets/README.md}) by task and
 * {@link Language} (the encoder's, {@link Language#ofEncoder}). English:
 * <ul>
 *   <li>sentiment: {@code sst2/train.tsv}, validation {@code sst2/dev.tsv};
 *   <li>offensive, hate: {@code tweeteval/<task>/train_*.txt}, validation {@code val_*.txt} (empty tweets
 *       skipped, see {@link DatasetReader});
 *   <li>spam: {@code sms-spam/train.tsv} only; it has no validation file, so validation is a stratified
 *       fold of it ({@link #spamFolds}), and its target is the mean over all {@link #SPAM_FOLDS} folds.
 * </ul>
 * Chinese, where only two tasks have data ({@link #tasks}), under the same task names so Chinese heads are
 * named, thresholded and reported like the English ones:
 * <ul>
 *   <li>offensive: COLD, {@code cold/train.csv}, validation {@code cold/dev.csv} (CSV, see {@link DatasetReader});
 *   <li>sentiment: ChnSentiCorp, {@code chnsenticorp/train.tsv}, validation {@code chnsenticorp/dev.tsv}.
 * </ul>
 * The methods without a language are the English data, as before there was any other.
 */
public final class BuiltinDatasets {

    /** Folds of the SMS train split for cross-validation; one of them is the hold-out. */
    public static final int SPAM_FOLDS = 5;
    /** Seed of the spam folds: fixed, so every run and every model compares on the same hold-out. */
    public static final long SPAM_FOLD_SEED = 20240601L;
    /** System property naming the datasets directory. */
    public static final String DIR_PROPERTY = "streamguard.datasets.dir";

    private final Path dir;

    public BuiltinDatasets(Path dir) {
        this.dir = dir;
    }

    /**
     * The directory from system property {@value #DIR_PROPERTY}, else environment variable
     * {@code STREAMGUARD_DATASETS}, else {@code ../shared/datasets} relative to the working directory.
     */
    public static BuiltinDatasets fromEnvironment() {
        String configured = System.getProperty(DIR_PROPERTY, System.getenv("STREAMGUARD_DATASETS"));
        return new BuiltinDatasets(Path.of(configured != null ? configured : "../shared/datasets"));
    }

    public Path dir() {
        return dir;
    }

    /**
     * The tasks {@code language} has data for, in the order a model's heads are trained: English all four,
     * Chinese offensive and sentiment.
     */
    public static List<Task> tasks(Language language) {
        return switch (language) {
            case ENGLISH -> List.of(Task.OFFENSIVE, Task.HATE, Task.SPAM, Task.SENTIMENT);
            case CHINESE -> List.of(Task.OFFENSIVE, Task.SENTIMENT);
        };
    }

    /** The whole English train file of {@code task} (for spam: all of it, before any fold is held out). */
    public Dataset train(Task task) {
        return train(task, Language.ENGLISH);
    }

    /**
     * The whole train file of {@code task} in {@code language}.
     *
     * @throws IllegalArgumentException if {@code language} has no data for {@code task} (see {@link #tasks})
     */
    public Dataset train(Task task, Language language) {
        if (language == Language.CHINESE) {
            return switch (requireData(task, language)) {
                case OFFENSIVE -> DatasetReader.readCsv(dir.resolve("cold/train.csv"), task);
                case SENTIMENT -> DatasetReader.readTsv(dir.resolve("chnsenticorp/train.tsv"), task);
                default -> throw new IllegalStateException("unreachable: " + task);
            };
        }
        return switch (task) {
            case SENTIMENT -> DatasetReader.readTsv(dir.resolve("sst2/train.tsv"), task);
            case OFFENSIVE, HATE -> tweetEval(task, "train");
            case SPAM -> DatasetReader.readTsv(dir.resolve("sms-spam/train.tsv"), task);
        };
    }

    /** The English validation file of {@code task}; empty for spam, which is validated on folds of its train file. */
    public Optional<Dataset> validation(Task task) {
        return validation(task, Language.ENGLISH);
    }

    /**
     * The validation file of {@code task} in {@code language}; empty for English spam only.
     *
     * @throws IllegalArgumentException if {@code language} has no data for {@code task} (see {@link #tasks})
     */
    public Optional<Dataset> validation(Task task, Language language) {
        if (language == Language.CHINESE) {
            return Optional.of(
                    switch (requireData(task, language)) {
                        case OFFENSIVE -> DatasetReader.readCsv(dir.resolve("cold/dev.csv"), task);
                        case SENTIMENT -> DatasetReader.readTsv(dir.resolve("chnsenticorp/dev.tsv"), task);
                        default -> throw new IllegalStateException("unreachable: " + task);
                    });
        }
        return switch (task) {
            case SENTIMENT -> Optional.of(DatasetReader.readTsv(dir.resolve("sst2/dev.tsv"), task));
            case OFFENSIVE, HATE -> Optional.of(tweetEval(task, "val"));
            case SPAM -> Optional.empty();
        };
    }

    /**
     * The spam folds over {@code train}'s rows ({@code train} as {@link #train(Task)} gives for spam); fold 0
     * is the hold-out when a single validation set is needed.
     */
    public static List<StratifiedKFold.Fold> spamFolds(Dataset train) {
        return StratifiedKFold.split(train.labels(), SPAM_FOLDS, SPAM_FOLD_SEED);
    }

    /** Whether the files of every English task are present (tests that need them skip otherwise). */
    public boolean available() {
        return available(Language.ENGLISH);
    }

    /** Whether the files of every task of {@code language} are present. */
    public boolean available(Language language) {
        return switch (language) {
            case ENGLISH ->
                Files.isRegularFile(dir.resolve("sst2/train.tsv"))
                        && Files.isRegularFile(dir.resolve("tweeteval/hate/val_labels.txt"))
                        && Files.isRegularFile(dir.resolve("sms-spam/train.tsv"));
            case CHINESE ->
                Files.isRegularFile(dir.resolve("cold/train.csv"))
                        && Files.isRegularFile(dir.resolve("cold/dev.csv"))
                        && Files.isRegularFile(dir.resolve("chnsenticorp/train.tsv"))
                        && Files.isRegularFile(dir.resolve("chnsenticorp/dev.tsv"));
        };
    }

    /**
     * {@code task} if {@code language} has data for it.
     *
     * @throws IllegalArgumentException naming the tasks it has, e.g. for Chinese spam
     */
    public static Task requireData(Task task, Language language) {
        if (!tasks(language).contains(task)) {
            throw new IllegalArgumentException("no " + language.displayName() + " data for task " + task.id() + " ("
                    + language.displayName() + " has " + ids(tasks(language)) + ")");
        }
        return task;
    }

    private static String ids(List<Task> tasks) {
        return String.join(", ", tasks.stream().map(Task::id).toList());
    }

    private Dataset tweetEval(Task task, String split) {
        Path folder = dir.resolve("tweeteval").resolve(task.id());
        return DatasetReader.readLineAligned(
                folder.resolve(split + "_text.txt"),
                folder.resolve(split + "_labels.txt"),
                task,
                DatasetReader.EmptyText.SKIP);
    }
}
