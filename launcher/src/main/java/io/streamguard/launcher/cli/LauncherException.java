package io.streamguard.launcher.cli;

/**
 * A failure the launcher can explain in one line: a port in use, a component that did not come up,
 * an unreachable broker. The CLI prints the message (no stack trace) and exits with status 1.
 */
public class LauncherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LauncherException(String message) {
        super(message);
    }

    public LauncherException(String message, Throwable cause) {
        super(message, cause);
    }
}
