package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cross-validated thresholds and the benign cap on synthetic, seeded scores. */
class ThresholdCalibrationTest {

    private static final ThresholdCalibration CALIBRATION =
            ThresholdCalibration.defaults(new ThresholdSelector(0.9, 5));

    /** 600 rows, a third positive; positives score higher on average, with overlap. */
    private static final int[] LABELS = new int[600];

    private static final float[] SCORES = new float[600];

    static {
        Random random = new Random(3);
        for (int i = 0; i < LABELS.length; i++) {
            LABELS[i] = i % 3 == 0 ? 1 : 0;
            double mean = LABELS[i] == 1 ? 0.65 : 0.35;
            SCORES[i] = (float) Math.min(1, Math.max(0, mean + random.nextGaussian() * 0.15));
        }
    }

    @Test
    void withoutBenignTextEachThresholdIsTheMedianOfTheFoldsChoicesNearTheBestPoint() {
        ThresholdCalibration.Calibrated c = CALIBRATION.calibrate(SCORES, LABELS, null);

        assertThat(c.benignCap()).isNaN();
        assertThat(c.capped()).isFalse();
        assertThat(c.choice().thresholds().review())
                .as("a median of choices on 80 %% samples of the same rows")
                .isCloseTo(c.bestPoint().review(), within(0.1));
        assertThat(c.choice().thresholds().block())
                .isGreaterThanOrEqualTo(c.choice().thresholds().review());
        // The honest estimate is below what the threshold scores on the rows it was picked on, never above 1.
        assertThat(c.outOfFoldF1()).isBetween(0.6, c.choice().review().f1() + 0.02);
        assertThat(c.choice().review().threshold())
                .isEqualTo(c.choice().thresholds().review());
    }

    @Test
    void benignTextThatWouldFloodReviewRaisesTheReviewThresholdToTheCap() {
        // Benign texts scoring like the negatives: far more than 2.5 % reach the uncapped review threshold.
        double[] benign = new double[500];
        Random random = new Random(5);
        for (int i = 0; i < benign.length; i++) {
            benign[i] = Math.min(1, Math.max(0, 0.45 + random.nextGaussian() * 0.15));
        }
        ThresholdCalibration.Calibrated free = CALIBRATION.calibrate(SCORES, LABELS, null);
        assertThat(share(benign, free.choice().thresholds().review())).isGreaterThan(0.1);

        ThresholdCalibration.Calibrated capped = CALIBRATION.calibrate(SCORES, LABELS, benign);

        assertThat(capped.capped()).isTrue();
        assertThat(capped.choice().thresholds().review()).isEqualTo(capped.benignCap());
        assertThat(capped.benignShare())
                .isEqualTo(share(benign, capped.choice().thresholds().review()));
        assertThat(capped.benignShare()).isBetween(0.02, 0.025); // 12 of 500 allowed
        assertThat(capped.choice().thresholds().block()).isGreaterThanOrEqualTo(capped.benignCap());
        assertThat(capped.choice().review().recall())
                .as("the cap costs recall")
                .isLessThan(free.choice().review().recall());
    }

    @Test
    void benignTextThatScoresLowLeavesTheCrossValidatedThreshold() {
        double[] benign = new double[ThresholdCalibration.MIN_BENIGN];
        Arrays.fill(benign, 0.01);
        ThresholdCalibration.Calibrated c = CALIBRATION.calibrate(SCORES, LABELS, benign);
        assertThat(c.capped()).isFalse();
        assertThat(c.benignShare()).isZero();
        assertThat(c.choice().thresholds())
                .isEqualTo(CALIBRATION.calibrate(SCORES, LABELS, null).choice().thresholds());
    }

    @Test
    void tooFewBenignTextsSetNoCap() {
        double[] few = new double[ThresholdCalibration.MIN_BENIGN - 1];
        Arrays.fill(few, 0.99);
        ThresholdCalibration.Calibrated c = CALIBRATION.calibrate(SCORES, LABELS, few);
        assertThat(c.benignCap()).isNaN();
        assertThat(c.choice().thresholds())
                .isEqualTo(CALIBRATION.calibrate(SCORES, LABELS, null).choice().thresholds());
    }

    @Test
    void theCapLetsExactlyTheAllowedShareThroughAlsoWithTies() {
        ThresholdCalibration c = new ThresholdCalibration(ThresholdSelector.defaults(), 5, 1, 0.1);
        double[] scores = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
        double cap = c.cap(scores); // 1 of 10 may pass: between 0.9 and 0.95
        assertThat(cap).isCloseTo(0.925, within(1e-9));
        double[] ties = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
        assertThat(share(ties, c.cap(ties))).isZero();
        assertThatThrownBy(() -> new ThresholdCalibration(ThresholdSelector.defaults(), 1, 1, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static double share(double[] scores, double threshold) {
        return (double) Arrays.stream(scores).filter(s -> s >= threshold).count() / scores.length;
    }
}
