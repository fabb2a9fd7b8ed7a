package io.streamguard.model.heads;

import io.streamguard.model.ModelRuntimeException;

/**
 * Heads trained on one encoder (or vocabulary) offered to another: their weights would read
 * meaningless features, so loading is refused instead of scoring garbage.
 */
public final class IncompatibleHeadsException extends ModelRuntimeException {

    public IncompatibleHeadsException(String message) {
        super(message);
    }
}
