package io.streamguard.model.training;

import io.streamguard.model.heads.HeadKind;

/**
 * Scores a head on validation data after each epoch; higher is better. {@link HeadTrainer} keeps the
 * epoch with the highest score and stops when it has not improved for {@code patience} epochs.
 */
@FunctionalInterface
public interface ValidationMetric {

    /**
     * @param probabilities row-major {@code [rows, outputs]}: one probability per row for a binary
     *     head ({@code outputs == 1}), a distribution per row for a softmax head
     * @param labels true class index per row (0/1 for binary heads)
     * @param outputs probabilities per row
     */
    double evaluate(float[] probabilities, int[] labels, int outputs);

    /**
     * Fraction of rows whose most probable class is the true one (a binary head predicts positive at
     * probability {@code >= 0.5}).
     */
    static ValidationMetric accuracy() {
        return (p, labels, outputs) -> {
            int correct = 0;
            for (int row = 0; row < labels.length; row++) {
                if (predicted(p, row, outputs) == labels[row]) {
                    correct++;
                }
            }
            return (double) correct / labels.length;
        };
    }

    /**
     * Macro-F1 (mean over classes of each class's F1) of binary probabilities at the threshold that
     * maximises it on these rows. Free of the probability scale, so an epoch is not judged by how
     * class weighting shifted its calibration; deployed thresholds are re-chosen on validation data
     * anyway ({@link ThresholdSelector}). As a reported number it is slightly optimistic.
     */
    static ValidationMetric bestThresholdMacroF1() {
        return (p, labels, outputs) -> {
            if (outputs != 1) {
                throw new IllegalArgumentException(
                        "best-threshold macro-F1 needs a binary head, got " + outputs + " outputs");
            }
            BinarySweep sweep = BinarySweep.of(p, labels);
            double best = 0;
            for (int cut = 0; cut < sweep.cuts(); cut++) {
                best = Math.max(best, sweep.macroF1(cut));
            }
            return best;
        };
    }

    /** Macro-F1 of the argmax class (binary heads: positive at {@code >= 0.5}). */
    static ValidationMetric macroF1() {
        return (p, labels, outputs) -> {
            int classes = Math.max(2, outputs);
            int[] tp = new int[classes];
            int[] predictedCount = new int[classes];
            int[] actualCount = new int[classes];
            for (int row = 0; row < labels.length; row++) {
                int predicted = predicted(p, row, outputs);
                predictedCount[predicted]++;
                actualCount[labels[row]]++;
                if (predicted == labels[row]) {
                    tp[predicted]++;
                }
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += BinarySweep.f1(tp[c], predictedCount[c] - tp[c], actualCount[c] - tp[c]);
            }
            return sum / classes;
        };
    }

    /** The trainer's default: accuracy for softmax heads, {@link #bestThresholdMacroF1()} for binary ones. */
    static ValidationMetric defaultFor(HeadSpec spec) {
        return spec.kind() == HeadKind.SIGMOID ? bestThresholdMacroF1() : accuracy();
    }

    private static int predicted(float[] p, int row, int outputs) {
        if (outputs == 1) {
            return p[row] >= 0.5f ? 1 : 0;
        }
        int best = 0;
        for (int c = 1; c < outputs; c++) {
            if (p[row * outputs + c] > p[row * outputs + best]) {
                best = c;
            }
        }
        return best;
    }
}
