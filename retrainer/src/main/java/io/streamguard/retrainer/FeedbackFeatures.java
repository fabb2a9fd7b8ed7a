package io.streamguard.retrainer;

import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.training.FeatureCache;
import io.streamguard.model.training.FeatureMatrix;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Encoder features of feedback texts. Every retrain sees all verdicts so far, so each text is encoded once per
 * run and remembered; not thread-safe (the retrainer's loop thread is its only user).
 */
final class FeedbackFeatures {

    private final LoadedEncoder encoder;
    private final Map<String, float[]> memo = new HashMap<>();

    FeedbackFeatures(LoadedEncoder encoder) {
        this.encoder = encoder;
    }

    /**
     * Whether {@code model}'s heads read this encoder's features: its fine-tuned adapters (or none) are the
     * ones merged into the encoder. A live version tuned with other adapters needs a retrainer restarted
     * on its encoder.
     */
    boolean serves(HeadsModel model) {
        return Objects.equals(LowRankAdapters.fingerprintOf(model.adapters()), encoder.adaptersFingerprint());
    }

    /** One vector of {@code model}'s feature per example, in order. */
    List<float[]> of(HeadsModel model, List<FeedbackExample> examples) {
        List<String> missing = examples.stream()
                .map(FeedbackExample::text)
                .filter(t -> !memo.containsKey(t))
                .distinct()
                .toList();
        if (!missing.isEmpty()) {
            FeatureMatrix m = FeatureCache.extract(encoder, missing, (done, total, elapsed) -> {});
            float[] x = m.matrix(model.feature());
            int width = x.length / missing.size();
            for (int i = 0; i < missing.size(); i++) {
                memo.put(missing.get(i), Arrays.copyOfRange(x, i * width, (i + 1) * width));
            }
        }
        return examples.stream().map(e -> memo.get(e.text())).toList();
    }
}
