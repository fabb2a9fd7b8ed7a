package io.streamguard.launcher.stack;

import io.streamguard.launcher.cli.LauncherException;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A java child process of the stack with its log file; stopped with its descendants on close or JVM
 * exit. The registry and the Connect worker each run in their own JVM because their dependencies
 * cannot share the launcher's classpath; this class is what they have in common as processes, so that
 * neither can leave an orphan holding its port. {@code bench chaos} runs its workers through it too.
 */
public final class ChildJvm {
    private static final int LOG_TAIL_LINES = 25;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Duration stopTimeout;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Whether the child is ready yet; an {@link IOException} counts as not yet. */
    @FunctionalInterface
    public interface ReadinessProbe {
        boolean ready() throws IOException, InterruptedException;
    }

    private ChildJvm(String name, String hookTag, Process process, Path logFile, Duration stopTimeout) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.stopTimeout = stopTimeout;
        // Covers Ctrl-C and plain System.exit paths that never reach close(): no orphaned child JVMs.
        this.shutdownHook = new Thread(() -> destroyTree(false), "streamguard-" + hookTag + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Runs {@code java <jvmArgs>} (this JVM's own java) in {@code workDir}, stdout and stderr appended
     * to {@code logFile}, stdin empty.
     *
     * @param name what messages call the process, e.g. {@code "schema registry"}
     * @param hookTag names the shutdown hook thread {@code streamguard-<hookTag>-shutdown}
     * @param stopTimeout how long {@link #stop} waits after SIGTERM before SIGKILL
     */
    public static ChildJvm launch(
            String name, String hookTag, List<String> jvmArgs, Path workDir, Path logFile, Duration stopTimeout) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmArgs);
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
            return new ChildJvm(name, hookTag, process, logFile, stopTimeout);
        } catch (IOException e) {
            throw new LauncherException("could not start the " + name + " (" + java + "): " + e.getMessage(), e);
        }
    }

    /**
     * Where the launcher's own classes are, to put on a child's classpath for {@link ParentWatchdog};
     * empty if unknown.
     */
    public static Optional<Path> launcherLocation() {
        return Optional.ofNullable(ParentWatchdog.class.getProtectionDomain().getCodeSource())
                .map(source -> {
                    try {
                        return Path.of(source.getLocation().toURI());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        return null;
                    }
                });
    }

    /**
     * {@code ParentWatchdog <our pid> <mainClass>}: the child's entry point, so that it exits when this
     * JVM dies even without running its hooks (SIGKILL). Needs {@link #launcherLocation()} on the
     * child's classpath.
     */
    public static List<String> watchedMain(String mainClass) {
        return List.of(
                ParentWatchdog.class.getName(),
                String.valueOf(ProcessHandle.current().pid()),
                mainClass);
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes with the exit status when the process ends, for whatever reason. */
    public CompletableFuture<Integer> onExit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /**
     * Polls {@code probe} every 250 ms until it returns true.
     *
     * @param deadlineNanos the {@link System#nanoTime()} after which to give up
     * @param timeoutDetail completes the timeout message after the name, e.g. {@code "did not answer
     *     on <url> within 60 s"}
     * @throws LauncherException if the process exits or the deadline passes first (the message carries
     *     the tail of the log), or if interrupted
     */
    public void awaitReady(long deadlineNanos, ReadinessProbe probe, String timeoutDetail) {
        while (!poll(probe)) {
            if (!process.isAlive()) {
                throw new LauncherException(name
                        + " exited with status "
                        + process.exitValue()
                        + " during startup; last lines of "
                        + logFile
                        + ":\n"
                        + logTail());
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new LauncherException(
                        name + " " + timeoutDetail + "; last lines of " + logFile + ":\n" + logTail());
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                throw interrupted();
            }
        }
    }

    private boolean poll(ReadinessProbe probe) {
        try {
            return probe.ready();
        } catch (IOException notYetListening) {
            return false; // connection refused until the child has bound its port
        } catch (InterruptedException e) {
            throw interrupted();
        }
    }

    private LauncherException interrupted() {
        Thread.currentThread().interrupt();
        return new LauncherException("interrupted while waiting for the " + name);
    }

    /**
     * Stops the process and its descendants: SIGTERM, then SIGKILL after the stop timeout; or SIGKILL
     * at once if {@code forcibly}. Idempotent.
     *
     * @return whether this call stopped it (false if it was stopped before)
     */
    public boolean stop(boolean forcibly) {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or will run; destroying twice is harmless.
        }
        destroyTree(forcibly);
        return true;
    }

    private void destroyTree(boolean forcibly) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        tree.add(process.toHandle());
        tree.forEach(forcibly ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(stopTimeout.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            } catch (ExecutionException | TimeoutException notExitedInTime) {
                handle.destroyForcibly();
            }
        }
    }

    /** The last lines of the log, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
