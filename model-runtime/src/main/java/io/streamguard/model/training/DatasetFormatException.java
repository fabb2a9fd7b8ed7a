package io.streamguard.model.training;

import io.streamguard.model.ModelRuntimeException;
import java.nio.file.Path;

/**
 * A data file cannot be read as labelled text. The message is {@code <file>:<line>: <problem>}
 * ({@code <file>: <problem>} when no line is concerned, e.g. a missing file), so a user can jump to it.
 */
public class DatasetFormatException extends ModelRuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    public DatasetFormatException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public DatasetFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.line = 0;
    }

    public Path file() {
        return file;
    }

    /** The 1-based line, or 0 when the problem is with the file as a whole. */
    public int line() {
        return line;
    }
}
