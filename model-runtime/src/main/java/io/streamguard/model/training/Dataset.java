package io.streamguard.model.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Labelled examples for one task, with where they came from.
 *
 * @param task what the labels mean
 * @param source the file(s) read, for people and {@code Provenance}
 * @param sha256 hex SHA-256 of the source bytes (for a text/labels pair, of the text file's bytes
 *     followed by the labels file's), so a model records exactly which data trained it
 * @param rows the examples in file order
 * @param skipped rows left out while reading (only empty texts, and only where the reader was told
 *     to skip them, as for TweetEval hate's few empty tweets)
 */
public record Dataset(Task task, String source, String sha256, List<LabeledText> rows, int skipped) {

    public Dataset {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sha256, "sha256");
        rows = List.copyOf(rows);
    }

    public int size() {
        return rows.size();
    }

    /** The texts in row order (what a feature extractor takes). */
    public List<String> texts() {
        List<String> texts = new ArrayList<>(rows.size());
        for (LabeledText row : rows) {
            texts.add(row.text());
        }
        return texts;
    }

    /** The labels in row order. */
    public int[] labels() {
        int[] labels = new int[rows.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rows.get(i).label();
        }
        return labels;
    }

    /** How many rows have label 1. */
    public int positives() {
        int n = 0;
        for (LabeledText row : rows) {
            n += row.label();
        }
        return n;
    }

    /**
     * The rows at {@code indices}, in that order (e.g. one fold of a {@link StratifiedKFold}); the
     * source says which part it is, the hash stays that of the whole file.
     */
    public Dataset subset(int[] indices, String part) {
        List<LabeledText> picked = new ArrayList<>(indices.length);
        for (int i : indices) {
            picked.add(rows.get(i));
        }
        return new Dataset(task, source + " (" + part + ")", sha256, picked, 0);
    }

    /** E.g. {@code sentiment: 872 rows, 444 positive (50.9 %), 0 skipped}. */
    public String summary() {
        return String.format(
                Locale.ROOT,
                "%s: %d rows, %d %s (%.1f %%), %d %s, %d skipped",
                task.id(),
                size(),
                positives(),
                task.classNames().get(1),
                size() == 0 ? 0.0 : 100.0 * positives() / size(),
                size() - positives(),
                task.classNames().get(0),
                skipped);
    }
}
