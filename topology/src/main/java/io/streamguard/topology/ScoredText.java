package io.streamguard.topology;

import io.streamguard.model.heads.Scores;
import java.util.Objects;

/**
 * The model's output for one text.
 *
 * @param scores moderation probabilities per label and softmax verdicts (e.g. {@code sentiment})
 * @param truncated whether the text was cut to the model's input length
 * @param model the model that produced it, with its own thresholds (the fallback policy)
 */
public record ScoredText(Scores scores, boolean truncated, ModelInfo model) {

    public ScoredText {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(model, "model");
    }
}
