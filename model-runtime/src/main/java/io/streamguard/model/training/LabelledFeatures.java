package io.streamguard.model.training;

import java.util.Objects;

/**
 * Encoder features with their labels, as the feature cache holds them.
 *
 * @param x {@code rows * width} floats, row-major
 * @param y one class index per row
 * @param width features per row
 */
public record LabelledFeatures(float[] x, int[] y, int width) {

    public LabelledFeatures {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        if (y.length == 0) {
            throw new IllegalArgumentException("no rows");
        }
        if (x.length != (long) y.length * width) {
            throw new IllegalArgumentException(y.length + " labels of width " + width + " need "
                    + (long) y.length * width + " floats, got " + x.length);
        }
    }

    public int rows() {
        return y.length;
    }

    /** Row {@code row} of {@link #x()} (a new array). */
    public float[] row(int row) {
        float[] r = new float[width];
        System.arraycopy(x, row * width, r, 0, width);
        return r;
    }
}
