package io.streamguard.model.training;

import java.util.Arrays;

/**
 * Confusion counts of a binary scorer at every cut between distinct scores: cut {@code i} predicts
 * positive for every score {@code >= scores[i]}, with {@code scores} distinct and descending.
 */
final class BinarySweep {

    /** Distinct scores, highest first. */
    final float[] scores;
    /** True positives at each cut. */
    final int[] truePositives;
    /** Rows predicted positive at each cut. */
    final int[] predicted;

    final int positives;
    final int rows;

    private BinarySweep(float[] scores, int[] truePositives, int[] predicted, int positives, int rows) {
        this.scores = scores;
        this.truePositives = truePositives;
        this.predicted = predicted;
        this.positives = positives;
        this.rows = rows;
    }

    /** @param labels 0 or 1 per score */
    static BinarySweep of(float[] scores, int[] labels) {
        if (scores.length != labels.length || scores.length == 0) {
            throw new IllegalArgumentException(scores.length + " scores for " + labels.length + " labels");
        }
        // Sort (score, label) pairs by score, descending, through one long per row: the score's
        // order-preserving int bits in the high half, the row in the low half.
        long[] keys = new long[scores.length];
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("binary label must be 0 or 1, row " + i + " has " + labels[i]);
            }
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException("score of row " + i + " is NaN");
            }
            keys[i] = ((long) sortableBits(scores[i]) << 32) | i;
        }
        Arrays.sort(keys);
        float[] cuts = new float[scores.length];
        int[] tp = new int[scores.length];
        int[] predicted = new int[scores.length];
        int n = 0;
        int truePositives = 0;
        for (int k = keys.length - 1; k >= 0; k--) {
            int row = (int) keys[k];
            truePositives += labels[row];
            boolean lastOfScore = k == 0 || scores[(int) keys[k - 1]] != scores[row];
            if (lastOfScore) {
                cuts[n] = scores[row];
                tp[n] = truePositives;
                predicted[n] = keys.length - k;
                n++;
            }
        }
        return new BinarySweep(
                Arrays.copyOf(cuts, n),
                Arrays.copyOf(tp, n),
                Arrays.copyOf(predicted, n),
                truePositives,
                scores.length);
    }

    int cuts() {
        return scores.length;
    }

    double precision(int cut) {
        return (double) truePositives[cut] / predicted[cut];
    }

    double recall(int cut) {
        return positives == 0 ? 0 : (double) truePositives[cut] / positives;
    }

    /** F1 of the positive class. */
    double f1(int cut) {
        return f1(truePositives[cut], predicted[cut] - truePositives[cut], positives - truePositives[cut]);
    }

    /** Mean of the positive and the negative class's F1. */
    double macroF1(int cut) {
        int tp = truePositives[cut];
        int fp = predicted[cut] - tp;
        int fn = positives - tp;
        int tn = rows - predicted[cut] - fn;
        return (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2;
    }

    /**
     * A threshold that reproduces cut {@code i} on these scores: halfway to the next lower score, so
     * that scores a little under the cut's lowest one (unseen data) are not flipped by rounding.
     */
    double threshold(int cut) {
        return cut + 1 < scores.length ? ((double) scores[cut] + scores[cut + 1]) / 2 : scores[cut];
    }

    static double f1(int tp, int fp, int fn) {
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /** Float bits as an int whose signed order is the floats' order (for non-NaN values). */
    private static int sortableBits(float f) {
        int bits = Float.floatToIntBits(f == 0f ? 0f : f); // -0 and 0 are one score
        return bits >= 0 ? bits : bits ^ Integer.MAX_VALUE;
    }
}
