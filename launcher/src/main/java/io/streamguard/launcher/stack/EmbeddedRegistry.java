package io.streamguard.launcher.stack;

import io.streamguard.launcher.cli.Checkout;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
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
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final ChildJvm child;
    private final int port;
    private final Duration startupTimeout;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private EmbeddedRegistry(ChildJvm child, int port, Duration startupTimeout) {
        this.child = child;
        this.port = port;
        this.startupTimeout = startupTimeout;
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
        return Checkout.buildOutput(env, sys, APP_ENV, APP_PROPERTY, APP_IN_REPO);
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

    /** {@code http://127.0.0.1:<port>}: the server's root, below which {@link #CCOMPAT_PATH} lies. */
    public String rootUrl() {
        return "http://" + Ports.LOOPBACK + ":" + port;
    }

    public Path logFile() {
        return child.logFile();
    }

    public boolean isAlive() {
        return child.isAlive();
    }

    /** Completes with the exit status when the registry process ends, for whatever reason. */
    public CompletableFuture<Integer> onExit() {
        return child.onExit();
    }

    /**
     * Blocks until {@code GET /subjects} answers 200, then sets the global compatibility to
     * BACKWARD.
     *
     * @throws LauncherException if the process exits or the API is not up within the startup
     *     timeout (the message carries the tail of the registry log)
     */
    public void awaitReady() {
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        child.awaitReady(
                System.nanoTime() + startupTimeout.toNanos(),
                () -> http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200,
                "did not answer on " + url() + " within " + startupTimeout.toSeconds() + " s");
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
        if (child.stop(false)) {
            LOG.info("Schema registry stopped");
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
            List<String> command = new ArrayList<>(List.of(
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
            // The data dir as cwd: anything Quarkus writes relative to it stays there.
            ChildJvm child = ChildJvm.launch("schema registry", "registry", command, dir, log, STOP_TIMEOUT);
            return new EmbeddedRegistry(child, httpPort, startupTimeout);
        }

        /**
         * {@code -cp <launcher>:<app> ParentWatchdog <our pid> <app main class>}, so the registry
         * exits when this JVM dies even without running its hooks (SIGKILL); plain {@code -jar} if
         * the launcher's own location is unknown.
         */
        private static List<String> entryPoint(Path jar) {
            Optional<Path> self = ChildJvm.launcherLocation();
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
            List<String> entryPoint = new ArrayList<>(List.of("-cp", self.get() + File.pathSeparator + jar));
            entryPoint.addAll(ChildJvm.watchedMain(mainClass));
            return entryPoint;
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
    }
}
