package io.streamguard.topology.testing;

import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.TestHeads;
import io.streamguard.model.heads.Thresholds;
import java.nio.file.Path;
import java.util.Map;

/**
 * Seeded random heads (model-runtime's {@link TestHeads} over mean pooling): a sigmoid {@code moderation}
 * head (offensive, hate, spam) and a softmax {@code sentiment} head. Untrained: for plumbing tests only,
 * never a model. Published in topology's test-jar for the integration tests.
 */
public final class SeededHeads {

    /** Every model's thresholds, so a test can tell which decision a score must give. */
    public static final Map<String, Thresholds> THRESHOLDS = TestHeads.THRESHOLDS;
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
        return TestHeads.random(version, seed, encoderId, vocabHash, hidden, Feature.MEAN, maxLength);
    }
}
