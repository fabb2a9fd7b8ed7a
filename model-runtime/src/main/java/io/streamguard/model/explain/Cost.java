package io.streamguard.model.explain;

/**
 * What one explanation cost, for metrics and for sizing a console's budget.
 *
 * @param texts texts scored: the original plus one variant per span
 * @param encoderCalls encoder batches the classifier ran for them
 * @param engineNanos time inside the encoder and heads
 * @param wallNanos time of the whole explanation, tokenizing and batching included
 */
public record Cost(int texts, int encoderCalls, long engineNanos, long wallNanos) {

    public double engineMillis() {
        return engineNanos / 1e6;
    }

    public double wallMillis() {
        return wallNanos / 1e6;
    }
}
