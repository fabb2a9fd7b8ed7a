package io.streamguard.model.heads;

/**
 * Heads trained on one encoder (or vocabulary) offered to another: their weights would read
 * meaningless features, so loading is refused instead of scoring garbage.
 */
public final class IncompatibleHeadsException extends RuntimeException {

    public IncompatibleHeadsException(String message) {
        super(message);
    }
}
