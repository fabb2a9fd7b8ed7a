package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.model.heads.HeadKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationMetricTest {

    @Test
    void accuracyOfBinaryAndSoftmaxHeads() {
        assertThat(ValidationMetric.accuracy()
                        .evaluate(new float[] {0.7f, 0.4f, 0.5f, 0.1f}, new int[] {1, 1, 1, 0}, 1))
                .isEqualTo(0.75);
        float[] softmax = {0.2f, 0.7f, 0.1f, 0.5f, 0.3f, 0.2f};
        assertThat(ValidationMetric.accuracy().evaluate(softmax, new int[] {1, 2}, 3))
                .isEqualTo(0.5);
    }

    @Test
    void macroF1AveragesEveryClass() {
        // Predicted 1 1 0 0 for true 1 0 0 0: positive F1 2/3, negative F1 4/5.
        double f1 =
                ValidationMetric.macroF1().evaluate(new float[] {0.9f, 0.6f, 0.2f, 0.1f}, new int[] {1, 0, 0, 0}, 1);
        assertThat(f1).isCloseTo((2.0 / 3 + 0.8) / 2, within(1e-12));
    }

    @Test
    void bestThresholdMacroF1IgnoresTheProbabilityScale() {
        // Perfectly ranked but all below 0.5: macro-F1 at 0.5 is poor, at the best threshold perfect.
        float[] p = {0.3f, 0.25f, 0.1f, 0.05f};
        int[] y = {1, 1, 0, 0};

        assertThat(ValidationMetric.macroF1().evaluate(p, y, 1)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(ValidationMetric.bestThresholdMacroF1().evaluate(p, y, 1)).isEqualTo(1.0);
    }

    @Test
    void defaultsFollowTheHeadKind() {
        float[] p = {0.3f, 0.25f, 0.1f, 0.05f};
        int[] y = {1, 1, 0, 0};
        assertThat(ValidationMetric.defaultFor(HeadSpec.binary("spam", "spam")).evaluate(p, y, 1))
                .isEqualTo(1.0);
        assertThat(ValidationMetric.defaultFor(new HeadSpec("s", HeadKind.SOFTMAX, List.of("a", "b")))
                        .evaluate(new float[] {0.6f, 0.4f, 0.3f, 0.7f}, new int[] {0, 0}, 2))
                .isEqualTo(0.5);
    }
}
