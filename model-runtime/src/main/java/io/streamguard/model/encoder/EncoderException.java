package io.streamguard.model.encoder;

/** An encoder could not be loaded or could not run a batch; the message says which and why. */
public class EncoderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EncoderException(String message) {
        super(message);
    }

    public EncoderException(String message, Throwable cause) {
        super(message, cause);
    }
}
