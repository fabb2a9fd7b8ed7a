package io.streamguard.model.training;

/**
 * How a binary label's threshold performs on the validation rows it was chosen on.
 *
 * @param threshold a score at or above it counts as positive
 * @param precision of the positive class
 * @param recall of the positive class
 * @param f1 of the positive class
 * @param predictedPositives validation rows at or above the threshold
 */
public record OperatingPoint(double threshold, double precision, double recall, double f1, int predictedPositives) {}
