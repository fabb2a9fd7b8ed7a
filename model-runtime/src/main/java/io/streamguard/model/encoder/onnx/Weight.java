package io.streamguard.model.encoder.onnx;

import java.util.Arrays;

/**
 * A dense float32 tensor read from the model file, row-major. Package-private: the arrays are
 * handed to TensorFlow once and not shared further, so they are not copied.
 */
record Weight(long[] shape, float[] values) {

    Weight {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        if (n != values.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        }
    }

    boolean hasShape(long... expected) {
        return Arrays.equals(shape, expected);
    }

    /** The transpose of a 2-D weight: PyTorch {@code Linear} stores {@code [out, in]}, TF kernels are {@code [in, out]}. */
    Weight transposed() {
        if (shape.length != 2) {
            throw new IllegalStateException("transpose of a " + shape.length + "-D weight");
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] t = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = values[r * cols + c];
            }
        }
        return new Weight(new long[] {cols, rows}, t);
    }

    @Override
    public String toString() {
        return "Weight" + Arrays.toString(shape);
    }
}
