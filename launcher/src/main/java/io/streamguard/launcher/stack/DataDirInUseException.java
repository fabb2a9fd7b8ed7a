package io.streamguard.launcher.stack;

import io.streamguard.launcher.cli.LauncherException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Another stack holds the data dir's {@link DataDirLock}. Its own type because it is the user's
 * choice of dir that is wrong, not the stack: {@code up} reports it as a usage error (exit 2).
 */
public final class DataDirInUseException extends LauncherException {
    private static final long serialVersionUID = 1L;

    DataDirInUseException(Path dir, OptionalLong holderPid) {
        super("data dir " + dir + " is in use by another streamguard up ("
                + (holderPid.isPresent() ? "pid " + holderPid.getAsLong() : "pid unknown") + ")");
    }
}
