package io.streamguard.retrainer;

/**
 * McNemar's exact test, one-sided: on the verdicts where two models disagree, is the candidate right more often
 * than chance would make it? Verdicts both get right or both get wrong say nothing about which is better, so only
 * the disagreements count; under "neither is better" the candidate wins each one with probability 1/2.
 */
public final class McNemar {

    private McNemar() {}

    /**
     * P(X >= candidateOnly) for X ~ Binomial(candidateOnly + parentOnly, 1/2): the chance of the candidate winning
     * at least this many of the disagreements if it were no better; 1 when there are none.
     *
     * @param candidateOnly verdicts only the candidate gets right
     * @param parentOnly verdicts only the live version gets right
     */
    public static double oneSidedP(int candidateOnly, int parentOnly) {
        if (candidateOnly < 0 || parentOnly < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        int n = candidateOnly + parentOnly;
        if (n == 0) {
            return 1;
        }
        // In logs: 0.5^n underflows from n = 1075.
        double[] logFactorial = new double[n + 1];
        for (int i = 1; i <= n; i++) {
            logFactorial[i] = logFactorial[i - 1] + Math.log(i);
        }
        double p = 0;
        for (int k = candidateOnly; k <= n; k++) {
            p += Math.exp(logFactorial[n] - logFactorial[k] - logFactorial[n - k] - n * Math.log(2));
        }
        return Math.min(1, p);
    }
}
