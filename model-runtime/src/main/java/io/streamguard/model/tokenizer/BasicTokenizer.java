package io.streamguard.model.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * BERT's "basic" step: cleans and normalises text and splits it into words, which then go to
 * WordPiece. Follows HuggingFace's {@code BertNormalizer} followed by {@code BertPreTokenizer}:
 *
 * <ol>
 *   <li>drop U+0000, U+FFFD and "other" characters (Cc, Cf, Co, Cs) except tab, LF and CR;
 *   <li>whitespace (tab, LF, CR and Unicode Zs, Zl, Zp) separates words;
 *   <li>each CJK ideograph becomes a word of its own;
 *   <li>if stripping accents: NFD, then drop non-spacing marks (Mn); if lower-casing: per code
 *       point simple lower case (so a final capital sigma becomes σ, not ς);
 *   <li>on the normalised text, every punctuation character (ASCII 33-47, 58-64, 91-96, 123-126
 *       and Unicode P*) becomes a word of its own.
 * </ol>
 *
 * <p>Runs in one pass without regular expressions. Text is cut at whitespace and ideographs into
 * segments first; pure-ASCII segments (the common case) skip {@link Normalizer} entirely, others
 * are normalised a segment at a time, which keeps NFD's canonical reordering of combining marks
 * exact because segment boundaries are never combining characters.
 */
public final class BasicTokenizer {

    /** Receives each word as {@code chars[0, length)}; returns false to stop early (truncation). */
    interface WordSink {
        boolean word(char[] chars, int length);
    }

    /** Per-call scratch space, reused across the texts of a batch. Not thread-safe. */
    static final class Buffers {
        private final StringBuilder segment = new StringBuilder(64);
        private char[] word = new char[64];
        private int wordLength;

        /** How many chars these buffers hold on to, after growing for long words or segments. */
        int retainedChars() {
            return segment.capacity() + word.length;
        }
    }

    private static final int DOTTED_CAPITAL_I = 0x130;
    private static final int COMBINING_DOT_ABOVE = 0x307;

    private final boolean lowerCase;
    private final boolean stripAccents;

    BasicTokenizer(boolean lowerCase, boolean stripAccents) {
        this.lowerCase = lowerCase;
        this.stripAccents = stripAccents;
    }

    /** Convenience for tests and debugging: the words of {@code text}. */
    List<String> split(String text) {
        List<String> words = new ArrayList<>();
        split(text, new Buffers(), (chars, length) -> words.add(new String(chars, 0, length)));
        return words;
    }

    /** Feeds the words of {@code text} to {@code sink}; returns false if the sink stopped it. */
    boolean split(CharSequence text, Buffers buffers, WordSink sink) {
        StringBuilder segment = buffers.segment;
        segment.setLength(0);
        buffers.wordLength = 0;
        boolean ascii = true;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c < 0x80) {
                i++;
                if (c > ' ' && c < 0x7F) {
                    segment.append(c);
                } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    if (!flush(buffers, ascii, sink)) {
                        return false;
                    }
                    ascii = true;
                } // every other ASCII character here is a control character: dropped
                continue;
            }
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            if (isRemoved(cp)) {
                continue;
            }
            if (isWhitespace(cp)) {
                if (!flush(buffers, ascii, sink)) {
                    return false;
                }
                ascii = true;
            } else if (isChineseCharacter(cp)) {
                if (!flush(buffers, ascii, sink)) {
                    return false;
                }
                segment.appendCodePoint(cp);
                // Still normalised: NFD maps CJK compatibility ideographs to unified ones.
                if (!flush(buffers, false, sink)) {
                    return false;
                }
                ascii = true;
            } else {
                segment.appendCodePoint(cp);
                ascii = false;
            }
        }
        return flush(buffers, ascii, sink);
    }

    private boolean flush(Buffers buffers, boolean ascii, WordSink sink) {
        StringBuilder segment = buffers.segment;
        if (segment.length() == 0) {
            return true;
        }
        boolean more = ascii ? splitAscii(segment, buffers, sink) : splitNormalized(segment, buffers, sink);
        segment.setLength(0);
        return more;
    }

    /** Printable ASCII only: no normalisation, no whitespace, one-branch lower-casing. */
    private boolean splitAscii(StringBuilder segment, Buffers buffers, WordSink sink) {
        for (int i = 0, n = segment.length(); i < n; i++) {
            char c = segment.charAt(i);
            if (isAsciiPunctuation(c)) {
                if (!emitWord(buffers, sink) || !emitSingle(c, buffers, sink)) {
                    return false;
                }
            } else {
                append(buffers, lowerCase && c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
            }
        }
        return emitWord(buffers, sink);
    }

    private boolean splitNormalized(StringBuilder segment, Buffers buffers, WordSink sink) {
        CharSequence text = stripAccents ? Normalizer.normalize(segment, Normalizer.Form.NFD) : segment;
        for (int i = 0, n = text.length(); i < n; ) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            if (stripAccents && Character.getType(cp) == Character.NON_SPACING_MARK) {
                continue;
            }
            if (lowerCase) {
                if (cp == DOTTED_CAPITAL_I) {
                    // The one unconditional multi-character lower-case mapping (SpecialCasing.txt);
                    // only reachable without accent stripping, since NFD splits it first.
                    if (!accept('i', buffers, sink) || !accept(COMBINING_DOT_ABOVE, buffers, sink)) {
                        return false;
                    }
                    continue;
                }
                cp = Character.toLowerCase(cp);
            }
            if (!accept(cp, buffers, sink)) {
                return false;
            }
        }
        return emitWord(buffers, sink);
    }

    /** Classifies a normalised code point: NFD can turn a symbol into punctuation (U+1FEF to '`'). */
    private boolean accept(int cp, Buffers buffers, WordSink sink) {
        if (isWhitespace(cp)) {
            return emitWord(buffers, sink);
        }
        if (isPunctuation(cp)) {
            return emitWord(buffers, sink) && emitSingle(cp, buffers, sink);
        }
        if (Character.isBmpCodePoint(cp)) {
            append(buffers, (char) cp);
        } else {
            append(buffers, Character.highSurrogate(cp));
            append(buffers, Character.lowSurrogate(cp));
        }
        return true;
    }

    private static void append(Buffers buffers, char c) {
        if (buffers.wordLength == buffers.word.length) {
            buffers.word = Arrays.copyOf(buffers.word, buffers.word.length * 2);
        }
        buffers.word[buffers.wordLength++] = c;
    }

    private static boolean emitWord(Buffers buffers, WordSink sink) {
        int length = buffers.wordLength;
        if (length == 0) {
            return true;
        }
        buffers.wordLength = 0;
        return sink.word(buffers.word, length);
    }

    private static boolean emitSingle(int cp, Buffers buffers, WordSink sink) {
        int length = Character.toChars(cp, buffers.word, 0);
        return sink.word(buffers.word, length);
    }

    /**
     * Characters deleted outright. Beyond Google's BERT (Cc, Cf) this also drops private-use and
     * surrogate code points, as HuggingFace's {@code is_other} does; unassigned ones (Cn) stay.
     */
    static boolean isRemoved(int cp) {
        if (cp < 0x80) {
            return cp == 0x7F || cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r';
        }
        if (cp == 0xFFFD) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.PRIVATE_USE
                || type == Character.SURROGATE;
    }

    /**
     * Tab, LF, CR and the space separators Zs, Zl, Zp: Rust's {@code char::is_whitespace} once
     * control characters are gone. Google's BERT leaves out U+2028/U+2029 (Zl, Zp).
     */
    static boolean isWhitespace(int cp) {
        if (cp < 0x80) {
            return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r';
        }
        return Character.isSpaceChar(cp);
    }

    /**
     * CJK Unified Ideographs and extensions, as HuggingFace defines them. Its fifth range starts at
     * 0x2B920, not at 0x2B820 as in Google's BERT; followed here for parity with the HuggingFace
     * tokenizer the shipped models were trained with (the vocabularies hold none of the 256 code
     * points in between, so either way they become [UNK]). Public so that whatever must cut text as the
     * encoder sees it (occlusion's units) uses this one definition.
     */
    public static boolean isChineseCharacter(int cp) {
        return cp >= 0x4E00 && cp <= 0x9FFF
                || cp >= 0x3400 && cp <= 0x4DBF
                || cp >= 0x20000 && cp <= 0x2A6DF
                || cp >= 0x2A700 && cp <= 0x2B73F
                || cp >= 0x2B740 && cp <= 0x2B81F
                || cp >= 0x2B920 && cp <= 0x2CEAF
                || cp >= 0xF900 && cp <= 0xFAFF
                || cp >= 0x2F800 && cp <= 0x2FA1F;
    }

    /** BERT's definition: all non-alphanumeric printable ASCII, plus Unicode category P*. */
    static boolean isPunctuation(int cp) {
        if (cp < 0x80) {
            return isAsciiPunctuation(cp);
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION,
                    Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isAsciiPunctuation(int c) {
        return c >= 33 && c <= 47 || c >= 58 && c <= 64 || c >= 91 && c <= 96 || c >= 123 && c <= 126;
    }
}
