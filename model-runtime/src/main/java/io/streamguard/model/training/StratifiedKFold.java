package io.streamguard.model.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Deterministic stratified k-fold split: each class's rows are shuffled with the seed and dealt round-robin
 * into the folds, so every fold holds each class in (nearly, within one row) the dataset's proportion, and
 * the same labels, k and seed always give the same folds on any JVM.
 */
public final class StratifiedKFold {

    /**
     * One fold: the rows to evaluate on and the rest to train on, both ascending (file order).
     *
     * @param index 0-based fold number
     */
    public record Fold(int index, int[] train, int[] test) {}

    private StratifiedKFold() {}

    /**
     * {@code k} folds over rows labelled {@code labels} (any non-negative class ids).
     *
     * @throws IllegalArgumentException if {@code k < 2} or some class has fewer than {@code k} rows (a fold
     *     would then miss it, and per-class metrics on it would be undefined)
     */
    public static List<Fold> split(int[] labels, int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("k must be at least 2, got " + k);
        }
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        int[] foldOf = new int[labels.length];
        SplittableRandom random = new SplittableRandom(seed);
        for (int c = 0; c < classes; c++) {
            int[] rows = indicesOf(labels, c);
            if (rows.length == 0) {
                continue;
            }
            if (rows.length < k) {
                throw new IllegalArgumentException("class " + c + " has " + rows.length + " rows, fewer than k=" + k);
            }
            shuffle(rows, random);
            // Continue the round-robin where the previous class stopped, so fold sizes differ by at most one.
            for (int i = 0; i < rows.length; i++) {
                foldOf[rows[i]] = Math.floorMod(i + c, k);
            }
        }
        List<Fold> folds = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int[] test = indicesOf(foldOf, f);
            int[] train = new int[labels.length - test.length];
            int t = 0;
            for (int i = 0; i < labels.length; i++) {
                if (foldOf[i] != f) {
                    train[t++] = i;
                }
            }
            folds.add(new Fold(f, train, test));
        }
        return folds;
    }

    private static int[] indicesOf(int[] values, int value) {
        return IntStream.range(0, values.length).filter(i -> values[i] == value).toArray();
    }

    /** Fisher-Yates; SplittableRandom's sequence for a seed is fixed by its specification. */
    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
