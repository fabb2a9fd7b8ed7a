package io.streamguard.model.training;

import java.util.SplittableRandom;

/** Seeded synthetic feature sets for trainer tests. */
final class Synthetic {

    private Synthetic() {}

    /**
     * Gaussian blobs: class {@code c} is drawn with probability {@code fractions[c]}, and its rows are
     * unit-variance noise around a centre at distance {@code separation} along axis {@code c}, plus an
     * offset of 3 and scale of 5 on every feature so standardisation has something to undo.
     */
    static LabelledFeatures blobs(int rows, int width, double[] fractions, double separation, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * width];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            double u = random.nextDouble();
            int c = 0;
            double cumulative = fractions[0];
            while (u >= cumulative && c < fractions.length - 1) {
                cumulative += fractions[++c];
            }
            y[r] = c;
            for (int j = 0; j < width; j++) {
                double centre = j == c ? separation : 0;
                x[r * width + j] = (float) (3 + 5 * (centre + gaussian(random)));
            }
        }
        return new LabelledFeatures(x, y, width);
    }

    /**
     * XOR: label 1 when the first two features have the same sign; the other {@code width - 2} are
     * noise. No linear function of the features separates it.
     */
    static LabelledFeatures xor(int rows, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * width];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                x[r * width + j] = (float) gaussian(random);
            }
            float a = x[r * width];
            float b = x[r * width + 1];
            y[r] = (a > 0) == (b > 0) ? 1 : 0;
        }
        return new LabelledFeatures(x, y, width);
    }

    static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator default, and
        // that one's algorithm is not specified, so results could change with the JDK.
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
