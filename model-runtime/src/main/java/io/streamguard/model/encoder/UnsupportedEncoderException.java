package io.streamguard.model.encoder;

import java.util.Set;

/**
 * The configured encoder id names no engine this build can load, or the engine cannot load it as asked (e.g.
 * with fine-tuned adapters it cannot merge).
 */
public final class UnsupportedEncoderException extends EncoderException {
    private static final long serialVersionUID = 1L;

    private final String encoderId;

    public UnsupportedEncoderException(String encoderId, Set<String> available) {
        super("encoder '" + encoderId + "' is not available; available: " + available);
        this.encoderId = encoderId;
    }

    /** {@code encoderId} is available, but not in the way {@code message} says. */
    public UnsupportedEncoderException(String encoderId, String message) {
        super(message);
        this.encoderId = encoderId;
    }

    public String encoderId() {
        return encoderId;
    }
}
