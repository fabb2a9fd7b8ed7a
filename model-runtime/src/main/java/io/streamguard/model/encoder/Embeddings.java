package io.streamguard.model.encoder;

import java.util.Arrays;

/**
 * Encoder output for a batch, row-major {@code [batchSize, hidden]}: {@code pooled} is the model's
 * sentence vector ([CLS] through BERT's pooler for BERT-base; for models without a trained pooler
 * the same as {@code mean}), {@code mean} is the attention-masked mean of the last hidden layer.
 * The arrays are owned by this record; callers treat them as read-only.
 */
public record Embeddings(int batchSize, int hidden, float[] pooled, float[] mean) {

    public Embeddings {
        if (pooled.length != batchSize * hidden || mean.length != batchSize * hidden) {
            throw new IllegalArgumentException("expected " + batchSize + "x" + hidden + " floats, got " + pooled.length
                    + " pooled and " + mean.length + " mean");
        }
    }

    /** A copy of row {@code i} of {@link #pooled()}. */
    public float[] pooledRow(int i) {
        return Arrays.copyOfRange(pooled, i * hidden, (i + 1) * hidden);
    }

    /** A copy of row {@code i} of {@link #mean()}. */
    public float[] meanRow(int i) {
        return Arrays.copyOfRange(mean, i * hidden, (i + 1) * hidden);
    }
}
