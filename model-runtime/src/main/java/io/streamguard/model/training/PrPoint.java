package io.streamguard.model.training;

/**
 * One point of a precision-recall curve: predicting class 1 for every score at or above {@code threshold}.
 */
public record PrPoint(double threshold, double precision, double recall) {}
