package io.streamguard.model.encoder.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.HeadKind;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Fine-tuning MiniLM with adapters: starts at the frozen encoder, learns, and merges into the same numbers. */
class MiniLmTunerTest {
    private static final List<String> TEXTS = List.of(
            "what a wonderful, moving film",
            "a joy from start to finish",
            "i loved every minute of it",
            "brilliant acting and a clever script",
            "a dull, lifeless mess",
            "i want those two hours back",
            "the worst movie of the year",
            "boring and far too long");
    private static final int[] LABELS = {1, 1, 1, 1, 0, 0, 0, 0};

    private final BertTokenizer tokenizer = OnnxBertModel.MINILM_L6.bundledTokenizer(64);

    @Test
    void freshAdaptersStartAtTheFrozenEncoderAndTrainedOnesMergeIntoTheSameEncoder() {
        EncodedBatch batch = tokenizer.encodeBatch(TEXTS);
        MiniLmTuner.Spec spec = new MiniLmTuner.Spec(4, 8f, MiniLmTuner.Spec.ATTENTION_QV_AND_FFN, 1e-3f, 7L, null);
        float[] frozen;
        try (LoadedEncoder plain = OnnxBertEncoder.create(
                EncoderConfig.of(OnnxBertModel.MINILM_L6.id()).withDevice(Device.CPU))) {
            frozen = plain.encoder().encode(batch).mean();
        }
        try (MiniLmTuner tuner = MiniLmTuner.create(null, spec, List.of(head()))) {
            assertThat(maxDifference(tuner.features(batch), frozen)).isLessThan(1e-5f);

            int[] tasks = new int[TEXTS.size()];
            long start = System.nanoTime();
            double first = tuner.step(batch, tasks, LABELS, 1);
            double last = first;
            for (int step = 2; step <= 15; step++) {
                last = tuner.step(batch, tasks, LABELS, step);
            }
            System.out.printf(
                    "MiniLmTunerTest: loss %.4f -> %.4f, %.0f ms a step of %d texts%n",
                    first, last, (System.nanoTime() - start) / 1e6 / 15, TEXTS.size());
            assertThat(last).isLessThan(first * 0.5);

            LowRankAdapters adapters = tuner.adapters();
            // 6 layers x (query, value, intermediate, output).
            assertThat(adapters.kernels()).hasSize(24);
            assertThat(adapters.parameters()).isEqualTo(6L * 4 * (384 + 384 + 384 + 384 + 384 + 1536 + 1536 + 384));
            float[] tuned = tuner.features(batch);
            assertThat(maxDifference(tuned, frozen)).isGreaterThan(1e-3f);
            try (LoadedEncoder merged = OnnxBertEncoder.create(
                    EncoderConfig.of(OnnxBertModel.MINILM_L6.id()).withDevice(Device.CPU), adapters)) {
                assertThat(maxDifference(merged.encoder().encode(batch).mean(), tuned))
                        .isLessThan(1e-4f);
            }
        }
    }

    /** A sigmoid head with a small seeded first layer, as a fresh head starts. */
    private static MiniLmTuner.TaskHead head() {
        Random random = new Random(3);
        float[] kernel = new float[384 * 16];
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = (float) (random.nextGaussian() * 0.05);
        }
        float[] out = new float[16];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (random.nextGaussian() * 0.25);
        }
        float[] mean = new float[384];
        float[] scale = new float[384];
        Arrays.fill(scale, 10f); // MiniLM's mean-pooled features are small; roughly unit variance after this
        return new MiniLmTuner.TaskHead(
                "positive",
                HeadKind.SIGMOID,
                2,
                Feature.MEAN,
                mean,
                scale,
                List.of(new float[][] {kernel, new float[16]}, new float[][] {out, new float[1]}),
                1f);
    }

    private static float maxDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
