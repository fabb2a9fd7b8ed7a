package io.streamguard.model.training;

/**
 * Precision, recall and F1 of one class. A class never predicted has precision 0 (and a class absent from the
 * labels recall 0), never NaN, as scikit-learn's {@code zero_division=0}: reports and JSON stay numeric.
 *
 * @param support how many examples truly have this class
 */
public record ClassMetrics(String name, double precision, double recall, double f1, int support) {}
