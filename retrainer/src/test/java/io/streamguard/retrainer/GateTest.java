package io.streamguard.retrainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GateTest {

    private final Gate gate = Gate.defaults();
    private final Map<String, Double> parent = Map.of("spam", 0.94, "hate", 0.77);
    /** 30 independent held-back verdicts: the live version gets 10 right, the candidate 28, winning all 18 splits. */
    private final Evaluation.Paired strong = new Evaluation.Paired(30, 10, 28, 18, 0);

    @Test
    void promotesAStrongImprovementOnEnoughDistinctHeldBackTexts() {
        Gate.Decision d = gate.decide(parent, Map.of("spam", 0.925, "hate", 0.78), strong, 4);
        assertThat(d.promote()).as(d.reason()).isTrue();
        assertThat(d.reason())
                .startsWith("promoted: held-back feedback accuracy 0.3333 -> 0.9333 over 30 independent verdicts"
                        + " (4 near-copies not counted); they disagree on 18: candidate right on 18, live version on 0,"
                        + " McNemar exact one-sided p=0.0000 <= 0.0500")
                .contains("spam 0.9400 -> 0.9250");
    }

    @Test
    void threeNearDuplicateVerdictsAreNotEnoughEvidence() {
        // The case: 0 -> 1 on 3 held-back verdicts, 2 of them near-copies of the third.
        Gate.Decision d = gate.decide(parent, parent, new Evaluation.Paired(1, 0, 1, 1, 0), 2);
        assertThat(d.promote()).isFalse();
        assertThat(d.reason())
                .isEqualTo("rejected: not enough independent evidence: 1 held-back verdicts (2 near-copies not"
                        + " counted), at least 10 needed");
        // Even 3 distinct texts are too few, however clear the gain.
        assertThat(gate.decide(parent, parent, new Evaluation.Paired(3, 0, 3, 3, 0), 0)
                        .reason())
                .startsWith("rejected: not enough independent evidence: 3 held-back verdicts");
    }

    @Test
    void aGainThatCouldBeLuckIsNotSignificant() {
        // What random labels give: about as many wins as losses where the two disagree.
        Gate.Decision d = gate.decide(parent, parent, new Evaluation.Paired(40, 20, 23, 9, 6), 0);
        assertThat(d.promote()).isFalse();
        assertThat(d.reason())
                .isEqualTo("rejected: held-back feedback accuracy 0.5000 -> 0.5750 over 40 independent verdicts (0"
                        + " near-copies not counted), not significant: they disagree on 15: candidate right on 9,"
                        + " live version on 6, McNemar exact one-sided p=0.3036 > 0.0500");
        // Five wins and no loss is the fewest that pass at 0.05; four do not.
        assertThat(gate.decide(parent, parent, new Evaluation.Paired(10, 5, 10, 5, 0), 0)
                        .promote())
                .isTrue();
        assertThat(gate.decide(parent, parent, new Evaluation.Paired(10, 6, 10, 4, 0), 0)
                        .promote())
                .isFalse();
    }

    @Test
    void rejectsADropBeyondTheToleranceEvenIfFeedbackImproves() {
        Gate.Decision d = gate.decide(parent, Map.of("spam", 0.90, "hate", 0.78), strong, 0);
        assertThat(d.promote()).isFalse();
        assertThat(d.reason())
                .startsWith("rejected:")
                .contains("spam 0.9400 -> 0.9000 dropped by 0.0400")
                .doesNotContain("hate");
    }

    @Test
    void rejectsWhenFeedbackDoesNotImprove() {
        assertThat(gate.decide(parent, parent, new Evaluation.Paired(10, 5, 5, 0, 0), 0)
                        .reason())
                .isEqualTo("rejected: held-back feedback accuracy 0.5000 -> 0.5000 over 10 independent verdicts (0"
                        + " near-copies not counted) did not improve");
        assertThat(new Gate(0.02, 0.1, 10, 0.05)
                        .decide(parent, parent, new Evaluation.Paired(20, 10, 11, 1, 0), 0)
                        .promote())
                .as("gain below the minimum")
                .isFalse();
    }

    @Test
    void rejectsWithoutHeldBackFeedbackOrWhenATaskWasNotEvaluated() {
        assertThat(gate.decide(parent, parent, new Evaluation.Paired(0, 0, 0, 0, 0), 0)
                        .reason())
                .contains("not enough independent evidence: 0 held-back verdicts");
        assertThat(gate.decide(parent, Map.of("spam", 0.95), strong, 0).reason())
                .contains("hate not evaluated");
    }

    @Test
    void mcNemarIsTheBinomialTailOfTheCandidatesWins() {
        assertThat(McNemar.oneSidedP(5, 0)).isCloseTo(1 / 32.0, within(1e-12));
        assertThat(McNemar.oneSidedP(9, 6)).isCloseTo(9949 / 32768.0, within(1e-12));
        assertThat(McNemar.oneSidedP(0, 5)).isCloseTo(1, within(1e-12));
        assertThat(McNemar.oneSidedP(0, 0)).isEqualTo(1);
        assertThat(McNemar.oneSidedP(1500, 1500)).as("no underflow").isCloseTo(0.5, within(0.02));
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new Gate(-0.1, 0, 10, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Gate(0.1, 1.5, 10, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Gate(0.1, 0, 0, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Gate(0.1, 0, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
