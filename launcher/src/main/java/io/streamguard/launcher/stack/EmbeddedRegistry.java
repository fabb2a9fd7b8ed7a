package io.streamguard.launcher.stack;

import io.streamguard.launcher.cli.Checkout;
import io.streamguard.launcher.cli.LauncherException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Apicurio Registry fast-jar (built by the {@code embedded-registry} module) as a child process
 * serving the Confluent Schema Registry API on 127.0.0.1. It is a separate JVM because Apicurio's
 * Quarkus 2 / Jackson 2.14 dependency set cannot share a classpath with Kafka 4.
 *
 * <p>{@link Builder#launch()} spawns the process and returns at once, so a caller can start the
 * broker meanwhile; {@link #awaitReady()} then waits for the HTTP API. {@link Builder#start()} does
 * both. The process (and any descendants) is destroyed on {@link #close()} or JVM shutdown. By
 * default its schema storage is an H2 file under the data dir, so schema ids stay valid across
 * restarts (see {@link Builder#persistent}).
 */
public final class EmbeddedRegistry implements AutoCloseable {
    public static final int DEFAULT_PORT = 8081;

    /** Path of the Confluent-compatible API below the registry's root URL. */
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    public static final String APP_ENV = "STREAMGUARD_REGISTRY_APP";
    public static final String APP_PROPERTY = "streamguard.registry.app";
    static final Path APP_IN_REPO = Path.of("embedded-registry", "target", "quarkus-app", "quarkus-run.jar");
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistry.class);
    private static final int LOG_TAIL_LINES = 25;

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Duration startupTimeout;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private EmbeddedRegistry(Process process, int port, Path logFile, Duration startupTimeout) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.startupTimeout = startupTimeout;
        // Covers Ctrl-C and plain System.exit paths that never reach close(): no orphaned registry
        // JVMs.
        this.shutdownHook = new Thread(this::destroyProcessTree, "streamguard-registry-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where the registry fast-jar is looked for when none is given: {@value #APP_ENV}, then the
     * {@value #APP_PROPERTY} system property, then {@code
     * embedded-registry/target/quarkus-app/quarkus-run.jar} below {@code -Dstreamguard.home} (set
     * by the {@code ./streamguard} wrapper) or the working dir.
     */
    public static Path defaultAppJar() {
        return defaultAppJar(System.getenv(), System.getProperties());
    }

    static Path defaultAppJar(Map<String, String> env, Properties sys) {
        String fromEnv = env.get(APP_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        String fromProperty = sys.getProperty(APP_PROPERTY);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Path.of(fromProperty);
        }
        String home = sys.getProperty(Checkout.HOME_PROPERTY);
        Path root = home != null && !home.isBlank() ? Path.of(home) : Path.of("");
        return root.resolve(APP_IN_REPO);
    }

    /**
     * {@code http://127.0.0.1:<port>/apis/ccompat/v7}: what serdes take as {@code
     * schema.registry.url}.
     */
    public String url() {
        return "http://" + Ports.LOOPBACK + ":" + port + CCOMPAT_PATH;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes with the exit status when the registry process ends, for whatever reason. */
    public CompletableFuture<Integer> onExit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    /**
     * Blocks until {@code GET /subjects} answers 200, then sets the global compatibility to
     * BACKWARD.
     *
     * @throws LauncherException if the process exits or the API is not up within the startup
     *     timeout (the message carries the tail of the registry log)
     */
    public void awaitReady() {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        while (true) {
            if (!process.isAlive()) {
                throw new LauncherException("schema registry exited with status "
                        + process.exitValue()
                        + " during startup; last lines of "
                        + logFile
                        + ":\n"
                        + logTail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYetListening) {
                // Connection refused until Quarkus has bound the port.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("interrupted while waiting for the schema registry");
            }
            if (System.nanoTime() > deadline) {
                throw new LauncherException("schema registry did not answer on "
                        + url()
                        + " within "
                        + startupTimeout.toSeconds()
                        + " s; last lines of "
                        + logFile
                        + ":\n"
                        + logTail());
            }
            pause();
        }
        setGlobalCompatibility("BACKWARD");
        LOG.info("Schema registry ready on {}", url());
    }

    /** PUT {@code /config}: the default compatibility level of every subject without its own. */
    void setGlobalCompatibility(String level) {
        HttpRequest put = HttpRequest.newBuilder(URI.create(url() + "/config"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .build();
        try {
            HttpResponse<String> response = http.send(put, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new LauncherException("schema registry refused compatibility "
                        + level
                        + ": HTTP "
                        + response.statusCode()
                        + " "
                        + response.body());
            }
        } catch (IOException e) {
            throw new LauncherException("could not set compatibility on " + url() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted while configuring the schema registry");
        }
    }

    /** Stops the registry (SIGTERM, then SIGKILL after 10 s) and its descendants. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or will run; destroying twice is harmless.
        }
        destroyProcessTree();
        LOG.info("Schema registry stopped");
    }

    private void destroyProcessTree() {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            } catch (ExecutionException | TimeoutException notExitedInTime) {
                handle.destroyForcibly();
            }
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted while waiting for the schema registry");
        }
    }

    /** Configuration of one registry process. */
    public static final class Builder {
        private Path appJar;
        private int port = DEFAULT_PORT;
        private Path dataDir = Path.of(".streamguard");
        private Duration startupTimeout = Duration.ofSeconds(60);
        private String maxHeap = "128m";
        private boolean persistent = true;

        private Builder() {}

        /**
         * Whether schemas survive a restart (default true): Apicurio's H2 storage then lives in
         * {@code <dataDir>/registry/} instead of memory. The broker keeps its records across
         * restarts, and each record names its writer schema by registry id, so the two must persist
         * together or old records become unreadable.
         */
        public Builder persistent(boolean persistent) {
            this.persistent = persistent;
            return this;
        }

        /** The Apicurio {@code quarkus-run.jar}; default {@link #defaultAppJar()}. */
        public Builder appJar(Path appJar) {
            this.appJar = Objects.requireNonNull(appJar, "appJar");
            return this;
        }

        /** HTTP port on 127.0.0.1; 0 picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Directory receiving {@code registry.log}. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
            return this;
        }

        public Builder maxHeap(String maxHeap) {
            this.maxHeap = Objects.requireNonNull(maxHeap, "maxHeap");
            return this;
        }

        /**
         * Spawns the process without waiting for it; call {@link EmbeddedRegistry#awaitReady()}
         * next.
         */
        public EmbeddedRegistry launch() {
            Path jar = Optional.ofNullable(appJar)
                    .orElseGet(EmbeddedRegistry::defaultAppJar)
                    .toAbsolutePath()
                    .normalize();
            if (!Files.isRegularFile(jar)) {
                throw new LauncherException("schema registry app not found at "
                        + jar
                        + " (build it with `mvn -pl embedded-registry -am install`, set "
                        + APP_ENV
                        + ", or use --registry-url for an external registry)");
            }
            int httpPort = Ports.resolve(port, "schema registry");
            Ports.requireFree(httpPort, "schema registry");
            Path dir = dataDir.toAbsolutePath().normalize();
            Path log = dir.resolve("registry.log");
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new LauncherException("could not create " + dir + ": " + e.getMessage(), e);
            }
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(
                    java.toString(),
                    "-Xmx" + maxHeap,
                    // A small-heap dev service: serial GC avoids per-core GC
                    // threads on small machines.
                    "-XX:+UseSerialGC",
                    "-Dquarkus.http.host=" + Ports.LOOPBACK,
                    "-Dquarkus.http.port=" + httpPort,
                    "-Dquarkus.log.console.color=false"));
            if (persistent) {
                Path db = dir.resolve("registry");
                if (db.toString().contains(";")) {
                    throw new LauncherException("the data dir must not contain ';' (it goes into a JDBC URL): " + dir);
                }
                // Same H2 engine Apicurio's in-memory flavour uses, pointed at a file; created on
                // first start.
                command.add("-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + db.resolve("registry"));
            }
            command.addAll(entryPoint(jar));
            LOG.info("Starting schema registry on {}:{} (log {})", Ports.LOOPBACK, httpPort, log);
            try {
                Process process = new ProcessBuilder(command)
                        .directory(dir.toFile()) // anything Quarkus writes relative to
                        // cwd stays in the data dir
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                        .start();
                return new EmbeddedRegistry(process, httpPort, log, startupTimeout);
            } catch (IOException e) {
                throw new LauncherException("could not start the schema registry (" + java + "): " + e.getMessage(), e);
            }
        }

        /**
         * {@code -cp <launcher>:<app> ParentWatchdog <our pid> <app main class>}, so the registry
         * exits when this JVM dies even without running its hooks (SIGKILL); plain {@code -jar} if
         * the launcher's own location is unknown.
         */
        private static List<String> entryPoint(Path jar) {
            Optional<Path> self = Optional.ofNullable(
                            ParentWatchdog.class.getProtectionDomain().getCodeSource())
                    .map(source -> {
                        try {
                            return Path.of(source.getLocation().toURI());
                        } catch (URISyntaxException | IllegalArgumentException e) {
                            return null;
                        }
                    });
            String mainClass;
            try (JarFile app = new JarFile(jar.toFile())) {
                Manifest manifest = app.getManifest();
                mainClass =
                        manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
            } catch (IOException e) {
                throw new LauncherException(
                        "schema registry app " + jar + " is not a readable jar: " + e.getMessage(), e);
            }
            if (self.isEmpty() || mainClass == null) {
                return List.of("-jar", jar.toString());
            }
            // The app jar's manifest Class-Path (Quarkus' lib/boot) still applies when it is on
            // -cp.
            return List.of(
                    "-cp",
                    self.get() + File.pathSeparator + jar,
                    ParentWatchdog.class.getName(),
                    String.valueOf(ProcessHandle.current().pid()),
                    mainClass);
        }

        /**
         * {@link #launch()} followed by {@link EmbeddedRegistry#awaitReady()}; closes the process
         * on failure.
         */
        public EmbeddedRegistry start() {
            EmbeddedRegistry registry = launch();
            try {
                registry.awaitReady();
                return registry;
            } catch (RuntimeException e) {
                registry.close();
                throw e;
            }
        }

        private static File nullDevice() {
            return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
        }
    }
}
