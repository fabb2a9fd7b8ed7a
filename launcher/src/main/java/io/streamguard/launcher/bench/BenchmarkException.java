package io.streamguard.launcher.bench;

/** A benchmark could not run: bad options, missing texts, or an engine that cannot be measured. */
public class BenchmarkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BenchmarkException(String message) {
        super(message);
    }

    public BenchmarkException(String message, Throwable cause) {
        super(message, cause);
    }
}
