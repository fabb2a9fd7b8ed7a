package io.streamguard.model.heads;

import io.streamguard.model.encoder.Embeddings;

/** Which encoder output a head reads; see {@link Embeddings}. */
public enum Feature {
    /** The sentence vector ({@code hidden} floats): BERT's pooler output, MiniLM's mean. */
    POOLED,
    /** The attention-masked mean of the last layer ({@code hidden} floats). */
    MEAN,
    /** {@code pooled ++ mean} ({@code 2 * hidden} floats). */
    POOLED_AND_MEAN;

    /** Input width for an encoder with {@code hidden} units. */
    public int width(int hidden) {
        return this == POOLED_AND_MEAN ? 2 * hidden : hidden;
    }

    /** Row {@code row} of {@code embeddings} as this feature (a new array). */
    public float[] extract(Embeddings embeddings, int row) {
        int h = embeddings.hidden();
        return switch (this) {
            case POOLED -> embeddings.pooledRow(row);
            case MEAN -> embeddings.meanRow(row);
            case POOLED_AND_MEAN -> {
                float[] both = new float[2 * h];
                System.arraycopy(embeddings.pooled(), row * h, both, 0, h);
                System.arraycopy(embeddings.mean(), row * h, both, h, h);
                yield both;
            }
        };
    }
}
