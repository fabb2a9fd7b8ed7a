package io.streamguard.model.batch;

/**
 * Limits for one encoder call. Encoder cost grows with rows x padded length (attention with its
 * square), so the token budget, not the row count, is what keeps a batch of long texts from
 * stalling a worker; the row limit caps latency and memory for short ones.
 *
 * @param maxBatchSize the most texts in one batch
 * @param maxTokensPerBatch the most cells ({@code rows * longest row}, padding included) in one
 *     batch; a single text longer than this still runs, in a batch of its own
 */
public record BatchPolicy(int maxBatchSize, int maxTokensPerBatch) {

    /** 32 texts or 4,096 padded tokens: 32 texts of up to 128 tokens, or fewer longer ones. */
    public static final BatchPolicy DEFAULT = new BatchPolicy(32, 4096);

    public BatchPolicy {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1, got " + maxBatchSize);
        }
        if (maxTokensPerBatch < 1) {
            throw new IllegalArgumentException("maxTokensPerBatch must be at least 1, got " + maxTokensPerBatch);
        }
    }
}
