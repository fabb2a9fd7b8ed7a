package io.streamguard.launcher.input;

import io.streamguard.launcher.cli.LauncherException;

/** A malformed input line for {@code produce}; the message reads {@code line N: <problem>}. */
public final class InputFormatException extends LauncherException {
    private static final long serialVersionUID = 1L;
    private final long lineNumber;
    private final String problem;

    public InputFormatException(long lineNumber, String problem) {
        super("line " + lineNumber + ": " + problem);
        this.lineNumber = lineNumber;
        this.problem = problem;
    }

    public long lineNumber() {
        return lineNumber;
    }

    /** The message without the {@code line N:} prefix. */
    public String problem() {
        return problem;
    }
}
