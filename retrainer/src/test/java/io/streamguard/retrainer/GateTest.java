package io.streamguard.retrainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GateTest {

    private final Gate gate = new Gate(0.02, 0.0);
    private final Map<String, Double> parent = Map.of("spam", 0.94, "hate", 0.77);

    @Test
    void promotesWhenFeedbackImprovesAndNoTaskDropsBeyondTheTolerance() {
        Gate.Decision d = gate.decide(parent, Map.of("spam", 0.925, "hate", 0.78), 0.2, 0.9, 10);
        assertThat(d.promote()).isTrue();
        assertThat(d.reason())
                .startsWith("promoted:")
                .contains("0.2000 -> 0.9000 over 10 verdicts")
                .contains("spam 0.9400 -> 0.9250");
    }

    @Test
    void rejectsADropBeyondTheToleranceEvenIfFeedbackImproves() {
        Gate.Decision d = gate.decide(parent, Map.of("spam", 0.90, "hate", 0.78), 0.2, 0.9, 10);
        assertThat(d.promote()).isFalse();
        assertThat(d.reason())
                .startsWith("rejected:")
                .contains("spam 0.9400 -> 0.9000 dropped by 0.0400")
                .doesNotContain("hate");
    }

    @Test
    void rejectsWhenFeedbackDoesNotImprove() {
        assertThat(gate.decide(parent, parent, 0.5, 0.5, 10).reason())
                .isEqualTo("rejected: held-back feedback accuracy 0.5000 -> 0.5000 over 10 verdicts did not improve");
        assertThat(new Gate(0.02, 0.1).decide(parent, parent, 0.5, 0.55, 10).promote())
                .as("gain below the minimum")
                .isFalse();
    }

    @Test
    void rejectsWithoutHeldBackFeedbackOrWhenATaskWasNotEvaluated() {
        assertThat(gate.decide(parent, parent, 0, 0, 0).reason()).contains("no held-back feedback");
        assertThat(gate.decide(parent, Map.of("spam", 0.95), 0.2, 0.9, 10).reason())
                .contains("hate not evaluated");
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new Gate(-0.1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Gate(0.1, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
