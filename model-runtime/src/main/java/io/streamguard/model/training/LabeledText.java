package io.streamguard.model.training;

import java.util.Objects;

/**
 * One example: a text and its class (0 or 1, see {@link Task}).
 *
 * @param line the 1-based line of the source file it came from, so later problems can name it; 0 if
 *     it did not come from a file
 */
public record LabeledText(String text, int label, int line) {

    public LabeledText {
        Objects.requireNonNull(text, "text");
        if (label != 0 && label != 1) {
            throw new IllegalArgumentException("label must be 0 or 1, got " + label);
        }
    }

    /** An example that did not come from a file. */
    public LabeledText(String text, int label) {
        this(text, label, 0);
    }
}
