package io.streamguard.launcher.bench;

import io.streamguard.launcher.stack.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code streamguard worker} in its own JVM, as operators run it: started, asked {@code /health} and
 * {@code /ready}, killed with SIGKILL or stopped with SIGTERM, and measured (resident memory). A restart is
 * a new {@code WorkerJvm} on the same state dir and worker id, as a restarted pod would be.
 */
final class WorkerJvm implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("WORKER READY .*metrics=(http://\\S+)/metrics");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** An HTTP answer, or {@code code} -1 with the reason when there was none. */
    record Probe(int code, String body) {
        @Override
        public String toString() {
            return (code < 0 ? "no answer" : String.valueOf(code)) + " " + body;
        }
    }

    /**
     * What to run.
     *
     * @param role tokenizer, inference or all
     * @param workerId {@code --worker-id}, also the log file's name
     * @param extraArgs further {@code worker} options (bootstrap, registry, model, batching)
     * @param maxHeap the JVM's {@code -Xmx}
     */
    record Spec(String role, String workerId, Path stateDir, Path logDir, List<String> extraArgs, String maxHeap) {}

    private final Spec spec;
    private final ChildJvm jvm;
    private volatile String base;

    private WorkerJvm(Spec spec, ChildJvm jvm) {
        this.spec = spec;
        this.jvm = jvm;
    }

    /** Starts the JVM and returns once it printed {@code WORKER READY} (model loaded, streams RUNNING). */
    static WorkerJvm start(Spec spec, Duration timeout) {
        List<String> args = new ArrayList<>(List.of("-Xmx" + spec.maxHeap(), "-XX:+UseSerialGC"));
        Optional.ofNullable(System.getProperty("streamguard.home")).ifPresent(h -> args.add("-Dstreamguard.home=" + h));
        args.addAll(List.of("-cp", System.getProperty("java.class.path")));
        // Under the watchdog: a worker never outlives the harness, however the harness ends.
        args.addAll(ChildJvm.watchedMain(ChaosBenchmark.CLI_MAIN));
        args.addAll(List.of(
                "worker",
                "--role",
                spec.role(),
                "--worker-id",
                spec.workerId(),
                "--state-dir",
                spec.stateDir().toString(),
                "--metrics-port",
                "0"));
        args.addAll(spec.extraArgs());
        Path log;
        try {
            Files.createDirectories(spec.logDir());
            // One log per start (inference-1.log, inference-1.2.log, ...): a killed worker's last lines are evidence.
            log = spec.logDir().resolve(spec.workerId() + ".log");
            for (int n = 2; Files.exists(log); n++) {
                log = spec.logDir().resolve(spec.workerId() + "." + n + ".log");
            }
        } catch (IOException e) {
            throw new BenchmarkException("cannot write worker logs to " + spec.logDir() + ": " + e.getMessage(), e);
        }
        ChildJvm jvm = ChildJvm.launch(
                "worker " + spec.workerId(), "worker-" + spec.workerId(), args, spec.logDir(), log, STOP_TIMEOUT);
        WorkerJvm worker = new WorkerJvm(spec, jvm);
        try {
            jvm.awaitReady(
                    System.nanoTime() + timeout.toNanos(),
                    worker::printedReady,
                    "printed no WORKER READY within " + timeout.toSeconds() + " s");
        } catch (RuntimeException e) {
            jvm.stop(true);
            throw e;
        }
        return worker;
    }

    private boolean printedReady() throws IOException {
        for (String line : Files.readAllLines(jvm.logFile(), StandardCharsets.UTF_8)) {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                base = m.group(1);
                return true;
            }
        }
        return false;
    }

    Spec spec() {
        return spec;
    }

    String id() {
        return spec.workerId();
    }

    long pid() {
        return jvm.pid();
    }

    boolean isAlive() {
        return jvm.isAlive();
    }

    Probe health() {
        return probe("/health");
    }

    Probe ready() {
        return probe("/ready");
    }

    private Probe probe(String path) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Probe(r.statusCode(), r.body().strip());
        } catch (IOException e) {
            return new Probe(-1, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(-1, "interrupted");
        }
    }

    /** Resident memory of the JVM in KiB ({@code VmRSS}), -1 if unreadable. */
    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone, or not Linux
        }
        return -1;
    }

    /** SIGKILL: no commit, no flush; an open transaction and a half-gathered micro-batch left behind. */
    void kill() {
        jvm.stop(true);
    }

    /** SIGTERM: the worker commits what it processed and leaves its group. */
    @Override
    public void close() {
        jvm.stop(false);
    }
}
