package io.streamguard.model.training;

import io.streamguard.model.heads.HeadKind;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A classification task the heads are trained and evaluated on. Every task is binary: class 0 is the
 * negative/benign class and class 1 the positive one ({@code positive}, {@code offensive}, {@code hate},
 * {@code spam}).
 *
 * <p>Each task has its own head, named like the task. {@link #SENTIMENT} is a softmax over
 * {@code [negative, positive]}; the moderation tasks are one sigmoid label each, named like the task,
 * whose probability is that of class 1.
 */
public enum Task {
    SENTIMENT(
            HeadKind.SOFTMAX,
            List.of("negative", "positive"),
            PrimaryMetric.ACCURACY,
            Map.of("0", 0, "1", 1, "negative", 0, "positive", 1)),
    OFFENSIVE(
            HeadKind.SIGMOID,
            List.of("not-offensive", "offensive"),
            PrimaryMetric.MACRO_F1,
            Map.of("0", 0, "1", 1, "not-offensive", 0, "offensive", 1)),
    HATE(
            HeadKind.SIGMOID,
            List.of("not-hate", "hate"),
            PrimaryMetric.MACRO_F1,
            Map.of("0", 0, "1", 1, "not-hate", 0, "hate", 1)),
    SPAM(
            HeadKind.SIGMOID,
            List.of("ham", "spam"),
            PrimaryMetric.POSITIVE_F1,
            Map.of("0", 0, "1", 1, "ham", 0, "spam", 1));

    /** The metric a task's target is stated in; its {@link #key()} names it in reports and model files. */
    public enum PrimaryMetric {
        /** Share of correct predictions (SST-2 is balanced, so accuracy is the GLUE metric). */
        ACCURACY("accuracy"),
        /** Unweighted mean of both classes' F1 (TweetEval's metric for offensive and hate). */
        MACRO_F1("macroF1"),
        /** F1 of class 1 alone: spam is the rare class (13 %), accuracy would hide missed spam. */
        POSITIVE_F1("f1");

        private final String key;

        PrimaryMetric(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    private final HeadKind headKind;
    private final List<String> classNames;
    private final PrimaryMetric primaryMetric;
    private final Map<String, Integer> rawLabels;

    Task(HeadKind headKind, List<String> classNames, PrimaryMetric primaryMetric, Map<String, Integer> rawLabels) {
        this.headKind = headKind;
        this.classNames = classNames;
        this.primaryMetric = primaryMetric;
        this.rawLabels = rawLabels;
    }

    /** Lower-case name, as on the command line ({@code --task hate}) and in model files. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The head this task trains: named like the task. */
    public String headName() {
        return id();
    }

    public HeadKind headKind() {
        return headKind;
    }

    /**
     * The head's output names: {@code [negative, positive]} for the softmax sentiment head, the one
     * moderation label (e.g. {@code [hate]}) for the sigmoid heads.
     */
    public List<String> headLabels() {
        return headKind == HeadKind.SOFTMAX ? classNames : List.of(id());
    }

    /** Names of class 0 and class 1, for reports (e.g. {@code [ham, spam]}). */
    public List<String> classNames() {
        return classNames;
    }

    public PrimaryMetric primaryMetric() {
        return primaryMetric;
    }

    /**
     * The class of a raw label as found in a data file: {@code 0}, {@code 1} or a class name,
     * case-insensitive, surrounding whitespace ignored; -1 if it is none of them.
     */
    public int parseLabel(String raw) {
        Integer label = rawLabels.get(raw.strip().toLowerCase(Locale.ROOT));
        return label == null ? -1 : label;
    }

    /** The labels {@link #parseLabel} accepts, for error messages. */
    public String acceptedLabels() {
        return "0, 1, " + classNames.get(0) + ", " + classNames.get(1) + " (any case)";
    }

    /**
     * The task called {@code id} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the known tasks
     */
    public static Task of(String id) {
        for (Task task : values()) {
            if (task.id().equalsIgnoreCase(id.strip())) {
                return task;
            }
        }
        throw new IllegalArgumentException("unknown task " + id + "; expected one of sentiment, offensive, hate, spam");
    }
}
