package io.streamguard.model.tokenizer;

/**
 * How text is normalised and how long encodings may get.
 *
 * @param lowerCase lower-case the text, for uncased vocabularies
 * @param stripAccents decompose (NFD) and drop non-spacing marks, so "café" becomes "cafe"; BERT
 *     ties this to {@code lowerCase}, which is what the two-argument constructor does
 * @param maxLength the most ids an encoding holds, counting {@code [CLS]} and {@code [SEP]};
 *     longer texts are truncated and flagged
 */
public record TokenizerOptions(boolean lowerCase, boolean stripAccents, int maxLength) {

    /** BERT's usual fine-tuning length; all-MiniLM-L6-v2 also ships with it. */
    public static final int DEFAULT_MAX_LENGTH = 128;

    public TokenizerOptions {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP], got " + maxLength);
        }
    }

    /** Accents are stripped exactly when lower-casing, as in Google's BERT. */
    public TokenizerOptions(boolean lowerCase, int maxLength) {
        this(lowerCase, lowerCase, maxLength);
    }

    /** For uncased vocabularies such as bert-base-uncased and all-MiniLM-L6-v2. */
    public static TokenizerOptions uncased() {
        return new TokenizerOptions(true, DEFAULT_MAX_LENGTH);
    }

    /** For cased vocabularies: no lower-casing, accents kept. */
    public static TokenizerOptions cased() {
        return new TokenizerOptions(false, DEFAULT_MAX_LENGTH);
    }

    public TokenizerOptions withMaxLength(int newMaxLength) {
        return new TokenizerOptions(lowerCase, stripAccents, newMaxLength);
    }
}
