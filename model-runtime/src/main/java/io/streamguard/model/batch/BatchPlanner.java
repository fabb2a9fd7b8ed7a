package io.streamguard.model.batch;

import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import io.streamguard.model.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Splits tokenized texts into encoder batches by length, so short texts are not padded to the
 * length of a long one that happens to arrive beside them.
 *
 * <p>Texts are ordered by length (stable: equal lengths keep their input order) and cut greedily:
 * a batch grows until one more text would exceed {@link BatchPolicy#maxBatchSize()} rows or
 * {@link BatchPolicy#maxTokensPerBatch()} cells ({@code rows * longest}). Batches come out
 * shortest first, each padded only to its own longest text. Callers put results back in input
 * order through {@link PlannedBatch#indices()}.
 *
 * <p>Holds only its immutable policy and pad id: thread-safe, one instance can serve every caller.
 */
public final class BatchPlanner {

    private final BatchPolicy policy;
    private final int padId;

    /** @param padId the vocabulary's {@code [PAD]} id (see {@link BertTokenizer#padId()}) */
    public BatchPlanner(BatchPolicy policy, int padId) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.padId = padId;
    }

    /** A planner padding with {@code tokenizer}'s {@code [PAD]} id. */
    public static BatchPlanner forTokenizer(BertTokenizer tokenizer, BatchPolicy policy) {
        return new BatchPlanner(policy, tokenizer.padId());
    }

    public BatchPolicy policy() {
        return policy;
    }

    /**
     * Plans the encoder calls for {@code encodings}; every input index appears in exactly one batch.
     *
     * @return no batches for no encodings
     */
    public List<PlannedBatch> plan(List<Encoding> encodings) {
        int n = encodings.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Arrays.sort on objects is a stable merge sort.
        Arrays.sort(
                order,
                (a, b) -> Integer.compare(
                        encodings.get(a).length(), encodings.get(b).length()));

        List<PlannedBatch> batches = new ArrayList<>();
        int start = 0;
        while (start < n) {
            int end = start + 1; // the first text always fits, however long
            while (end < n
                    && end - start < policy.maxBatchSize()
                    // ascending order: the candidate is the longest, so it sets the padded length
                    && (long) (end - start + 1) * encodings.get(order[end]).length() <= policy.maxTokensPerBatch()) {
                end++;
            }
            int[] indices = new int[end - start];
            List<Encoding> rows = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                indices[i - start] = order[i];
                rows.add(encodings.get(order[i]));
            }
            batches.add(new PlannedBatch(indices, EncodedBatch.of(rows, padId)));
            start = end;
        }
        return batches;
    }
}
