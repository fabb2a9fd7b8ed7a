package io.streamguard.launcher.stack;

import io.streamguard.launcher.cli.Checkout;
import io.streamguard.launcher.cli.LauncherException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect worker in distributed mode (the {@code embedded-connect} module's {@code
 * target/connect}: {@code lib/}, {@code config/}, {@code plugins/}) as a child process with its REST
 * API on 127.0.0.1. It is a separate JVM because connect-runtime brings Jetty, Jersey and every
 * plugin's dependencies, none of which belong on the launcher's classpath, and because Connect
 * isolates plugins only under its own {@code ConnectDistributed} entry point.
 *
 * <p>Distributed mode, even for one worker: connector configs, source offsets and statuses live in
 * Kafka topics, so a restart on the same broker data finds its connectors again. {@link
 * Builder#launch()} returns at once; {@link #awaitReady()} waits until the worker has joined its
 * group. The process is destroyed on {@link #close()} or JVM shutdown, and exits on its own when this
 * JVM dies ({@link ParentWatchdog}).
 */
public final class EmbeddedConnect implements AutoCloseable {
    public static final int DEFAULT_PORT = 8083;
    public static final String GROUP_ID = "streamguard-connect";
    public static final String CONFIG_TOPIC = "connect-configs";
    public static final String OFFSET_TOPIC = "connect-offsets";
    public static final String STATUS_TOPIC = "connect-status";

    public static final String HOME_ENV = "STREAMGUARD_CONNECT_HOME";
    public static final String HOME_PROPERTY = "streamguard.connect.home";
    static final Path HOME_IN_REPO = Path.of("embedded-connect", "target", "connect");
    static final String MAIN_CLASS = "org.apache.kafka.connect.cli.ConnectDistributed";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedConnect.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ChildJvm child;
    private final int port;
    private final Duration startupTimeout;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private EmbeddedConnect(ChildJvm child, int port, Duration startupTimeout) {
        this.child = child;
        this.port = port;
        this.startupTimeout = startupTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where the worker's {@code lib/} and {@code plugins/} are looked for when none is given:
     * {@value #HOME_ENV}, then the {@value #HOME_PROPERTY} system property, then {@code
     * embedded-connect/target/connect} below {@code -Dstreamguard.home} (set by the {@code
     * ./streamguard} wrapper) or the working dir.
     */
    public static Path defaultHome() {
        return defaultHome(System.getenv(), System.getProperties());
    }

    static Path defaultHome(Map<String, String> env, Properties sys) {
        return Checkout.buildOutput(env, sys, HOME_ENV, HOME_PROPERTY, HOME_IN_REPO);
    }

    /**
     * The worker configuration: distributed mode in group {@value #GROUP_ID}, its three internal
     * topics with replication factor 1 (one broker), the REST listener on 127.0.0.1, and {@code
     * plugins/} as plugin.path: Connect treats each directory below a plugin.path entry as one
     * plugin with its own classloader (a jar directly in an entry would be a plugin of its own).
     */
    static Map<String, String> workerConfig(String bootstrapServers, int port, Path pluginsDir) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("group.id", GROUP_ID);
        config.put("config.storage.topic", CONFIG_TOPIC);
        config.put("offset.storage.topic", OFFSET_TOPIC);
        config.put("status.storage.topic", STATUS_TOPIC);
        config.put("config.storage.replication.factor", "1");
        config.put("offset.storage.replication.factor", "1");
        config.put("status.storage.replication.factor", "1");
        // Source offsets reach Kafka within a second, so a stopped stack loses little to replay.
        config.put("offset.flush.interval.ms", "1000");
        // Defaults for connectors that name none; ours name their converters.
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("listeners", "http://" + Ports.LOOPBACK + ":" + port);
        config.put("rest.advertised.host.name", Ports.LOOPBACK);
        config.put("rest.advertised.port", String.valueOf(port));
        config.put("plugin.path", pluginsDir.toString());
        // Connectors may set their own client settings (our sinks read read_committed:
        // consumer.override.isolation.level), as on most clusters.
        config.put("connector.client.config.override.policy", "All");
        // Every plugin we ship declares its classes in META-INF/services; the default (hybrid_warn)
        // also scans all plugin jars by reflection, 20 of the worker's 28 s start on 2 cores. A plugin
        // class without its services entry is then not found.
        config.put("plugin.discovery", "service_load");
        return config;
    }

    /**
     * {@link #workerConfig(String, int, Path)} with a client's security settings (SASL, TLS) for the worker's
     * own connections and, under the {@code producer.}, {@code consumer.} and {@code admin.} prefixes, for its
     * connectors' clients, which do not inherit the worker's.
     */
    static Map<String, String> workerConfig(
            String bootstrapServers, int port, Path pluginsDir, Map<String, Object> clientProperties) {
        Map<String, String> config = workerConfig(bootstrapServers, port, pluginsDir);
        clientProperties.forEach((key, value) -> {
            if (!key.equals("bootstrap.servers")) {
                for (String prefix : List.of("", "producer.", "consumer.", "admin.")) {
                    config.put(prefix + key, String.valueOf(value));
                }
            }
        });
        return config;
    }

    /** {@code http://127.0.0.1:<port>}: the REST API's root. */
    public String url() {
        return "http://" + Ports.LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return child.pid();
    }

    public Path logFile() {
        return child.logFile();
    }

    public boolean isAlive() {
        return child.isAlive();
    }

    /** Completes with the exit status when the worker process ends, for whatever reason. */
    public CompletableFuture<Integer> onExit() {
        return child.onExit();
    }

    /**
     * Blocks until {@code GET /} answers (the REST server is up) and then {@code GET /connectors}
     * answers 200, which the worker does once its herder has started: joined the group, read the
     * config topic. Before that, REST requests wait or are refused.
     *
     * @throws LauncherException if the process exits or the worker is not ready within the startup
     *     timeout (the message carries the tail of connect.log)
     */
    public void awaitReady() {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        for (String path : List.of("/", "/connectors")) {
            HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build();
            child.awaitReady(
                    deadline,
                    () -> http.send(probe, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200,
                    "did not answer GET " + path + " on " + url() + " within " + startupTimeout.toSeconds() + " s");
        }
        LOG.info("Connect worker ready on {} (pid {})", url(), pid());
    }

    /** SIGKILL, no clean shutdown: what a crash looks like to the broker (for tests). */
    public void kill() {
        child.stop(true);
    }

    /**
     * Stops the worker (SIGTERM: it stops its tasks, commits source offsets and leaves the group;
     * SIGKILL after 30 s) and its descendants. Idempotent.
     */
    @Override
    public void close() {
        if (child.stop(false)) {
            LOG.info("Connect worker stopped");
        }
    }

    /** Configuration of one worker process. */
    public static final class Builder {
        private String bootstrapServers;
        private Path home;
        private int port = DEFAULT_PORT;
        private Path dataDir = Path.of(".streamguard");
        private Duration startupTimeout = Duration.ofSeconds(120);
        private String maxHeap = "512m";
        private Map<String, Object> clientProperties = Map.of();

        private Builder() {}

        /**
         * The broker's client settings for the worker (e.g. {@link EmbeddedKafka#clientProperties}): on a
         * secured broker its SASL and TLS settings. {@code worker.properties} is then readable by its owner
         * only.
         */
        public Builder clientProperties(Map<String, Object> clientProperties) {
            this.clientProperties = Map.copyOf(clientProperties);
            return this;
        }

        /** The broker the worker keeps its internal topics on and its connectors read and write. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            return this;
        }

        /** The assembled worker ({@code lib/}, {@code config/}, {@code plugins/}); default {@link #defaultHome()}. */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return this;
        }

        /** REST port on 127.0.0.1; 0 picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Directory whose {@code connect/} subdirectory receives worker.properties and connect.log. */
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

        /** Spawns the worker without waiting for it; call {@link EmbeddedConnect#awaitReady()} next. */
        public EmbeddedConnect launch() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalStateException("bootstrapServers is required");
            }
            Path root = Optional.ofNullable(home)
                    .orElseGet(EmbeddedConnect::defaultHome)
                    .toAbsolutePath()
                    .normalize();
            Path lib = root.resolve("lib");
            Path plugins = root.resolve("plugins");
            if (!Files.isDirectory(lib) || pluginDirs(plugins).isEmpty()) {
                throw new LauncherException("Connect worker not found at "
                        + root
                        + " (lib/ and plugins/ expected; build it with `mvn -pl embedded-connect -am package`"
                        + " or set "
                        + HOME_ENV
                        + ")");
            }
            int restPort = Ports.resolve(port, "Connect REST");
            Ports.requireFree(restPort, "Connect REST");
            Path dir = dataDir.toAbsolutePath().normalize().resolve("connect");
            Path workerProperties = dir.resolve("worker.properties");
            Path log = dir.resolve("connect.log");
            try {
                Files.createDirectories(dir);
                Files.deleteIfExists(workerProperties);
                try {
                    Files.createFile(
                            workerProperties,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(workerProperties);
                }
                Files.write(
                        workerProperties,
                        workerConfig(bootstrapServers, restPort, plugins, clientProperties).entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .toList(),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LauncherException("could not write " + workerProperties + ": " + e.getMessage(), e);
            }
            List<String> command = new ArrayList<>(List.of(
                    "-Xmx" + maxHeap,
                    // A dev service on small machines: no per-core GC threads.
                    "-XX:+UseSerialGC",
                    "-Dlog4j2.configurationFile=" + root.resolve("config").resolve("log4j2.properties"),
                    "-cp",
                    classpath(lib)));
            command.addAll(entryPoint());
            command.add(workerProperties.toString());
            LOG.info("Starting Connect worker on {}:{} (log {})", Ports.LOOPBACK, restPort, log);
            ChildJvm child = ChildJvm.launch("Connect worker", "connect", command, dir, log, STOP_TIMEOUT);
            return new EmbeddedConnect(child, restPort, startupTimeout);
        }

        /** {@link #launch()} then {@link EmbeddedConnect#awaitReady()}; closes the process on failure. */
        public EmbeddedConnect start() {
            EmbeddedConnect connect = launch();
            try {
                connect.awaitReady();
                return connect;
            } catch (RuntimeException e) {
                connect.close();
                throw e;
            }
        }

        /** Each directory below {@code plugins/}, sorted: the plugins Connect will load. */
        static List<Path> pluginDirs(Path plugins) {
            if (!Files.isDirectory(plugins)) {
                return List.of();
            }
            try (Stream<Path> entries = Files.list(plugins)) {
                return entries.filter(Files::isDirectory).sorted().toList();
            } catch (IOException e) {
                throw new LauncherException("could not list " + plugins + ": " + e.getMessage(), e);
            }
        }

        /**
         * {@code lib/*} (the JVM expands the wildcard), preceded by the launcher's own code location
         * for {@link ParentWatchdog} when it is known.
         */
        private static String classpath(Path lib) {
            String libs = lib + File.separator + "*";
            return ChildJvm.launcherLocation()
                    .map(self -> self + File.pathSeparator + libs)
                    .orElse(libs);
        }

        /** {@code ParentWatchdog <our pid> ConnectDistributed}, or the main class alone. */
        private static List<String> entryPoint() {
            return ChildJvm.launcherLocation().isEmpty() ? List.of(MAIN_CLASS) : ChildJvm.watchedMain(MAIN_CLASS);
        }
    }
}
