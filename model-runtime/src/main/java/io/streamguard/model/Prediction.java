package io.streamguard.model;

import io.streamguard.model.heads.Scores;
import java.util.Objects;

/**
 * The classifier's output for one text.
 *
 * @param scores every head's output
 * @param truncated whether the text was longer than the tokenizer's maxLength and its tail unseen
 * @param tokens word pieces the encoder saw, [CLS] and [SEP] included
 * @param modelVersion the heads version that scored it
 */
public record Prediction(Scores scores, boolean truncated, int tokens, String modelVersion) {

    public Prediction {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(modelVersion, "modelVersion");
        if (tokens < 0) {
            throw new IllegalArgumentException("negative token count " + tokens);
        }
    }
}
