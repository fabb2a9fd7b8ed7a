package io.streamguard.model.training;

import io.streamguard.model.heads.Thresholds;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Thresholds for one moderation label that hold beyond the rows they were chosen on, where the best point
 * of one validation split does not (MiniLM v1's offensive F1 fell from 0.752 on validation to 0.707 on
 * test):
 *
 * <ol>
 *   <li><b>Cross-validated.</b> The validation rows are cut into {@code folds} stratified folds; the
 *       {@link ThresholdSelector} chooses on every {@code folds - 1} of them, and each threshold is the
 *       median of those choices. Each choice's review F1 (the selector's objective) on the fold it never
 *       saw, pooled over the folds,
 *       estimates what the review threshold does on unseen data ({@link Calibrated#outOfFoldF1}).
 *   <li><b>Capped by benign text.</b> If a benign calibration sample is given, the review threshold is
 *       raised where needed so that at most {@code maxBenignShare} of it reaches review: negative-but-civil
 *       text must not flood the review queue. Over-blocking is then measured on another sample
 *       ({@link BenignSet#heldOut()}), so the cap is not graded on what set it.
 * </ol>
 *
 * Block never falls below review.
 *
 * @param folds at least 2
 * @param maxBenignShare the share of benign calibration text allowed to reach review, in (0, 1)
 */
public record ThresholdCalibration(ThresholdSelector selector, int folds, long seed, double maxBenignShare) {

    /**
     * The fewest benign texts a cap is set from: with fewer, a share of a few percent is a handful of texts
     * (or none), and the cap would be set by the single highest score.
     */
    public static final int MIN_BENIGN = 200;

    public ThresholdCalibration {
        Objects.requireNonNull(selector, "selector");
        if (folds < 2 || !(maxBenignShare > 0 && maxBenignShare < 1)) {
            throw new IllegalArgumentException(
                    "folds must be at least 2 and maxBenignShare in (0, 1): " + folds + ", " + maxBenignShare);
        }
    }

    /**
     * The selector's defaults, 5 folds, and 2.5 % of benign calibration text at review: half a point under
     * the 3 % target, a margin for the sampling error of a 500-text sample (about ±0.75 points).
     */
    public static ThresholdCalibration defaults(ThresholdSelector selector) {
        return new ThresholdCalibration(selector, 5, 42L, 0.025);
    }

    /**
     * What was chosen and why.
     *
     * @param choice the final thresholds, with their precision and recall on the whole validation split
     * @param bestPoint what the selector picks on the whole validation split (the old way), for comparison
     * @param outOfFoldF1 the selector's objective (macro-F1 or the positive class's F1) of each fold's review
     *     threshold on that fold, pooled
     * @param benignCap the lowest review threshold the benign sample allows; NaN without one
     * @param benignShare the share of the benign calibration sample at or above the final review; NaN without one
     */
    public record Calibrated(
            ThresholdChoice choice, Thresholds bestPoint, double outOfFoldF1, double benignCap, double benignShare) {

        /** Whether the benign cap raised the review threshold above the cross-validated one. */
        public boolean capped() {
            return !Double.isNaN(benignCap) && choice.thresholds().review() == benignCap;
        }
    }

    /**
     * @param probabilities one positive-class probability per validation row
     * @param labels 0/1 per validation row
     * @param benign the label's probabilities on benign calibration text, or null for no cap (also with
     *     fewer than {@link #MIN_BENIGN} texts)
     */
    public Calibrated calibrate(float[] probabilities, int[] labels, double[] benign) {
        ThresholdChoice best = selector.choose(probabilities, labels);
        List<StratifiedKFold.Fold> split = StratifiedKFold.split(labels, folds, seed);
        double[] reviews = new double[split.size()];
        double[] blocks = new double[split.size()];
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        for (int f = 0; f < split.size(); f++) {
            StratifiedKFold.Fold fold = split.get(f);
            Thresholds chosen = selector.choose(select(probabilities, fold.train()), select(labels, fold.train()))
                    .thresholds();
            reviews[f] = chosen.review();
            blocks[f] = chosen.block();
            for (int i : fold.test()) {
                boolean flagged = probabilities[i] >= chosen.review();
                if (flagged && labels[i] == 1) {
                    tp++;
                } else if (flagged) {
                    fp++;
                } else if (labels[i] == 1) {
                    fn++;
                } else {
                    tn++;
                }
            }
        }
        double review = median(reviews);
        double cap = Double.NaN;
        if (benign != null && benign.length >= MIN_BENIGN) {
            cap = cap(benign);
            review = Math.max(review, cap);
        }
        double block = Math.max(median(blocks), review);
        OperatingPoint reviewPoint = point(probabilities, labels, review);
        OperatingPoint blockPoint = point(probabilities, labels, block);
        ThresholdChoice choice = new ThresholdChoice(
                new Thresholds(review, block),
                reviewPoint,
                blockPoint,
                blockPoint.precision() >= selector.blockPrecision());
        double share = Double.NaN;
        if (!Double.isNaN(cap)) {
            final double r = review;
            share = (double) Arrays.stream(benign).filter(s -> s >= r).count() / benign.length;
        }
        double outOfFold = selector.objective() == ThresholdSelector.Objective.MACRO_F1
                ? (BinarySweep.f1(tp, fp, fn) + BinarySweep.f1(tn, fn, fp)) / 2
                : BinarySweep.f1(tp, fp, fn);
        return new Calibrated(choice, best.thresholds(), outOfFold, cap, share);
    }

    /**
     * The lowest threshold at which at most {@code maxBenignShare} of {@code benign} scores reach it: halfway
     * between the highest score it must let pass and the next higher one.
     */
    double cap(double[] benign) {
        double[] sorted = benign.clone();
        Arrays.sort(sorted); // ascending
        int allowed = (int) Math.floor(maxBenignShare * sorted.length);
        int below = sorted.length - allowed - 1; // the highest score that must stay under the threshold
        if (below < 0) {
            return 0;
        }
        double over = below + 1 < sorted.length ? sorted[below + 1] : 1.0;
        // Ties: a threshold equal to a score flags it, so go strictly above the one that must pass.
        return over > sorted[below] ? (sorted[below] + over) / 2 : Math.nextUp(sorted[below]);
    }

    private static OperatingPoint point(float[] p, int[] labels, double threshold) {
        int tp = 0;
        int predicted = 0;
        int positives = 0;
        for (int i = 0; i < p.length; i++) {
            positives += labels[i];
            if (p[i] >= threshold) {
                predicted++;
                tp += labels[i];
            }
        }
        double precision = predicted == 0 ? 0 : (double) tp / predicted;
        double recall = positives == 0 ? 0 : (double) tp / positives;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new OperatingPoint(threshold, precision, recall, f1, predicted);
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static float[] select(float[] values, int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return out;
    }

    private static int[] select(int[] values, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return out;
    }
}
