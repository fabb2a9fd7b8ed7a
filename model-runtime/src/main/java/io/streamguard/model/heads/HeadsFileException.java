package io.streamguard.model.heads;

import io.streamguard.model.ModelRuntimeException;
import java.nio.file.Path;

/** A heads file that cannot be read or written, or is not a valid heads file; names the file. */
public final class HeadsFileException extends ModelRuntimeException {

    public HeadsFileException(Path file, String problem, Throwable cause) {
        super((file == null ? "heads file" : file.toString()) + ": " + problem, cause);
    }

    public HeadsFileException(Path file, String problem) {
        this(file, problem, null);
    }
}
