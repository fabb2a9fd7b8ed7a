package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.launcher.StreamGuardCli;
import io.streamguard.topology.testing.SeededHeads;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamguard up} as users run it: a separate JVM that prints READY, serves a produce/consume
 * round trip through the CLI, has its retrainer publish the heads' version so {@code models} shows it
 * live, stops cleanly on SIGTERM (registry child included) and restarts on its own data with the earlier
 * records still readable; a second {@code up} on a data dir in use is refused without harming the first.
 */
class UpCommandIT {
    private static final Pattern READY = Pattern.compile(
            "^READY bootstrap=(\\S+) registry=(\\S+) postgres=(\\S+) connect=http://127\\.0\\.0\\.1:\\d+"
                    + " console=(http://127\\.0\\.0\\.1:\\d+)$");

    @TempDir
    Path dataDir;

    @Test
    void upServesARoundTripStopsCleanlyAndRestartsOnItsData() throws Exception {
        Path events = dataDir.resolve("events.jsonl");
        Files.writeString(events, """
                {"id":"e-1","text":"first event","source":"up-it"}
                {"id":"e-2","text":"second: naïve café 🙂","attributes":{"lang":"mixed"}}
                {"id":"e-3","text":"third"}
                """);

        // Seeded heads (untrained): the pipeline runs for real, the trained v1 is not needed.
        Path heads = dataDir.resolve("seeded-minilm.json");
        SeededHeads.minilm("seeded-up", 5, 128, heads);

        try (Up up = Up.start(dataDir.resolve("stack"), "--heads", heads.toString())) {
            Cli produce = Cli.run(
                    "produce",
                    "--topic",
                    "text-events",
                    "--bootstrap",
                    up.bootstrap,
                    "--registry",
                    up.registry,
                    events.toString());
            assertThat(produce.exit()).as(produce.err()).isZero();
            assertThat(produce.out()).contains("Produced 3 records");

            Cli consume = consumeAll(up, 3);
            assertThat(consume.out()).contains("e-1", "first event", "e-2", "naïve café 🙂", "e-3");

            // The retrainer runs by default and was ready before READY: the heads are the live version.
            assertThat(up.beforeReady).anyMatch(l -> l.startsWith("RETRAINER READY live=seeded-up encoder=minilm-l6"));
            Cli models = Cli.run("models", "--bootstrap", up.bootstrap, "--registry", up.registry);
            assertThat(models.exit()).as(models.err()).isZero();
            assertThat(models.out())
                    .containsPattern("(?m)^LIVE minilm-l6: seeded-up since \\S+ \\(promoted by retrainer ");

            List<ProcessHandle> children = up.process.descendants().toList();
            assertThat(children).as("the registry runs as a child process").isNotEmpty();
            up.stop();
            assertThat(children).noneMatch(ProcessHandle::isAlive);
        }

        // The README's first command, on the restarted stack: real texts labeled live, then a summary.
        try (Up again = Up.start(
                dataDir.resolve("stack"),
                "--heads",
                heads.toString(),
                "--demo",
                "--demo-events",
                "24",
                "--demo-rate",
                "200",
                "--datasets",
                System.getProperty("streamguard.home") + "/../shared/datasets")) {
            String summary = again.awaitLine("DEMO SUMMARY", 120);
            assertThat(summary)
                    .contains("produced=24 labeled=24")
                    .containsPattern("allow=\\d+ review=\\d+ block=\\d+")
                    .contains("end-to-end latency p50=");
            // Every fifth text enters as a row of the comments table and comes back through Connect.
            assertThat(again.awaitLine("DEMO DATABASE", 120))
                    .contains("24 of 24 decisions are rows of moderation_events (4 texts entered as rows of comments)");
            assertThat(again.linesSoFar())
                    .filteredOn(l -> l.startsWith("demo-"))
                    .hasSize(20)
                    .allMatch(l -> l.matches("demo-\\d{4} +[a-z]{2,3} +(ALLOW|REVIEW|BLOCK) +\\w+ \\d\\.\\d\\d .*"));
            assertThat(again.linesSoFar())
                    .filteredOn(l -> l.startsWith("comments:"))
                    .hasSize(4)
                    .allMatch(l -> l.matches("comments:\\d+ +[a-z]{2,3} +(ALLOW|REVIEW|BLOCK) +\\w+ \\d\\.\\d\\d .*"));

            Cli consume = consumeAll(again, 3 + 24);
            assertThat(consume.exit()).as(consume.err()).isZero();
            assertThat(consume.out())
                    .as("records and their schemas survive a restart")
                    .contains("e-1", "first event", "e-3", "demo-0000", "demo-0023");
        }
    }

    @Test
    void aSecondUpOnADataDirInUseIsRefusedInOneLineAndTheFirstIsUnharmed() throws Exception {
        Path heads = dataDir.resolve("seeded-minilm.json");
        SeededHeads.minilm("seeded-up", 5, 128, heads);
        Path events = dataDir.resolve("events.jsonl");
        Files.writeString(events, """
                {"id":"l-1","text":"before the second up"}
                {"id":"l-2","text":"after the second up"}
                """);
        Path stack = dataDir.resolve("stack");

        try (Up first = Up.start(stack, "--heads", heads.toString())) {
            // Other ports (all free ones), same data dir: what destroyed the first broker's metadata log.
            Cli second = Up.runToExit(stack, "--heads", heads.toString());
            assertThat(second.exit()).as(second.err()).isEqualTo(2);
            assertThat(second.out()).isEmpty();
            assertThat(second.err().strip())
                    .isEqualTo("streamguard: data dir " + stack.toAbsolutePath().normalize()
                            + " is in use by another streamguard up (pid " + first.process.pid()
                            + "); stop it or choose another --data-dir");

            Cli produce = Cli.run(
                    "produce",
                    "--topic",
                    "text-events",
                    "--bootstrap",
                    first.bootstrap,
                    "--registry",
                    first.registry,
                    events.toString());
            assertThat(produce.exit()).as(produce.err()).isZero();
            Cli consume = consumeAll(first, 2);
            assertThat(consume.exit()).as(consume.err()).isZero();
            assertThat(consume.out()).contains("l-1", "l-2");
            first.stop();
        }

        try (Up again = Up.start(stack, "--heads", heads.toString())) {
            Cli consume = consumeAll(again, 2);
            assertThat(consume.exit()).as(consume.err()).isZero();
            assertThat(consume.out()).contains("l-1", "l-2");
            again.stop();
        }
        assertThat(Files.readString(stack.resolveSibling("up.stderr.log")))
                .as("the broker's logs, both starts")
                .doesNotContainIgnoringCase("corrupt");
    }

    @Test
    void badArgumentsGetOneLineAndNonZeroExit() {
        Cli unknown = Cli.run("up", "--no-such-flag");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err().strip()).startsWith("streamguard: ").doesNotContain("\n");

        Cli missingFile = Cli.run("produce", "--topic", "text-events", "/no/such/file.jsonl");
        assertThat(missingFile.exit()).isNotZero();
        assertThat(missingFile.err().strip())
                .startsWith("streamguard: ")
                .contains("/no/such/file.jsonl")
                .doesNotContain("\n");
    }

    private static Cli consumeAll(Up up, int count) {
        return Cli.run(
                "consume",
                "--topic",
                "text-events",
                "--from-beginning",
                "--max",
                String.valueOf(count),
                "--timeout-ms",
                "30000",
                "--bootstrap",
                up.bootstrap,
                "--registry",
                up.registry);
    }

    /** {@code streamguard up} in its own JVM on free ports. */
    static final class Up implements AutoCloseable {
        final Process process;
        final String bootstrap;
        final String registry;
        final String postgres;
        final String console;
        /** Stdout before the READY line (PIPELINE, CONNECTORS, RETRAINER READY, ...). */
        final List<String> beforeReady;

        private final BlockingQueue<String> stdout;
        private final List<String> output = new ArrayList<>();

        private Up(Process process, Matcher ready, List<String> beforeReady, BlockingQueue<String> stdout) {
            this.process = process;
            this.beforeReady = List.copyOf(beforeReady);
            this.bootstrap = ready.group(1);
            this.registry = ready.group(2);
            this.postgres = ready.group(3);
            this.console = ready.group(4);
            this.stdout = stdout;
        }

        static Up start(Path dataDir, String... extraArgs) throws Exception {
            return start(dataDir, Map.of(), extraArgs);
        }

        /** {@link #start(Path, String...)} with {@code env} added to the environment. */
        static Up start(Path dataDir, Map<String, String> env, String... extraArgs) throws Exception {
            ProcessBuilder builder = new ProcessBuilder(command(dataDir, extraArgs))
                    .redirectError(ProcessBuilder.Redirect.appendTo(
                            dataDir.resolveSibling("up.stderr.log").toFile()));
            builder.environment().putAll(env);
            Process p = builder.start();
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            BlockingQueue<String> after = new LinkedBlockingQueue<>();
            List<String> before = new CopyOnWriteArrayList<>();
            CompletableFuture<Matcher> ready = new CompletableFuture<>();
            // One reader for the whole life of the process: stdout must keep draining after READY.
            Thread reader = new Thread(
                    () -> {
                        try {
                            for (String line; (line = lines.readLine()) != null; ) {
                                Matcher m = READY.matcher(line);
                                if (!ready.isDone() && m.matches()) {
                                    ready.complete(m);
                                } else if (ready.isDone()) {
                                    after.add(line);
                                } else {
                                    before.add(line);
                                }
                            }
                        } catch (IOException e) {
                            // the process ended
                        }
                        ready.complete(null);
                    },
                    "up-stdout");
            reader.setDaemon(true);
            reader.start();
            Matcher m;
            try {
                m = ready.get(180, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
                throw new AssertionError("no READY line within 180 s", e);
            }
            if (m == null) {
                // The temporary directory is gone by the time anyone reads a CI log: quote its end here.
                Path log = dataDir.resolveSibling("up.stderr.log");
                List<String> stderr = Files.exists(log) ? Files.readAllLines(log) : List.of();
                throw new AssertionError("up exited with " + p.waitFor() + " before READY; the end of its stderr:\n"
                        + String.join("\n", stderr.subList(Math.max(0, stderr.size() - 40), stderr.size())));
            }
            return new Up(p, m, before, after);
        }

        /** An {@code up} expected to end by itself (within 60 s): its exit status and both outputs. */
        static Cli runToExit(Path dataDir, String... extraArgs) throws Exception {
            Path out = Files.createTempFile(dataDir.getParent(), "up", ".out");
            Path err = Files.createTempFile(dataDir.getParent(), "up", ".err");
            Process p = new ProcessBuilder(command(dataDir, extraArgs))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("up still runs after 60 s; its stderr:\n" + Files.readString(err));
            }
            return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
        }

        /** The java command line of {@code up} on free ports. */
        private static List<String> command(Path dataDir, String... extraArgs) {
            String javaBin =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // The packaged launcher, exactly what ./streamguard runs (built in the package phase).
            Path home = Path.of(System.getProperty("streamguard.home"));
            String classpath = home.resolve("launcher/target/streamguard-launcher.jar") + File.pathSeparator
                    + home.resolve("launcher/target/lib") + "/*";
            List<String> command = new ArrayList<>(List.of(
                    javaBin,
                    "-Xmx512m",
                    "-Dstreamguard.home=" + System.getProperty("streamguard.home"),
                    "-cp",
                    classpath,
                    StreamGuardCli.class.getName(),
                    "up",
                    "--data-dir",
                    dataDir.toString(),
                    "--kafka-port",
                    "0",
                    "--controller-port",
                    "0",
                    "--registry-port",
                    "0",
                    "--metrics-port",
                    "0",
                    "--postgres-port",
                    "0",
                    "--connect-port",
                    "0",
                    "--console-port",
                    "0"));
            command.addAll(List.of(extraArgs));
            return command;
        }

        /** Waits for the first stdout line after READY that starts with {@code prefix}. */
        String awaitLine(String prefix, long timeoutSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (System.nanoTime() < deadline) {
                String line = stdout.poll(1, TimeUnit.SECONDS);
                if (line != null) {
                    output.add(line);
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
            }
            throw new AssertionError(
                    "no line starting with '" + prefix + "' within " + timeoutSeconds + " s; got " + output);
        }

        List<String> linesSoFar() {
            return List.copyOf(output);
        }

        /** SIGTERM, as Ctrl-C or an orchestrator would send, then wait for a clean exit. */
        void stop() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("up stops within 60 s of SIGTERM")
                    .isTrue();
            // 143 = terminated by SIGTERM after the shutdown hooks ran; anything else is a crash.
            assertThat(process.exitValue()).isIn(0, 143);
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                stop();
            }
        }
    }
}
