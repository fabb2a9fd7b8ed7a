package io.streamguard.model.encoder.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WeightTest {

    @Test
    void transposeTurnsPyTorchOutInIntoTensorFlowInOut() {
        Weight w = new Weight(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        Weight t = w.transposed();
        assertThat(t.shape()).containsExactly(3, 2);
        assertThat(t.values()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(t.transposed().values()).containsExactly(w.values());
    }

    @Test
    void shapeMustMatchTheValueCount() {
        assertThatThrownBy(() -> new Weight(new long[] {2, 2}, new float[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
