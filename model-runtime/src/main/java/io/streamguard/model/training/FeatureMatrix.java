package io.streamguard.model.training;

import io.streamguard.model.heads.Feature;

/**
 * Encoder features of many texts, row-major {@code [rows, hidden]} float32, row {@code i} belonging to the
 * {@code i}-th text given to {@link FeatureCache#features}. Arrays are shared, not copied: treat them as
 * read-only. For encoders without a trained pooler (MiniLM) {@code pooled} and {@code mean} are the same
 * array.
 */
public record FeatureMatrix(int rows, int hidden, float[] pooled, float[] mean) {

    public FeatureMatrix {
        long cells = (long) rows * hidden;
        if (rows < 0 || hidden <= 0 || pooled.length != cells || mean.length != cells) {
            throw new IllegalArgumentException("expected " + rows + "x" + hidden + " floats, got " + pooled.length
                    + " pooled and " + mean.length + " mean");
        }
    }

    /**
     * The row-major {@code [rows, feature.width(hidden)]} input matrix for heads reading {@code feature}:
     * {@code pooled} or {@code mean} as is, or each row's pooled vector followed by its mean vector (a new
     * array), the same layout as {@link Feature#extract}.
     */
    public float[] matrix(Feature feature) {
        return switch (feature) {
            case POOLED -> pooled;
            case MEAN -> mean;
            case POOLED_AND_MEAN -> {
                float[] both = new float[Math.multiplyExact(rows, 2 * hidden)];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(pooled, r * hidden, both, 2 * r * hidden, hidden);
                    System.arraycopy(mean, r * hidden, both, (2 * r + 1) * hidden, hidden);
                }
                yield both;
            }
        };
    }

    /** These rows, then {@code more}'s (same hidden size). */
    public FeatureMatrix concat(FeatureMatrix more) {
        if (more.hidden != hidden) {
            throw new IllegalArgumentException("hidden sizes differ: " + hidden + " and " + more.hidden);
        }
        float[] p = new float[pooled.length + more.pooled.length];
        System.arraycopy(pooled, 0, p, 0, pooled.length);
        System.arraycopy(more.pooled, 0, p, pooled.length, more.pooled.length);
        float[] m = p;
        if (pooled != mean || more.pooled != more.mean) {
            m = new float[mean.length + more.mean.length];
            System.arraycopy(mean, 0, m, 0, mean.length);
            System.arraycopy(more.mean, 0, m, mean.length, more.mean.length);
        }
        return new FeatureMatrix(rows + more.rows, hidden, p, m);
    }

    /** The rows at {@code indices}, in that order (e.g. one cross-validation fold). */
    public FeatureMatrix select(int[] indices) {
        float[] p = new float[Math.multiplyExact(indices.length, hidden)];
        float[] m = pooled == mean ? p : new float[p.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pooled, indices[i] * hidden, p, i * hidden, hidden);
            if (m != p) {
                System.arraycopy(mean, indices[i] * hidden, m, i * hidden, hidden);
            }
        }
        return new FeatureMatrix(indices.length, hidden, p, m);
    }
}
