package io.streamguard.launcher.stack;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Entry point of the stack's child JVMs (registry, Connect worker): {@code ParentWatchdog <parent pid> <main class> [args]}.
 * Exits the child (running its shutdown hooks) as soon as the launcher process is gone, then runs
 * the real main class. Shutdown hooks in the launcher cover Ctrl-C and SIGTERM; this covers SIGKILL
 * and crashes, which would otherwise leave an orphaned child holding its port.
 *
 * <p>Runs inside the third-party JVM before anything else: JDK classes only, no logging.
 */
public final class ParentWatchdog {
    private ParentWatchdog() {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ParentWatchdog <parent pid> <main class> [args...]");
        }
        long parentPid = Long.parseLong(args[0]);
        ProcessHandle.of(parentPid)
                .ifPresentOrElse(
                        parent -> parent.onExit().thenRun(() -> System.exit(0)),
                        () -> System.exit(0)); // the launcher died before we got here
        try {
            Class.forName(args[1]).getMethod("main", String[].class).invoke(null, (Object)
                    Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
