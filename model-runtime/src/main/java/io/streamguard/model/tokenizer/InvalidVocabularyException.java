package io.streamguard.model.tokenizer;

/**
 * The vocabulary itself is malformed: blank or duplicate tokens, ids that are not exactly
 * {@code 0..n-1}, a missing special token, or a file that is not the expected format.
 */
public final class InvalidVocabularyException extends TokenizerException {

    private static final long serialVersionUID = 1L;

    public InvalidVocabularyException(String message) {
        super(message);
    }

    public InvalidVocabularyException(String message, Throwable cause) {
        super(message, cause);
    }
}
