package io.streamguard.model.encoder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

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

        /** These factors with {@code f} applied to each array (e.g. rounding), shape unchanged. */
        public Pair map(UnaryOperator<float[]> f) {
            return new Pair(in, out, f.apply(a), f.apply(b));
        }

        // By content: two models carrying the same adapters are equal.
        @Override
        public boolean equals(Object o) {
            return o instanceof Pair p && in == p.in && out == p.out && Arrays.equals(a, p.a) && Arrays.equals(b, p.b);
        }

        @Override
        public int hashCode() {
            return Objects.hash(in, out, Arrays.hashCode(a), Arrays.hashCode(b));
        }

        @Override
        public String toString() {
            return "Pair[" + in + " x " + rank() + " x " + out + "]";
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

    /** These adapters with {@code f} applied to every factor array, e.g. {@code Float16::round}. */
    public LowRankAdapters map(UnaryOperator<float[]> f) {
        Map<String, Pair> out = new TreeMap<>();
        kernels.forEach((name, p) -> out.put(name, p.map(f)));
        return new LowRankAdapters(rank, alpha, out);
    }

    /**
     * Content identity, hex SHA-256 over rank, alpha, and every kernel's name, shape and values (bits) in name
     * order: two adapter sets with the same fingerprint make the same encoder. What a loaded encoder and a
     * feature cache key record instead of the ~250k numbers.
     */
    public String fingerprint() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        digest.update("streamguard-lora-v1\n".getBytes(StandardCharsets.UTF_8));
        ByteBuffer header = ByteBuffer.allocate(2 * Integer.BYTES);
        digest.update(header.putInt(rank).putFloat(alpha).array());
        for (Map.Entry<String, Pair> e : new TreeMap<>(kernels).entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            Pair p = e.getValue();
            // Length-prefixed name and shape, so no two different sets hash the same bytes.
            digest.update(ByteBuffer.allocate(3 * Integer.BYTES)
                    .putInt(name.length)
                    .putInt(p.in())
                    .putInt(p.out())
                    .array());
            digest.update(name);
            digest.update(bits(p.a()));
            digest.update(bits(p.b()));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** {@link #fingerprint()} of {@code adapters}, or null for none. */
    public static String fingerprintOf(LowRankAdapters adapters) {
        return adapters == null ? null : adapters.fingerprint();
    }

    private static byte[] bits(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES);
        for (float v : values) {
            buffer.putInt(Float.floatToRawIntBits(v));
        }
        return buffer.array();
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
