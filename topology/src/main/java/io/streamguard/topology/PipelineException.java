package io.streamguard.topology;

/**
 * The root of this module's own failures (the tree is in {@code package-info.java}). Bad worker settings
 * are {@link IllegalArgumentException}s instead, as bad arguments anywhere.
 */
public class PipelineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PipelineException(String message) {
        super(message);
    }

    public PipelineException(String message, Throwable cause) {
        super(message, cause);
    }
}
