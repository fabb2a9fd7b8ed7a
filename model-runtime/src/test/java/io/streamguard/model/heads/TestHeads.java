package io.streamguard.model.heads;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random heads models for tests: a sigmoid {@code moderation} head (offensive, hate, spam)
 * with one hidden ReLU layer and a softmax {@code sentiment} head (negative, positive).
 */
public final class TestHeads {

    public static final List<String> MODERATION = List.of("offensive", "hate", "spam");
    public static final List<String> SENTIMENT = List.of("negative", "positive");
    /** Every model's thresholds, so a test can tell which decision a score must give. */
    public static final Map<String, Thresholds> THRESHOLDS = Map.of(
            "offensive", new Thresholds(0.5, 0.9), "hate", new Thresholds(0.4, 0.8), "spam", new Thresholds(0.6, 0.95));

    private TestHeads() {}

    /**
     * A model for an encoder with {@code hidden} units. The normaliser scale is large enough that the
     * scores of different texts differ visibly, so a test comparing them can fail.
     */
    public static HeadsModel random(
            String version, long seed, String encoderId, String vocabHash, int hidden, Feature feature, int maxLength) {
        Random random = new Random(seed);
        int width = feature.width(hidden);
        Head moderation = new Head(
                "moderation",
                HeadKind.SIGMOID,
                MODERATION,
                gaussian(random, width, 0.01f),
                constant(width, 8f),
                List.of(
                        dense(random, width, 16, Activation.RELU),
                        dense(random, 16, MODERATION.size(), Activation.NONE)));
        Head sentiment = new Head(
                "sentiment",
                HeadKind.SOFTMAX,
                SENTIMENT,
                gaussian(random, width, 0.01f),
                constant(width, 8f),
                List.of(dense(random, width, SENTIMENT.size(), Activation.NONE)));
        return new HeadsModel(
                version,
                encoderId,
                vocabHash,
                maxLength,
                feature,
                List.of(moderation, sentiment),
                THRESHOLDS,
                Map.of("hate", Map.of("macroF1", 0.5), "sentiment", Map.of("accuracy", 0.5)),
                new Provenance(
                        "2024-01-01T00:00:00Z",
                        null,
                        seed,
                        List.of(new Provenance.DataRef("sentiment", "train", "sst2/train.tsv", "00", 10)),
                        Map.of("source", "TestHeads")));
    }

    /** A layer with weights ~ N(0, 1 / inputs), so logits stay of order 1 for unit inputs. */
    public static Dense dense(Random random, int inputs, int outputs, Activation activation) {
        float[] bias = gaussian(random, outputs, 0.1f);
        return new Dense(
                inputs, outputs, gaussian(random, inputs * outputs, (float) (1 / Math.sqrt(inputs))), bias, activation);
    }

    static float[] gaussian(Random random, int n, float std) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian() * std;
        }
        return values;
    }

    static float[] constant(int n, float value) {
        float[] values = new float[n];
        Arrays.fill(values, value);
        return values;
    }
}
