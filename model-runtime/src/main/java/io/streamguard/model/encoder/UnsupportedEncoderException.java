package io.streamguard.model.encoder;

import java.util.Set;

/** The configured encoder id names no engine this build can load. */
public final class UnsupportedEncoderException extends EncoderException {
    private static final long serialVersionUID = 1L;

    private final String encoderId;

    public UnsupportedEncoderException(String encoderId, Set<String> available) {
        super("encoder '" + encoderId + "' is not available; available: " + available);
        this.encoderId = encoderId;
    }

    public String encoderId() {
        return encoderId;
    }
}
