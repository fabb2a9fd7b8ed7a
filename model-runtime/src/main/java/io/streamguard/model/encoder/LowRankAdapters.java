package io.streamguard.model.encoder;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Low-rank adapters (LoRA, Hu et al. 2021) fine-tuned for an encoder's dense kernels: each adapted kernel
 * {@code W [in, out]} serves as {@code W + (alpha / rank) A B}, with {@code A [in, rank]} and
 * {@code B [rank, out]}. A few hundred thousand numbers that travel with the heads in a model version;
 * the encoder merges them into its weights when it loads, so inference costs what it cost without them.
 *
 * @param kernels by the kernel's parameter name (HuggingFace's, e.g.
 *     {@code encoder.layer.0.attention.self.query.weight})
 */
public record LowRankAdapters(int rank, float alpha, Map<String, Pair> kernels) {

    /** One kernel's factors, row-major. */
    public record Pair(int in, int out, float[] a, float[] b) {
        public Pair {
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
            if (in < 1 || out < 1 || a.length % in != 0 || b.length % out != 0 || a.length / in != b.length / out) {
                throw new IllegalArgumentException("adapter factors do not fit [" + in + ", r] x [r, " + out + "]: "
                        + a.length + " and " + b.length + " values");
            }
            for (float v : a) {
                requireFinite(v);
            }
            for (float v : b) {
                requireFinite(v);
            }
        }

        int rank() {
            return a.length / in;
        }
    }

    public LowRankAdapters {
        if (rank < 1) {
            throw new IllegalArgumentException("adapter rank must be positive, got " + rank);
        }
        if (!(alpha > 0) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException("adapter alpha must be positive, got " + alpha);
        }
        kernels = Map.copyOf(new TreeMap<>(kernels));
        kernels.forEach((name, p) -> {
            if (p.rank() != rank) {
                throw new IllegalArgumentException("adapter of " + name + " has rank " + p.rank() + ", not " + rank);
            }
        });
    }

    /** What {@code A B} is multiplied by. */
    public float scale() {
        return alpha / rank;
    }

    /** Adapter numbers in all (what a model version carries beyond its heads). */
    public long parameters() {
        return kernels.values().stream()
                .mapToLong(p -> (long) p.a().length + p.b().length)
                .sum();
    }

    /**
     * {@code kernel + scale A B} for the kernel {@code name} ({@code [in, out]} row-major), a new array; the
     * kernel itself when it has no adapter.
     *
     * @throws IllegalArgumentException if the kernel's size does not match its adapter
     */
    public float[] merged(String name, float[] kernel) {
        Pair p = kernels.get(name);
        if (p == null) {
            return kernel;
        }
        if (kernel.length != p.in() * p.out()) {
            throw new IllegalArgumentException("adapter of " + name + " is [" + p.in() + ", " + p.out()
                    + "] but the kernel has " + kernel.length + " values");
        }
        float[] out = kernel.clone();
        float s = scale();
        int r = rank;
        for (int i = 0; i < p.in(); i++) {
            for (int k = 0; k < r; k++) {
                float a = p.a()[i * r + k] * s;
                if (a == 0) {
                    continue;
                }
                int row = i * p.out();
                int brow = k * p.out();
                for (int j = 0; j < p.out(); j++) {
                    out[row + j] += a * p.b()[brow + j];
                }
            }
        }
        return out;
    }

    private static void requireFinite(float v) {
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException("adapter factors must be finite, got " + v);
        }
    }
}
