package io.streamguard.topology.testing;

import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.heads.Activation;
import io.streamguard.model.heads.Dense;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.Head;
import io.streamguard.model.heads.HeadKind;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.Provenance;
import io.streamguard.model.heads.Thresholds;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random heads (after model-runtime's TestHeads): a sigmoid {@code moderation} head (offensive,
 * hate, spam) and a softmax {@code sentiment} head. Untrained: for plumbing tests only, never a model.
 * Published in topology's test-jar for the integration tests.
 */
public final class SeededHeads {

    /** Every model's thresholds, so a test can tell which decision a score must give. */
    public static final Map<String, Thresholds> THRESHOLDS = Map.of(
            "offensive", new Thresholds(0.5, 0.9), "hate", new Thresholds(0.4, 0.8), "spam", new Thresholds(0.6, 0.95));
    /** MiniLM-L6's hidden size: the width of its embeddings. */
    public static final int MINILM_HIDDEN = 384;

    private SeededHeads() {}

    /** Heads for the real MiniLM vocabulary at {@code maxLength} tokens, written to {@code file}. */
    public static HeadsModel minilm(String version, long seed, int maxLength, Path file) {
        String vocabHash = EncoderFactory.tokenizer(EncoderConfig.of(EncoderConfig.MINILM_L6))
                .vocabulary()
                .vocabHash();
        HeadsModel model = random(version, seed, EncoderConfig.MINILM_L6, vocabHash, MINILM_HIDDEN, maxLength);
        HeadsFile.write(model, file);
        return model;
    }

    /** Heads over {@link Feature#MEAN} of a {@code hidden}-wide encoder; same seed, same weights. */
    public static HeadsModel random(
            String version, long seed, String encoderId, String vocabHash, int hidden, int maxLength) {
        Random random = new Random(seed);
        Feature feature = Feature.MEAN;
        int width = feature.width(hidden);
        List<String> moderation = List.of("offensive", "hate", "spam");
        List<String> sentiment = List.of("negative", "positive");
        Head mod = new Head(
                "moderation",
                HeadKind.SIGMOID,
                moderation,
                gaussian(random, width, 0.01f),
                constant(width, 8f),
                List.of(
                        dense(random, width, 16, Activation.RELU),
                        dense(random, 16, moderation.size(), Activation.NONE)));
        Head sent = new Head(
                "sentiment",
                HeadKind.SOFTMAX,
                sentiment,
                gaussian(random, width, 0.01f),
                constant(width, 8f),
                List.of(dense(random, width, sentiment.size(), Activation.NONE)));
        return new HeadsModel(
                version,
                encoderId,
                vocabHash,
                maxLength,
                feature,
                List.of(mod, sent),
                THRESHOLDS,
                Map.of(),
                new Provenance(
                        "2024-01-01T00:00:00Z",
                        null,
                        seed,
                        List.of(),
                        Map.of("source", "SeededHeads (untrained, tests only)")));
    }

    private static Dense dense(Random random, int inputs, int outputs, Activation activation) {
        float[] bias = gaussian(random, outputs, 0.1f);
        return new Dense(
                inputs, outputs, gaussian(random, inputs * outputs, (float) (1 / Math.sqrt(inputs))), bias, activation);
    }

    private static float[] gaussian(Random random, int n, float std) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian() * std;
        }
        return values;
    }

    private static float[] constant(int n, float value) {
        float[] values = new float[n];
        Arrays.fill(values, value);
        return values;
    }
}
