package io.streamguard.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrecisionTest {

    private static final Set<String> SAPPHIRE_RAPIDS = Set.of("avx512f", "avx512_bf16", "amx_bf16", "amx_tile");
    private static final Set<String> OLDER_XEON = Set.of("avx2", "avx512f", "avx512_vnni");

    @Test
    void autoTakesBfloat16OnlyOnACpuThatRunsItNatively() {
        assertThat(Precision.AUTO.resolve(Device.CPU, SAPPHIRE_RAPIDS)).isEqualTo(Precision.BF16);
        assertThat(Precision.AUTO.resolve(Device.CPU, Set.of("avx512_bf16"))).isEqualTo(Precision.BF16);
        assertThat(Precision.AUTO.resolve(Device.CPU, OLDER_XEON)).isEqualTo(Precision.FP32);
        assertThat(Precision.AUTO.resolve(Device.GPU, SAPPHIRE_RAPIDS))
                .as("float16 labels unmeasured")
                .isEqualTo(Precision.FP32);
        assertThat(Precision.BF16.resolve(Device.GPU, SAPPHIRE_RAPIDS)).isEqualTo(Precision.FP32);
        assertThat(Precision.BF16.resolve(Device.CPU, OLDER_XEON))
                .as("would be emulated")
                .isEqualTo(Precision.FP32);
        assertThat(Precision.FP32.resolve(Device.CPU, SAPPHIRE_RAPIDS)).isEqualTo(Precision.FP32);
        assertThat(Precision.FP16.resolve(Device.CPU, SAPPHIRE_RAPIDS))
                .as("a GPU's only")
                .isEqualTo(Precision.FP32);
        assertThat(Precision.FP16.resolve(Device.GPU, OLDER_XEON)).isEqualTo(Precision.FP16);
    }

    @Test
    void parsesWhatConfigurationSays() {
        assertThat(Precision.parse(" BF16 ")).isEqualTo(Precision.BF16);
        assertThat(Precision.parse("auto")).isEqualTo(Precision.AUTO);
        assertThat(Precision.BF16.label()).isEqualTo("bf16");
        assertThat(Precision.parse("fp16")).isEqualTo(Precision.FP16);
        assertThatThrownBy(() -> Precision.parse("int8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("precision must be auto, fp32, bf16 or fp16, was 'int8'");
    }

    @Test
    void bfloat16ScoresLikeFloat32OnThisCpu() {
        assumeTrue(
                Precision.AUTO.resolve(Device.CPU, Precision.cpuFlags()) == Precision.BF16, "no bfloat16 units here");
        assertScoresLikeFloat32(Precision.AUTO, Precision.BF16);
    }

    private static void assertScoresLikeFloat32(Precision requested, Precision expected) {
        EncoderConfig fp32 = EncoderConfig.of(EncoderConfig.MINILM_L6).withDevice(Device.CPU);
        List<String> texts = List.of("What a wonderful film", "you are an idiot and everyone hates you", "ok");
        try (LoadedEncoder full = EncoderFactory.create(fp32);
                LoadedEncoder half = EncoderFactory.create(fp32.withPrecision(requested))) {
            assertThat(full.encoder().info().precision()).isEqualTo(Precision.FP32);
            assertThat(half.encoder().info().precision()).isEqualTo(expected);
            Embeddings a = full.encoder().encode(full.tokenizer().encodeBatch(texts));
            Embeddings b = half.encoder().encode(half.tokenizer().encodeBatch(texts));
            double maxDiff = 0;
            for (int row = 0; row < texts.size(); row++) {
                float[] x = a.meanRow(row);
                float[] y = b.meanRow(row);
                double dot = 0;
                double nx = 0;
                double ny = 0;
                for (int i = 0; i < x.length; i++) {
                    dot += x[i] * y[i];
                    nx += x[i] * x[i];
                    ny += y[i] * y[i];
                    maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
                }
                assertThat(dot / Math.sqrt(nx * ny)).as("cosine of row " + row).isGreaterThan(0.99);
            }
            // Not float32 in disguise: the rewrite really changed the arithmetic.
            assertThat(maxDiff).isGreaterThan(1e-5);
        }
    }
}
