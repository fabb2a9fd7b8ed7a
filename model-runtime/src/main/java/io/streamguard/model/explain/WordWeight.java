package io.streamguard.model.explain;

import java.util.Objects;

/**
 * How much one word (or span) drives a score.
 *
 * @param word the occluded span, with its offsets in the original text
 * @param weight {@code score(original) - score(text without the span)}: positive if the span pushes
 *     the score up, negative if it holds it down
 */
public record WordWeight(Word word, double weight) {

    public WordWeight {
        Objects.requireNonNull(word, "word");
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("weight must be finite, got " + weight);
        }
    }
}
