package io.streamguard.model.encoder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Seeded random {@link LowRankAdapters} shaped for MiniLM-L6 (hidden 384, intermediate 1536). */
public final class TestAdapters {

    private static final int HIDDEN = 384;
    private static final int INTERMEDIATE = 1536;

    private TestAdapters() {}

    /**
     * Adapters on query, value, intermediate.dense and output.dense of the first {@code layers} layers, every
     * factor ~ N(0, std^2): nonzero {@code A} and {@code B}, so the merged encoder really differs.
     */
    public static LowRankAdapters miniLm(int rank, int layers, float std, long seed) {
        Random random = new Random(seed);
        Map<String, LowRankAdapters.Pair> kernels = new LinkedHashMap<>();
        for (int l = 0; l < layers; l++) {
            String prefix = "encoder.layer." + l + ".";
            kernels.put(prefix + "attention.self.query.weight", pair(random, HIDDEN, HIDDEN, rank, std));
            kernels.put(prefix + "attention.self.value.weight", pair(random, HIDDEN, HIDDEN, rank, std));
            kernels.put(prefix + "intermediate.dense.weight", pair(random, HIDDEN, INTERMEDIATE, rank, std));
            kernels.put(prefix + "output.dense.weight", pair(random, INTERMEDIATE, HIDDEN, rank, std));
        }
        return new LowRankAdapters(rank, 2f * rank, kernels);
    }

    /** One small kernel's adapters, for file and fingerprint tests that need no encoder. */
    public static LowRankAdapters tiny(long seed) {
        Random random = new Random(seed);
        return new LowRankAdapters(
                2,
                4f,
                Map.of(
                        "encoder.layer.0.attention.self.query.weight", pair(random, 3, 5, 2, 0.1f),
                        "encoder.layer.1.output.dense.weight", pair(random, 4, 3, 2, 0.1f)));
    }

    private static LowRankAdapters.Pair pair(Random random, int in, int out, int rank, float std) {
        return new LowRankAdapters.Pair(in, out, gaussian(random, in * rank, std), gaussian(random, rank * out, std));
    }

    private static float[] gaussian(Random random, int n, float std) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian() * std;
        }
        return values;
    }
}
