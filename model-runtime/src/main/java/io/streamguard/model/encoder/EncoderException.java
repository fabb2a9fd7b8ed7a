package io.streamguard.model.encoder;

import io.streamguard.model.ModelRuntimeException;

/** An encoder could not be loaded or could not run a batch; the message says which and why. */
public class EncoderException extends ModelRuntimeException {
    private static final long serialVersionUID = 1L;

    public EncoderException(String message) {
        super(message);
    }

    public EncoderException(String message, Throwable cause) {
        super(message, cause);
    }
}
