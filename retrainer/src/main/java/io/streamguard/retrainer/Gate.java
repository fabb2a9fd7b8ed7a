package io.streamguard.retrainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a candidate may replace the live version: no task's primary validation metric may drop by
 * more than {@code tolerance}, and the metric on held-back feedback must improve by more than
 * {@code minFeedbackGain}. The first keeps old skills, the second makes sure the feedback was
 * learned (rather than memorised: the held-back verdicts were never trained on).
 */
public record Gate(double tolerance, double minFeedbackGain) {

    public Gate {
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must lie in [0, 1), got " + tolerance);
        }
        if (!(minFeedbackGain >= 0 && minFeedbackGain < 1)) {
            throw new IllegalArgumentException("minimum feedback gain must lie in [0, 1), got " + minFeedbackGain);
        }
    }

    /** The gate's verdict and why, in one line for logs and the version record. */
    public record Decision(boolean promote, String reason) {}

    /**
     * @param parent primary metric per task of the live version on the validation splits
     * @param candidate the same for the candidate (every task of {@code parent} must be present)
     * @param parentFeedback the live version's metric on the held-back feedback
     * @param candidateFeedback the candidate's
     * @param heldOut how many held-back verdicts the feedback metric is over; 0 rejects
     */
    public Decision decide(
            Map<String, Double> parent,
            Map<String, Double> candidate,
            double parentFeedback,
            double candidateFeedback,
            int heldOut) {
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
                "held-back feedback accuracy %.4f -> %.4f over %d verdicts",
                parentFeedback,
                candidateFeedback,
                heldOut);
        if (heldOut == 0) {
            problems.add("no held-back feedback to judge it on");
        } else if (!(candidateFeedback - parentFeedback > minFeedbackGain)) {
            problems.add(feedback + " did not improve"
                    + (minFeedbackGain > 0 ? String.format(Locale.ROOT, " by more than %.4f", minFeedbackGain) : ""));
        }
        if (!problems.isEmpty()) {
            return new Decision(false, "rejected: " + String.join("; ", problems));
        }
        return new Decision(true, "promoted: " + feedback + "; " + String.join(", ", changes));
    }
}
