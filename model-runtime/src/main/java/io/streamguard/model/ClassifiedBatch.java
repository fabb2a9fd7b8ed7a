package io.streamguard.model;

import java.util.List;
import java.util.Objects;

/**
 * One {@link Classifier} call's predictions with what it cost, for metrics.
 *
 * @param predictions one per input, in input order
 * @param modelVersion the heads version every prediction was scored with (one snapshot per call)
 * @param encoderCalls encoder batches run
 * @param paddedTokens cells the encoder processed, padding included ({@code sum of rows x length})
 * @param encoderNanos wall time inside the encoder
 * @param headsNanos wall time scoring the heads
 */
public record ClassifiedBatch(
        List<Prediction> predictions,
        String modelVersion,
        int encoderCalls,
        long paddedTokens,
        long encoderNanos,
        long headsNanos) {

    public ClassifiedBatch {
        predictions = List.copyOf(predictions);
        Objects.requireNonNull(modelVersion, "modelVersion");
    }

    /** Encoder and heads time together. */
    public long modelNanos() {
        return encoderNanos + headsNanos;
    }
}
