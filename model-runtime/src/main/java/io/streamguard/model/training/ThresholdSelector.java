package io.streamguard.model.training;

import io.streamguard.model.heads.Thresholds;

/**
 * Chooses a binary label's review and block thresholds on validation probabilities.
 *
 * <ul>
 *   <li>{@code review}: the threshold with the best {@link Objective} (ties: the higher one): the macro-F1
 *       of both classes by default, which weighs harmless text flagged as much as harmful text missed; the
 *       positive class's F1 (what v1 was chosen by) flags more at a low base rate.
 *   <li>{@code block}: the lowest threshold whose precision reaches {@code blockPrecision}; if none does,
 *       the most precise one (ties: the lower one). Either way only among thresholds that flag at least
 *       {@code minPredicted} validation rows, so a handful of lucky rows cannot set it, and never below
 *       {@code review}.
 * </ul>
 *
 * Candidates are the cuts between distinct validation scores; each threshold lies halfway between the
 * lowest score it flags and the next lower score, so it reproduces its validation counts exactly
 * without sitting on a seen score.
 *
 * @param blockPrecision target precision of {@code block}, in (0, 1]
 * @param minPredicted validation rows a block candidate must flag, at least 1
 * @param objective what {@code review} maximises
 */
public record ThresholdSelector(double blockPrecision, int minPredicted, Objective objective) {

    /** What the review threshold maximises on validation data. */
    public enum Objective {
        /** F1 of the harmful class alone (v1's thresholds). */
        POSITIVE_F1,
        /** Mean F1 of both classes: the tasks' target metric. */
        MACRO_F1;

        double of(BinarySweep sweep, int cut) {
            return this == MACRO_F1 ? sweep.macroF1(cut) : sweep.f1(cut);
        }
    }

    public ThresholdSelector {
        if (!(blockPrecision > 0 && blockPrecision <= 1)) {
            throw new IllegalArgumentException("blockPrecision must lie in (0, 1], got " + blockPrecision);
        }
        if (minPredicted < 1) {
            throw new IllegalArgumentException("minPredicted must be at least 1, got " + minPredicted);
        }
        java.util.Objects.requireNonNull(objective, "objective");
    }

    /** Review by the positive class's F1, as v1 was chosen. */
    public ThresholdSelector(double blockPrecision, int minPredicted) {
        this(blockPrecision, minPredicted, Objective.POSITIVE_F1);
    }

    /** Block at 90 % precision, candidates flagging at least 10 rows, review by macro-F1. */
    public static ThresholdSelector defaults() {
        return new ThresholdSelector(0.9, 10, Objective.MACRO_F1);
    }

    /**
     * @param probabilities one positive-class probability per validation row
     * @param labels 0/1 per row; at least one positive
     */
    public ThresholdChoice choose(float[] probabilities, int[] labels) {
        BinarySweep sweep = BinarySweep.of(probabilities, labels);
        if (sweep.positives == 0) {
            throw new IllegalArgumentException("validation labels have no positive row: thresholds are undefined");
        }
        int review = 0;
        for (int cut = 1; cut < sweep.cuts(); cut++) {
            if (objective.of(sweep, cut) > objective.of(sweep, review)) {
                review = cut;
            }
        }
        int block = -1;
        boolean targetMet = false;
        // Cuts run from the highest threshold down, so the last cut meeting the target is the lowest threshold.
        for (int cut = 0; cut < sweep.cuts(); cut++) {
            if (sweep.predicted[cut] >= minPredicted && sweep.precision(cut) >= blockPrecision) {
                block = cut;
                targetMet = true;
            }
        }
        if (!targetMet) {
            for (int cut = 0; cut < sweep.cuts(); cut++) {
                if (sweep.predicted[cut] >= minPredicted
                        && (block < 0 || sweep.precision(cut) >= sweep.precision(block))) {
                    block = cut;
                }
            }
        }
        // A higher threshold is an earlier cut: block may not come after review.
        if (block < 0 || block > review) {
            block = review;
            targetMet = sweep.precision(review) >= blockPrecision;
        }
        OperatingPoint reviewPoint = point(sweep, review);
        OperatingPoint blockPoint = point(sweep, block);
        return new ThresholdChoice(
                new Thresholds(reviewPoint.threshold(), blockPoint.threshold()), reviewPoint, blockPoint, targetMet);
    }

    private static OperatingPoint point(BinarySweep sweep, int cut) {
        return new OperatingPoint(
                sweep.threshold(cut), sweep.precision(cut), sweep.recall(cut), sweep.f1(cut), sweep.predicted[cut]);
    }
}
