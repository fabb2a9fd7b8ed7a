package io.streamguard.model.encoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The arithmetic an encoder runs in. {@link #BF16} has TensorFlow's oneDNN auto-mixed-precision rewrite run
 * the graph's matrix products, convolutions and element-wise ops in bfloat16 (weights and activations cast on
 * the fly; softmax, layer norm statistics and reductions stay float32), which the AVX512_BF16 and AMX units of
 * recent Xeons execute natively. {@link #FP16} is the same idea on a GPU: TensorFlow's CUDA auto-mixed-precision
 * rewrite, float16 on the tensor cores with float32 accumulation; a CPU runs it in float32 (TensorFlow's CPU
 * emulation of it aborts the process on these graphs). {@link #AUTO} takes bfloat16 on a CPU that has those units
 * and float32 elsewhere, a GPU included (where TensorFlow runs float32 matrix products as TF32 on Ampere and
 * later): float16's labels have not been measured, as no GPU could run them here.
 */
public enum Precision {
    AUTO,
    FP32,
    BF16,
    FP16;

    /** CPU flags (Linux {@code /proc/cpuinfo}) that run bfloat16 natively. */
    public static final Set<String> BF16_FLAGS = Set.of("avx512_bf16", "amx_bf16");

    private static final Pattern FLAG_SEPARATOR = Pattern.compile("\\s+");

    /** {@code auto}, {@code fp32}, {@code bf16} or {@code fp16}, any case. */
    public static Precision parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("precision must be auto, fp32, bf16 or fp16, was '" + value + "'", e);
        }
    }

    /**
     * What this request runs in on {@code device} given the CPU's {@code flags}: AUTO becomes BF16 on a CPU
     * with bfloat16 units and FP32 otherwise; BF16 off such a CPU and FP16 off a GPU become FP32 (callers log
     * that once).
     */
    public Precision resolve(Device device, Set<String> flags) {
        boolean native16 = device == Device.CPU && flags.stream().anyMatch(BF16_FLAGS::contains);
        return switch (this) {
            case FP32 -> FP32;
            case AUTO, BF16 -> native16 ? BF16 : FP32;
            case FP16 -> device == Device.GPU ? FP16 : FP32;
        };
    }

    /** Lower-case name, as configured and as metrics label it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This machine's CPU flags, read once; empty where {@code /proc/cpuinfo} does not exist. */
    public static Set<String> cpuFlags() {
        return CpuFlags.FLAGS;
    }

    private static final class CpuFlags {
        static final Set<String> FLAGS = read(Path.of("/proc/cpuinfo"));

        static Set<String> read(Path cpuinfo) {
            try {
                return Files.readAllLines(cpuinfo).stream()
                        .filter(l -> l.startsWith("flags"))
                        .findFirst()
                        .map(l -> Set.of(FLAG_SEPARATOR.split(
                                l.substring(l.indexOf(':') + 1).strip())))
                        .orElse(Set.of());
            } catch (IOException | RuntimeException e) {
                return Set.of();
            }
        }
    }
}
