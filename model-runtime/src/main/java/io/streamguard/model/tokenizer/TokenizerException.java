package io.streamguard.model.tokenizer;

import io.streamguard.model.ModelRuntimeException;

/**
 * A vocabulary or tokenizer definition that cannot be used. Unchecked because it signals a broken
 * model artifact, which callers cannot recover from at the call site; I/O failures while reading
 * one stay {@link java.io.IOException}s.
 */
public abstract sealed class TokenizerException extends ModelRuntimeException
        permits InvalidVocabularyException, UnsupportedTokenizerException {

    private static final long serialVersionUID = 1L;

    TokenizerException(String message) {
        super(message);
    }

    TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
