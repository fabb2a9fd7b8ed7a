package io.streamguard.launcher.bench;

import io.streamguard.launcher.cli.LauncherException;

/**
 * A benchmark could not run: bad options, missing texts, or an engine that cannot be measured. A
 * {@link LauncherException}, so the CLI prints its message as the one line it exits with.
 */
class BenchmarkException extends LauncherException {
    private static final long serialVersionUID = 1L;

    public BenchmarkException(String message) {
        super(message);
    }

    public BenchmarkException(String message, Throwable cause) {
        super(message, cause);
    }
}
