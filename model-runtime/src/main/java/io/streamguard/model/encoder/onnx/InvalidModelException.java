package io.streamguard.model.encoder.onnx;

import io.streamguard.model.encoder.EncoderException;

/**
 * The model file is not a usable MiniLM export: unreadable protobuf, a missing or misshapen weight,
 * external or non-float32 tensor data. Not retryable: the file has to be replaced.
 */
public final class InvalidModelException extends EncoderException {
    private static final long serialVersionUID = 1L;

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
