package io.streamguard.launcher.stack;

import io.streamguard.launcher.cli.LauncherException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code streamguard worker} in a JVM of its own, as users run it, for checks that need the process
 * itself: its pid (heap and RSS from outside), whether it is still alive, and its {@code /health},
 * {@code /ready} and {@code /metrics} on a free port. Stopped with SIGTERM on close, like the stack's
 * other children, or SIGKILLed ({@link #kill}); it exits by itself if this JVM dies. A restart is another
 * {@link #start} with the same arguments: same state dir, log appended.
 */
public final class WorkerJvm implements AutoCloseable {
    /** An endpoint's answer: status and one-line body, or status -1 and why there was none. */
    public record Probe(int status, String body) {
        @Override
        public String toString() {
            return (status < 0 ? "no answer" : String.valueOf(status)) + " " + body;
        }
    }

    /** The CLI's main class, named rather than imported: the stack sits below the commands. */
    public static final String CLI_MAIN = "io.streamguard.launcher.StreamGuardCli";

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ChildJvm child;
    private final int metricsPort;
    private final String role;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private WorkerJvm(ChildJvm child, int metricsPort, String role) {
        this.child = child;
        this.metricsPort = metricsPort;
        this.role = role;
    }

    /**
     * Starts {@code streamguard worker --role <role> <workerArgs>} with its state and log under {@code dir}
     * and returns once {@code /ready} answers 200.
     *
     * @param classpath the launcher's classpath (its jar and lib/*, or this JVM's own)
     * @param jvmArgs e.g. {@code -Xmx512m}
     * @param workerArgs options of {@code streamguard worker} besides role, state dir and metrics port
     * @throws LauncherException if it exits or is not ready within {@code timeout}
     */
    public static WorkerJvm start(
            String role, String classpath, List<String> jvmArgs, List<String> workerArgs, Path dir, Duration timeout) {
        Objects.requireNonNull(role, "role");
        int port = Ports.resolve(0, role + " worker metrics");
        Path home = dir.toAbsolutePath().resolve(role);
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new LauncherException("could not create " + home + ": " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>(jvmArgs);
        String streamguardHome = System.getProperty("streamguard.home");
        if (streamguardHome != null) {
            command.add("-Dstreamguard.home=" + streamguardHome);
        }
        command.addAll(List.of("-cp", classpath));
        command.addAll(ChildJvm.watchedMain(CLI_MAIN));
        command.addAll(List.of(
                "worker",
                "--role",
                role,
                "--state-dir",
                home.resolve("state").toString(),
                "--metrics-port",
                Integer.toString(port)));
        command.addAll(workerArgs);
        ChildJvm child = ChildJvm.launch(
                role + " worker", "worker-" + role, command, home, home.resolve("worker.log"), STOP_TIMEOUT);
        WorkerJvm worker = new WorkerJvm(child, port, role);
        try {
            child.awaitReady(
                    System.nanoTime() + timeout.toNanos(),
                    () -> worker.status("/ready") == 200,
                    "was not ready on port " + port + " within " + timeout.toSeconds() + " s");
            return worker;
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
    }

    /**
     * The classpath of {@code streamguard worker}: the checkout's {@code launcher/target/streamguard-launcher.jar}
     * and {@code lib/*} (as the {@code streamguard} script runs it) when {@code -Dstreamguard.home} has them,
     * else this JVM's own (a test's or an installed launcher's).
     */
    public static String launcherClasspath() {
        String home = System.getProperty("streamguard.home");
        if (home != null) {
            Path target = Path.of(home).resolve("launcher").resolve("target");
            Path jar = target.resolve("streamguard-launcher.jar");
            if (Files.isRegularFile(jar) && Files.isDirectory(target.resolve("lib"))) {
                return jar + File.pathSeparator + target.resolve("lib") + File.separator + "*";
            }
        }
        return System.getProperty("java.class.path");
    }

    public String role() {
        return role;
    }

    public long pid() {
        return child.pid();
    }

    public boolean isAlive() {
        return child.isAlive();
    }

    public Path logFile() {
        return child.logFile();
    }

    /** The HTTP status of {@code /health}: 200 unless the streams client failed; -1 if it does not answer. */
    public int health() {
        try {
            return status("/health");
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted while asking the " + role + " worker for /health");
        }
    }

    /** {@code path}'s ({@code /health}, {@code /ready}) status and body; status -1 if it does not answer. */
    public Probe probe(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + Ports.LOOPBACK + ":" + metricsPort + path))
                .timeout(Duration.ofSeconds(5))
                .build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Probe(r.statusCode(), r.body().strip());
        } catch (IOException e) {
            return new Probe(-1, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted while asking the " + role + " worker for " + path);
        }
    }

    /** The last lines of its log, for failure messages. */
    public String logTail() {
        return child.logTail();
    }

    private int status(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + Ports.LOOPBACK + ":" + metricsPort + path))
                .timeout(Duration.ofSeconds(5))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** SIGKILL: no commit, no flush; an open transaction and a half-gathered micro-batch left behind. */
    public void kill() {
        child.stop(true);
    }

    /** SIGTERM (the worker closes its streams client), SIGKILL after 30 s. */
    @Override
    public void close() {
        child.stop(false);
    }
}
