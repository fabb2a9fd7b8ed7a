package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ThresholdSelectorTest {

    // Scores descending with their labels: 0.95 1, 0.9 1, 0.8 1, 0.7 0, 0.6 1, 0.5 1, 0.4 0, 0.3 1, 0.2 0, 0.1 0
    private static final float[] SCORES = {0.1f, 0.95f, 0.4f, 0.8f, 0.5f, 0.2f, 0.9f, 0.6f, 0.3f, 0.7f};
    private static final int[] LABELS = {0, 1, 0, 1, 1, 0, 1, 1, 1, 0};

    @Test
    void reviewMaximisesF1AndBlockIsTheLowestThresholdReachingThePrecision() {
        // Flagging >= 0.3 finds all 6 positives with 2 false alarms: F1 12/14, the best cut.
        // Precision >= 0.8: >= 0.5 (5 of 6) is the lowest; >= 0.4 has 5 of 7.
        ThresholdChoice choice = new ThresholdSelector(0.8, 1).choose(SCORES, LABELS);

        assertThat(choice.thresholds().review()).isCloseTo(0.25, within(1e-6));
        assertThat(choice.review().f1()).isCloseTo(12.0 / 14, within(1e-9));
        assertThat(choice.review().recall()).isEqualTo(1.0);
        assertThat(choice.review().predictedPositives()).isEqualTo(8);

        assertThat(choice.thresholds().block()).isCloseTo(0.45, within(1e-6));
        assertThat(choice.block().precision()).isCloseTo(5.0 / 6, within(1e-9));
        assertThat(choice.block().recall()).isCloseTo(5.0 / 6, within(1e-9));
        assertThat(choice.blockTargetMet()).isTrue();
    }

    @Test
    void thresholdsReproduceTheirValidationCounts() {
        ThresholdChoice choice = new ThresholdSelector(0.8, 1).choose(SCORES, LABELS);

        assertThat(countAtOrAbove(choice.thresholds().review()))
                .isEqualTo(choice.review().predictedPositives());
        assertThat(countAtOrAbove(choice.thresholds().block()))
                .isEqualTo(choice.block().predictedPositives());
    }

    @Test
    void minPredictedKeepsAFewLuckyRowsFromSettingBlock() {
        // At 100 % precision only >= 0.8 qualifies (3 rows); with at least 4 rows required nothing does,
        // so block falls back to the most precise cut flagging 4 or more: >= 0.5 (5 of 6; >= 0.7 has 3 of 4).
        ThresholdChoice strict = new ThresholdSelector(1.0, 1).choose(SCORES, LABELS);
        ThresholdChoice fallback = new ThresholdSelector(1.0, 4).choose(SCORES, LABELS);

        assertThat(strict.thresholds().block()).isCloseTo(0.75, within(1e-6));
        assertThat(strict.blockTargetMet()).isTrue();
        assertThat(fallback.blockTargetMet()).isFalse();
        assertThat(fallback.thresholds().block()).isCloseTo(0.45, within(1e-6));
        assertThat(fallback.block().precision())
                .isCloseTo(5.0 / 6, within(1e-9))
                .isLessThan(1.0);
    }

    @Test
    void blockIsNeverBelowReview() {
        // Best F1 flags only the top row; every wider cut is less precise than 0.99.
        float[] scores = {0.9f, 0.8f, 0.7f, 0.6f};
        int[] labels = {1, 0, 0, 0};

        ThresholdChoice choice = new ThresholdSelector(0.99, 2).choose(scores, labels);

        assertThat(choice.thresholds().review()).isCloseTo(0.85, within(1e-6));
        assertThat(choice.thresholds().block()).isEqualTo(choice.thresholds().review());
        assertThat(choice.block()).isEqualTo(choice.review());
    }

    @Test
    void tiedScoresAreOneCut() {
        float[] scores = {0.5f, 0.5f, 0.5f, 0.2f};
        int[] labels = {1, 0, 1, 0};

        ThresholdChoice choice = new ThresholdSelector(0.9, 1).choose(scores, labels);

        assertThat(choice.review().predictedPositives()).isEqualTo(3);
        assertThat(choice.thresholds().review()).isCloseTo(0.35, within(1e-6));
    }

    @Test
    void needsPositivesAndBinaryLabels() {
        ThresholdSelector selector = ThresholdSelector.defaults();

        assertThatThrownBy(() -> selector.choose(new float[] {0.1f, 0.2f}, new int[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no positive");
        assertThatThrownBy(() -> selector.choose(new float[] {0.1f, 0.2f}, new int[] {0, 2}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThresholdSelector(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int countAtOrAbove(double threshold) {
        int n = 0;
        for (float s : SCORES) {
            if (s >= threshold) {
                n++;
            }
        }
        return n;
    }

    @Test
    void macroF1ReviewFlagsLessThanThePositiveClassF1WhenHarmlessRowsPayForRecall() {
        float[] scores = {0.9f, 0.8f, 0.3f, 0.2f, 0.7f, 0.35f, 0.25f, 0.15f, 0.1f, 0.05f};
        int[] labels = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
        // Positive F1: flag down to 0.2 (4 tp, 3 fp: 0.727). Macro-F1: stop after 0.8 (0.762 against 0.697).
        assertThat(new ThresholdSelector(0.9, 1, ThresholdSelector.Objective.POSITIVE_F1)
                        .choose(scores, labels)
                        .thresholds()
                        .review())
                .isCloseTo(0.175, within(1e-6));
        ThresholdChoice macro = ThresholdSelector.defaults().choose(scores, labels);
        assertThat(macro.thresholds().review()).isCloseTo(0.75, within(1e-6));
        assertThat(macro.review().predictedPositives()).isEqualTo(2);
    }
}
