package io.streamguard.model.training;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of evaluating a classifier on labelled data (see {@link Metrics}).
 *
 * @param classes class names by index
 * @param examples number of examples
 * @param perClass precision, recall, F1 and support of each class, by index
 * @param rocAuc ROC-AUC of class 1 for two classes; null if undefined (one class absent) or multi-class
 * @param averagePrecision area under the precision-recall curve of class 1 (average precision); null likewise
 * @param threshold the score at or above which class 1 was predicted; null if argmax or unknown
 * @param confusion {@code confusion[actual][predicted]} counts
 */
@JsonPropertyOrder({
    "examples",
    "accuracy",
    "macroPrecision",
    "macroRecall",
    "macroF1",
    "rocAuc",
    "averagePrecision",
    "threshold",
    "classes",
    "perClass",
    "confusion"
})
public record ClassificationReport(
        List<String> classes,
        int examples,
        double accuracy,
        List<ClassMetrics> perClass,
        double macroPrecision,
        double macroRecall,
        double macroF1,
        Double rocAuc,
        Double averagePrecision,
        Double threshold,
        int[][] confusion) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ClassificationReport {
        classes = List.copyOf(classes);
        perClass = List.copyOf(perClass);
    }

    /** Metrics of class {@code name}. */
    public ClassMetrics of(String name) {
        return perClass.get(index(name));
    }

    /**
     * The value of metric {@code key}: {@code accuracy}, {@code macroPrecision}, {@code macroRecall},
     * {@code macroF1}, {@code rocAuc}, {@code averagePrecision}, or {@code precision}, {@code recall},
     * {@code f1} of class 1 (binary); see {@link #asMap()}.
     */
    public double metric(String key) {
        Double value = asMap().get(key);
        if (value == null) {
            throw new IllegalArgumentException("no metric " + key + " in " + asMap().keySet());
        }
        return value;
    }

    /** The task's headline number ({@link Task#primaryMetric()}). */
    public double primary(Task task) {
        return metric(task.primaryMetric().key());
    }

    /**
     * Scalar metrics by name, as stored in a model file's {@code metrics}: the macro metrics, accuracy, the
     * curve metrics when defined, and for two classes {@code precision}/{@code recall}/{@code f1} of class 1.
     */
    @JsonIgnore
    public Map<String, Double> asMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("accuracy", accuracy);
        map.put("macroPrecision", macroPrecision);
        map.put("macroRecall", macroRecall);
        map.put("macroF1", macroF1);
        if (classes.size() == 2) {
            map.put("precision", perClass.get(1).precision());
            map.put("recall", perClass.get(1).recall());
            map.put("f1", perClass.get(1).f1());
        }
        if (rocAuc != null) {
            map.put("rocAuc", rocAuc);
        }
        if (averagePrecision != null) {
            map.put("averagePrecision", averagePrecision);
        }
        return map;
    }

    /** Pretty-printed JSON with every field above (undefined curve metrics as null). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report is always serialisable", e);
        }
    }

    /** A plain-text table for the terminal: headline numbers, per-class rows, macro average, confusion matrix. */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        int width = Math.max(9, classes.stream().mapToInt(String::length).max().orElse(0));
        out.append(String.format(
                Locale.ROOT,
                "examples %d   accuracy %.4f   ROC-AUC %s   AUC-PR %s%s%n",
                examples,
                accuracy,
                format(rocAuc),
                format(averagePrecision),
                threshold == null ? "" : String.format(Locale.ROOT, "   threshold %.4f", threshold)));
        out.append('\n');
        String rowFormat = "%-" + width + "s  %9s  %9s  %9s  %8s%n";
        out.append(String.format(Locale.ROOT, rowFormat, "class", "precision", "recall", "f1", "support"));
        for (ClassMetrics c : perClass) {
            out.append(String.format(
                    Locale.ROOT,
                    rowFormat,
                    c.name(),
                    format(c.precision()),
                    format(c.recall()),
                    format(c.f1()),
                    c.support()));
        }
        out.append(String.format(
                Locale.ROOT,
                rowFormat,
                "macro avg",
                format(macroPrecision),
                format(macroRecall),
                format(macroF1),
                examples));
        out.append('\n')
                .append("confusion matrix (rows: actual, columns: predicted)")
                .append('\n');
        int cell = Math.max(width, Integer.toString(examples).length());
        out.append(String.format(Locale.ROOT, "%-" + width + "s", ""));
        for (String name : classes) {
            out.append(String.format(Locale.ROOT, "  %" + cell + "s", name));
        }
        out.append('\n');
        for (int a = 0; a < classes.size(); a++) {
            out.append(String.format(Locale.ROOT, "%-" + width + "s", classes.get(a)));
            for (int p = 0; p < classes.size(); p++) {
                out.append(String.format(Locale.ROOT, "  %" + cell + "d", confusion[a][p]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private int index(String name) {
        int i = classes.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no class " + name + " in " + classes);
        }
        return i;
    }

    private static String format(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }
}
