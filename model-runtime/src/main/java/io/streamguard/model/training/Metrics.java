package io.streamguard.model.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Classification metrics from true labels and predicted probabilities. Labels are class indices
 * {@code 0..classes-1}; for binary tasks the score is the probability of class 1.
 */
public final class Metrics {

    private Metrics() {}

    /**
     * Binary evaluation: class 1 is predicted when {@code positiveScores[i] >= threshold}; adds ROC-AUC and
     * average precision (threshold-free) when both classes occur.
     */
    public static ClassificationReport binary(
            List<String> classNames, int[] labels, double[] positiveScores, double threshold) {
        requireSameLength(labels, positiveScores.length);
        int[] predicted = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            predicted[i] = positiveScores[i] >= threshold ? 1 : 0;
        }
        return report(
                classNames,
                labels,
                predicted,
                rocAuc(labels, positiveScores),
                averagePrecision(labels, positiveScores),
                threshold);
    }

    /**
     * Multi-class evaluation: the predicted class is the most probable one (the lowest index on ties). With
     * two classes the ROC-AUC and average precision of class 1 are added, as in {@link #binary}.
     *
     * @param probabilities one row per example, one column per class
     */
    public static ClassificationReport multiclass(List<String> classNames, int[] labels, double[][] probabilities) {
        requireSameLength(labels, probabilities.length);
        int[] predicted = new int[labels.length];
        double[] positive = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (probabilities[i].length != classNames.size()) {
                throw new IllegalArgumentException("row " + i + " has " + probabilities[i].length
                        + " probabilities for " + classNames.size() + " classes");
            }
            int best = 0;
            for (int c = 1; c < probabilities[i].length; c++) {
                if (probabilities[i][c] > probabilities[i][best]) {
                    best = c;
                }
            }
            predicted[i] = best;
            positive[i] = classNames.size() == 2 ? probabilities[i][1] : 0;
        }
        boolean binary = classNames.size() == 2;
        return report(
                classNames,
                labels,
                predicted,
                binary ? rocAuc(labels, positive) : OptionalDouble.empty(),
                binary ? averagePrecision(labels, positive) : OptionalDouble.empty(),
                null);
    }

    /**
     * Metrics of hard predictions (no curve-based metrics).
     *
     * @param threshold recorded in the report if the predictions came from one, else null
     */
    public static ClassificationReport fromPredictions(
            List<String> classNames, int[] labels, int[] predicted, Double threshold) {
        requireSameLength(labels, predicted.length);
        return report(classNames, labels, predicted, OptionalDouble.empty(), OptionalDouble.empty(), threshold);
    }

    private static ClassificationReport report(
            List<String> classNames,
            int[] labels,
            int[] predicted,
            OptionalDouble rocAuc,
            OptionalDouble averagePrecision,
            Double threshold) {
        int k = classNames.size();
        int[][] confusion = new int[k][k];
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
                throw new IllegalArgumentException("example " + i + ": label " + labels[i] + " or prediction "
                        + predicted[i] + " outside 0.." + (k - 1));
            }
            confusion[labels[i]][predicted[i]]++;
            if (labels[i] == predicted[i]) {
                correct++;
            }
        }
        List<ClassMetrics> perClass = new ArrayList<>(k);
        double sumP = 0;
        double sumR = 0;
        double sumF = 0;
        for (int c = 0; c < k; c++) {
            int tp = confusion[c][c];
            int support = Arrays.stream(confusion[c]).sum();
            int predictedC = 0;
            for (int[] row : confusion) {
                predictedC += row[c];
            }
            double precision = ratio(tp, predictedC);
            double recall = ratio(tp, support);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.add(new ClassMetrics(classNames.get(c), precision, recall, f1, support));
            sumP += precision;
            sumR += recall;
            sumF += f1;
        }
        return new ClassificationReport(
                classNames,
                labels.length,
                ratio(correct, labels.length),
                perClass,
                sumP / k,
                sumR / k,
                sumF / k,
                boxed(rocAuc),
                boxed(averagePrecision),
                threshold,
                confusion);
    }

    /**
     * Area under the ROC curve as the Mann-Whitney statistic: the probability that a random positive scores
     * above a random negative, ties counting one half (average ranks), which is exactly the trapezoidal area.
     * Empty when only one class occurs (the area is undefined).
     */
    public static OptionalDouble rocAuc(int[] labels, double[] scores) {
        requireSameLength(labels, scores.length);
        int n = labels.length;
        Integer[] order = sortedByScore(scores, true);
        double positiveRankSum = 0;
        long positives = 0;
        for (int from = 0; from < n; ) {
            int to = from;
            while (to < n && scores[order[to]] == scores[order[from]]) {
                to++;
            }
            double averageRank = (from + 1 + to) / 2.0; // ranks from+1 .. to, 1-based
            for (int i = from; i < to; i++) {
                if (labels[order[i]] == 1) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            from = to;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(
                (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives));
    }

    /**
     * The precision-recall curve of class 1: one point per distinct score, from the highest threshold (few
     * predictions, low recall) to the lowest (recall 1). Tied scores form one point, since no threshold
     * separates them.
     */
    public static List<PrPoint> precisionRecallCurve(int[] labels, double[] scores) {
        requireSameLength(labels, scores.length);
        int n = labels.length;
        long positives = Arrays.stream(labels).filter(l -> l == 1).count();
        Integer[] order = sortedByScore(scores, false);
        List<PrPoint> curve = new ArrayList<>();
        long tp = 0;
        long fp = 0;
        for (int from = 0; from < n; ) {
            int to = from;
            while (to < n && scores[order[to]] == scores[order[from]]) {
                if (labels[order[to]] == 1) {
                    tp++;
                } else {
                    fp++;
                }
                to++;
            }
            curve.add(new PrPoint(scores[order[from]], ratio(tp, tp + fp), ratio(tp, positives)));
            from = to;
        }
        return curve;
    }

    /**
     * Area under the precision-recall curve as average precision, {@code sum (R_k - R_k-1) P_k} over the
     * curve's points (scikit-learn's {@code average_precision_score}; no interpolation, which would be
     * optimistic). Empty when there is no positive example.
     */
    public static OptionalDouble averagePrecision(int[] labels, double[] scores) {
        if (Arrays.stream(labels).noneMatch(l -> l == 1)) {
            return OptionalDouble.empty();
        }
        double ap = 0;
        double previousRecall = 0;
        for (PrPoint p : precisionRecallCurve(labels, scores)) {
            ap += (p.recall() - previousRecall) * p.precision();
            previousRecall = p.recall();
        }
        return OptionalDouble.of(ap);
    }

    private static Integer[] sortedByScore(double[] scores, boolean ascending) {
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
        }
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(
                order,
                ascending
                        ? (a, b) -> Double.compare(scores[a], scores[b])
                        : (a, b) -> Double.compare(scores[b], scores[a]));
        return order;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }

    private static Double boxed(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }

    private static void requireSameLength(int[] labels, int other) {
        if (labels.length != other) {
            throw new IllegalArgumentException(labels.length + " labels but " + other + " predictions");
        }
    }
}
