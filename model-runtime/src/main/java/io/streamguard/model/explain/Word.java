package io.streamguard.model.explain;

import java.util.Objects;

/**
 * A span of the original text that occlusion removes as a unit: one word, or several adjacent words
 * when a long text is grouped ({@link Words#group}).
 *
 * @param text {@code original.substring(start, end)}
 * @param start offset of its first char in the original text
 * @param end offset just past its last char
 */
public record Word(String text, int start, int end) {

    public Word {
        Objects.requireNonNull(text, "text");
        if (start < 0 || end <= start || end - start != text.length()) {
            throw new IllegalArgumentException("bad span [" + start + ", " + end + ") for '" + text + "'");
        }
    }
}
