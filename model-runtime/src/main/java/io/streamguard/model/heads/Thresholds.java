package io.streamguard.model.heads;

/**
 * Score cut-offs for one moderation label: at or above {@code review} a human should look, at or
 * above {@code block} the text is withheld. Chosen on validation data by training and stored with
 * the heads; the live policy may override them.
 */
public record Thresholds(double review, double block) {

    public Thresholds {
        if (!(review >= 0 && review <= 1 && block >= 0 && block <= 1)) {
            throw new IllegalArgumentException(
                    "thresholds must lie in [0, 1], got review=" + review + " block=" + block);
        }
        if (review > block) {
            throw new IllegalArgumentException("review threshold " + review + " is above block threshold " + block);
        }
    }
}
