package io.streamguard.model.batch;

import io.streamguard.model.tokenizer.EncodedBatch;
import java.util.Arrays;
import java.util.Objects;

/**
 * One encoder call of a {@link BatchPlanner} plan.
 *
 * <p><b>Ownership:</b> as for {@link EncodedBatch}, {@code indices} is not copied; treat it as
 * read-only.
 *
 * @param indices for each row of {@code batch}, the position of its text in the planner's input
 * @param batch the rows, padded to the longest of them
 */
public record PlannedBatch(int[] indices, EncodedBatch batch) {

    public PlannedBatch {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(batch, "batch");
        if (indices.length != batch.size()) {
            throw new IllegalArgumentException(indices.length + " indices for " + batch.size() + " rows");
        }
    }

    /** Cells the encoder processes, padding included: {@code rows * sequenceLength}. */
    public int paddedTokens() {
        return batch.size() * batch.sequenceLength();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedBatch other && Arrays.equals(indices, other.indices) && batch.equals(other.batch);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(indices) + batch.hashCode();
    }

    @Override
    public String toString() {
        return "PlannedBatch[indices=" + Arrays.toString(indices) + ", " + batch + "]";
    }
}
