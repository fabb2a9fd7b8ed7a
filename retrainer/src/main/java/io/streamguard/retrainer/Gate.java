package io.streamguard.retrainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a candidate may replace the live version. Two things must hold:
 *
 * <ul>
 *   <li>no task's primary validation metric drops by more than {@code tolerance}: old skills are kept;
 *   <li>the held-back feedback shows the candidate is better, on enough independent evidence: at least
 *       {@code minHeldBack} held-back verdicts after near-copies are dropped ({@link Holdout}), an accuracy gain of
 *       more than {@code minFeedbackGain}, and McNemar's exact one-sided test on the verdicts the two versions
 *       disagree on at p &lt;= {@code significance} ({@link McNemar}).
 * </ul>
 *
 * <p>Why: a handful of held-back verdicts, or near-copies of the training texts, go from 0 % to 100 % by
 * memorising a template; the test asks whether the wins could be luck, the minimum keeps it from judging on
 * two or three texts.
 */
public record Gate(double tolerance, double minFeedbackGain, int minHeldBack, double significance) {

    /** Default of {@link #tolerance}. */
    public static final double TOLERANCE = 0.02;
    /** Default of {@link #minFeedbackGain}. */
    public static final double MIN_FEEDBACK_GAIN = 0.0;
    /** Default of {@link #minHeldBack}. */
    public static final int MIN_HELD_BACK = 10;
    /** Default of {@link #significance}. */
    public static final double SIGNIFICANCE = 0.05;

    public Gate {
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must lie in [0, 1), got " + tolerance);
        }
        if (!(minFeedbackGain >= 0 && minFeedbackGain < 1)) {
            throw new IllegalArgumentException("minimum feedback gain must lie in [0, 1), got " + minFeedbackGain);
        }
        if (minHeldBack < 1) {
            throw new IllegalArgumentException("minimum held-back verdicts must be at least 1, got " + minHeldBack);
        }
        if (!(significance > 0 && significance < 1)) {
            throw new IllegalArgumentException("significance must lie in (0, 1), got " + significance);
        }
    }

    /** Tolerance 0.02, no minimum gain, at least 10 independent held-back verdicts, significance 0.05. */
    public static Gate defaults() {
        return new Gate(TOLERANCE, MIN_FEEDBACK_GAIN, MIN_HELD_BACK, SIGNIFICANCE);
    }

    /** The gate's verdict and why, in one line for logs and the version record. */
    public record Decision(boolean promote, String reason) {}

    /**
     * @param parent primary metric per task of the live version on the validation splits
     * @param candidate the same for the candidate (every task of {@code parent} must be present)
     * @param heldBack both versions on the independent held-back verdicts ({@link Holdout.Split#evidence()})
     * @param nearCopies held-back verdicts not counted because they are near-copies of counted ones
     */
    public Decision decide(
            Map<String, Double> parent, Map<String, Double> candidate, Evaluation.Paired heldBack, int nearCopies) {
        List<String> problems = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        parent.forEach((task, before) -> {
            Double after = candidate.get(task);
            if (after == null) {
                problems.add(task + " not evaluated");
                return;
            }
            String change = String.format(Locale.ROOT, "%s %.4f -> %.4f", task, before, after);
            changes.add(change);
            if (before - after > tolerance) {
                problems.add(String.format(
                        Locale.ROOT, "%s dropped by %.4f (tolerance %.4f)", change, before - after, tolerance));
            }
        });
        String feedback = String.format(
                Locale.ROOT,
                "held-back feedback accuracy %.4f -> %.4f over %d independent verdicts (%d near-copies not counted)",
                heldBack.parentAccuracy(),
                heldBack.candidateAccuracy(),
                heldBack.verdicts(),
                nearCopies);
        double p = McNemar.oneSidedP(heldBack.candidateOnly(), heldBack.parentOnly());
        String test = String.format(
                Locale.ROOT,
                "they disagree on %d: candidate right on %d, live version on %d, McNemar exact one-sided p=%.4f",
                heldBack.disagreements(),
                heldBack.candidateOnly(),
                heldBack.parentOnly(),
                p);
        if (heldBack.verdicts() < minHeldBack) {
            problems.add(String.format(
                    Locale.ROOT,
                    "not enough independent evidence: %d held-back verdicts (%d near-copies not counted), at least %d"
                            + " needed",
                    heldBack.verdicts(),
                    nearCopies,
                    minHeldBack));
        } else if (!(heldBack.candidateAccuracy() - heldBack.parentAccuracy() > minFeedbackGain)) {
            problems.add(feedback + " did not improve"
                    + (minFeedbackGain > 0 ? String.format(Locale.ROOT, " by more than %.4f", minFeedbackGain) : ""));
        } else if (!(p <= significance)) {
            problems.add(String.format(Locale.ROOT, "%s, not significant: %s > %.4f", feedback, test, significance));
        }
        if (!problems.isEmpty()) {
            return new Decision(false, "rejected: " + String.join("; ", problems));
        }
        return new Decision(
                true,
                String.format(
                        Locale.ROOT,
                        "promoted: %s; %s <= %.4f; %s",
                        feedback,
                        test,
                        significance,
                        String.join(", ", changes)));
    }
}
