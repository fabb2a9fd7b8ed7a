package io.streamguard.model.heads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.EagerSession;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;

class Float16Test {

    @Test
    void everyHalfSurvivesTheTripThroughFloat() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = Float16.toFloat((short) bits);
            if (Float.isNaN(f)) {
                assertThat(Float16.toFloat(Float16.fromFloat(f))).isNaN();
            } else {
                assertThat(Float16.fromFloat(f) & 0xffff)
                        .as("half 0x%04x (%s)", bits, f)
                        .isEqualTo(bits);
            }
        }
    }

    @Test
    void knownValuesRoundToNearestTiesToEven() {
        assertThat(Float16.round(1f)).isEqualTo(1f);
        assertThat(Float16.round(65504f)).isEqualTo(65504f); // largest half
        assertThat(Float16.round(65519f)).isEqualTo(65504f);
        assertThat(Float16.round(65520f)).isEqualTo(Float.POSITIVE_INFINITY); // the tie rounds up to infinity
        assertThat(Float16.round(1 + 0x1p-11f)).isEqualTo(1f); // tie: to the even neighbour, 1
        assertThat(Float16.round(1 + 3 * 0x1p-11f)).isEqualTo(1 + 0x1p-9f); // tie: to the even neighbour, up
        assertThat(Float16.round(0x1p-25f)).isEqualTo(0f); // half the smallest subnormal: tie to even zero
        assertThat(Float16.round(3 * 0x1p-26f)).isEqualTo(0x1p-24f);
        assertThat(Float.floatToRawIntBits(Float16.round(-1e-30f))).isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(Float16.round(Float.NaN)).isNaN();
        assertThat(Float16.allExact(new float[] {0.5f, -0f, 0x1p-24f})).isTrue();
        assertThat(Float16.allExact(new float[] {0.5f, 0.1f})).isFalse();
    }

    /** TensorFlow's Cast kernel is the reference: any float, including subnormal and overflowing ones. */
    @Test
    void matchesTensorFlowsCastOnRandomFloatsOfEveryMagnitude() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 200_000;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            // Random bits cover every exponent; the first half is kept near the half range, where it matters.
            values[i] = i < n / 2
                    ? (float) (random.nextDouble(-1, 1) * Math.pow(2, random.nextInt(-28, 18)))
                    : Float.intBitsToFloat(random.nextInt());
        }
        float[] expected = new float[n];
        try (EagerSession session = EagerSession.create()) {
            Ops tf = Ops.create(session);
            try (TFloat32 input = TFloat32.tensorOf(Shape.of(n), DataBuffers.of(values, true, false));
                    TFloat32 back = tf.dtypes
                            .cast(tf.dtypes.cast(tf.constantOf(input), TFloat16.class), TFloat32.class)
                            .asTensor()) {
                back.copyTo(DataBuffers.of(expected, false, false));
            }
        }
        for (int i = 0; i < n; i++) {
            float actual = Float16.round(values[i]);
            if (Float.isNaN(expected[i])) {
                assertThat(actual).as("%s", values[i]).isNaN();
            } else {
                assertThat(Float.floatToRawIntBits(actual))
                        .as("%s (0x%08x)", values[i], Float.floatToRawIntBits(values[i]))
                        .isEqualTo(Float.floatToRawIntBits(expected[i]));
            }
        }
    }
}
