package io.streamguard.retrainer;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When to retrain: as soon as {@code verdicts} new verdicts (with their texts) arrived, or once
 * {@code interval} has passed since the last retrain (or the start) and at least one new verdict is
 * waiting: a trickle of feedback is still used, and no feedback never costs a retrain.
 */
public record RetrainTrigger(int verdicts, Duration interval) {

    public RetrainTrigger {
        Objects.requireNonNull(interval, "interval");
        if (verdicts < 1) {
            throw new IllegalArgumentException("verdicts must be at least 1, got " + verdicts);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
    }

    /** Whether to retrain now, given the verdicts that arrived since {@code lastRetrain}. */
    public boolean due(int newVerdicts, Instant lastRetrain, Instant now) {
        if (newVerdicts >= verdicts) {
            return true;
        }
        return newVerdicts > 0 && !now.isBefore(lastRetrain.plus(interval));
    }

    /** Why a retrain starts now, for the version's history: which of the two fired, with the count. */
    public String why(int newVerdicts, Instant lastRetrain, Instant now) {
        if (newVerdicts >= verdicts) {
            return newVerdicts + " new verdicts (trigger " + verdicts + ")";
        }
        return newVerdicts + " new verdicts "
                + Duration.between(lastRetrain, now).toMinutes() + " min after the last retrain (trigger "
                + interval.toMinutes() + " min)";
    }
}
