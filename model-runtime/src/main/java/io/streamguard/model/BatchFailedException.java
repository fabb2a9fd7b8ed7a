package io.streamguard.model;

import io.streamguard.model.encoder.EncoderException;
import java.util.Arrays;

/**
 * The encoder failed on one batch of a {@link Classifier} call. Says which inputs that batch held,
 * so a caller can retry or dead-letter just those; the cause is the engine's
 * {@link EncoderException}. The other batches' results are discarded with the call.
 */
public final class BatchFailedException extends EncoderException {
    private static final long serialVersionUID = 1L;

    private final int batch;
    private final int batches;
    private final int[] indices;

    public BatchFailedException(int batch, int batches, int[] indices, EncoderException cause) {
        super(
                "encoder batch " + (batch + 1) + " of " + batches + " (" + indices.length + " texts, input indices "
                        + describe(indices) + ") failed: " + cause.getMessage(),
                cause);
        this.batch = batch;
        this.batches = batches;
        this.indices = indices.clone();
    }

    private static String describe(int[] indices) {
        if (indices.length <= 16) {
            return Arrays.toString(indices);
        }
        return Arrays.toString(Arrays.copyOf(indices, 16)).replace("]", ", ...]");
    }

    /** Zero-based position of the failed batch in the call's plan. */
    public int batch() {
        return batch;
    }

    /** How many batches the call was split into. */
    public int batches() {
        return batches;
    }

    /** Positions, in the call's input list, of the texts in the failed batch (a copy). */
    public int[] indices() {
        return indices.clone();
    }
}
