package io.streamguard.model.encoder;

import io.streamguard.model.ModelRuntimeException;

/**
 * An encoder was used after {@link Encoder#close()}: a lifecycle error of the caller, not an engine
 * failure. Deliberately not an {@link EncoderException}: those mean "this batch failed, retry or
 * dead-letter it" (and the {@code Classifier} wraps them as such), while here no batch is at fault
 * and no retry on this encoder can succeed.
 */
public final class EncoderClosedException extends ModelRuntimeException {
    private static final long serialVersionUID = 1L;

    public EncoderClosedException(String encoderId) {
        super(encoderId + " encoder is closed");
    }
}
