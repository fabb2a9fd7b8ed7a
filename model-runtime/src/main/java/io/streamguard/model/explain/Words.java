package io.streamguard.model.explain;

import io.streamguard.model.tokenizer.BasicTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into the units occlusion removes, keeping their offsets so a UI can highlight them.
 * Pure.
 *
 * <p>A unit is either a <em>word</em>: a run of letters, digits and combining marks, with single
 * apostrophes or hyphens inside it ({@code don't}, {@code e-mail}); or a <em>CJK ideograph</em>, each
 * one a unit of its own; or a <em>symbol run</em>: a run of other non-whitespace characters ({@code !!!},
 * {@code $$}, an emoji). Whitespace separates units and belongs to none. Symbol runs are units of their
 * own because they can carry a label (spam's {@code !!!}); the encoder's tokenizer splits punctuation
 * off words the same way. Ideographs are single units because Chinese has no spaces (a sentence would
 * be one word) and the BERT tokenizer makes each ideograph a word of its own
 * ({@link BasicTokenizer#isChineseCharacter}, the same ranges).
 */
public final class Words {

    private Words() {}

    /** The units of {@code text}, in order. */
    public static List<Word> split(String text) {
        List<Word> words = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            if (BasicTokenizer.isChineseCharacter(cp)) {
                i += Character.charCount(cp);
            } else if (isWordChar(cp)) {
                i += Character.charCount(cp);
                while (i < n) {
                    int c = text.codePointAt(i);
                    if (isWordChar(c)) {
                        i += Character.charCount(c);
                    } else if (isJoiner(c) && i + 1 < n && isWordChar(text.codePointAt(i + 1))) {
                        i += Character.charCount(c);
                    } else {
                        break;
                    }
                }
            } else {
                i += Character.charCount(cp);
                while (i < n) {
                    int c = text.codePointAt(i);
                    if (isWordChar(c)
                            || BasicTokenizer.isChineseCharacter(c)
                            || Character.isWhitespace(c)
                            || Character.isSpaceChar(c)) {
                        break;
                    }
                    i += Character.charCount(c);
                }
            }
            words.add(new Word(text.substring(start, i), start, i));
        }
        return List.copyOf(words);
    }

    /**
     * At most {@code maxSpans} spans covering {@code words}: the words themselves if there are few
     * enough, otherwise runs of {@code ceil(words / maxSpans)} adjacent words each (the last run may
     * be shorter). A span's text is the original text between its first word's start and last word's
     * end, whitespace inside included.
     *
     * @param text the text {@code words} were split from
     */
    public static List<Word> group(String text, List<Word> words, int maxSpans) {
        if (maxSpans < 1) {
            throw new IllegalArgumentException("maxSpans must be positive, got " + maxSpans);
        }
        if (words.size() <= maxSpans) {
            return List.copyOf(words);
        }
        int per = (words.size() + maxSpans - 1) / maxSpans;
        List<Word> spans = new ArrayList<>();
        for (int from = 0; from < words.size(); from += per) {
            int start = words.get(from).start();
            int end = words.get(Math.min(from + per, words.size()) - 1).end();
            spans.add(new Word(text.substring(start, end), start, end));
        }
        return List.copyOf(spans);
    }

    /**
     * {@code text} with {@code span} replaced by one space. A space rather than nothing, so that the
     * neighbours of a removed symbol ({@code a!b}) do not fuse into a new word; the tokenizer treats
     * runs of whitespace as one, so this is the same as deleting the span otherwise.
     */
    public static String without(String text, Word span) {
        return text.substring(0, span.start()) + " " + text.substring(span.end());
    }

    /** A character a word run takes in: ideographs are units of their own, so they end a run. */
    private static boolean isWordChar(int cp) {
        return (Character.isLetterOrDigit(cp) && !BasicTokenizer.isChineseCharacter(cp))
                || Character.getType(cp) == Character.NON_SPACING_MARK
                || Character.getType(cp) == Character.COMBINING_SPACING_MARK;
    }

    private static boolean isJoiner(int cp) {
        return cp == '\'' || cp == '\u2019' || cp == '-';
    }
}
