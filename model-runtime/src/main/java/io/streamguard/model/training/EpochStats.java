package io.streamguard.model.training;

/**
 * One training epoch, as {@link HeadTrainer} reports it.
 *
 * @param epoch 1-based
 * @param trainLoss mean (class-weighted) cross-entropy over the epoch's batches, without the l2 term
 * @param validationMetric the validation metric after the epoch; higher is better
 * @param seconds wall time of the epoch including validation
 * @param improved whether this epoch is the best so far (its weights are kept)
 */
public record EpochStats(int epoch, double trainLoss, double validationMetric, double seconds, boolean improved) {}
