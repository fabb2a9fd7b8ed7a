package io.streamguard.model.tokenizer;

/**
 * A {@code tokenizer.json} describes a pipeline this BERT WordPiece tokenizer would not reproduce
 * (another model type, normalizer or pre-tokenizer, or non-BERT WordPiece settings). Rejected up
 * front because silently tokenizing differently from what the model was trained with degrades
 * predictions without any error.
 */
public final class UnsupportedTokenizerException extends TokenizerException {

    private static final long serialVersionUID = 1L;

    public UnsupportedTokenizerException(String message) {
        super(message);
    }
}
