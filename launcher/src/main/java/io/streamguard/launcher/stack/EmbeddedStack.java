package io.streamguard.launcher.stack;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.ConnectionSettings;
import io.streamguard.launcher.client.StreamGuardTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything StreamGuard needs to run locally: the embedded KRaft broker, a schema registry
 * (embedded Apicurio child process, or an external Confluent-API registry), the standard topics and,
 * where asked for, the demo application's PostgreSQL ({@link Builder#withPostgres()}) and a Kafka Connect
 * worker in distributed mode ({@link Builder#withConnect()}).
 * Used by {@code streamguard up} and by integration tests:
 *
 * <pre>{@code
 * try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(tmp).ephemeralPorts().start()) {
 *   props.put("bootstrap.servers", stack.bootstrapServers());
 *   props.put("schema.registry.url", stack.registryUrl());
 * }
 * }</pre>
 *
 * <p>Layout of the data dir: {@code kafka/} (broker storage), {@code registry/} (the embedded
 * registry's schema database), {@code registry.log}, and with PostgreSQL {@code postgres/} and {@code
 * postgres.log}, with Connect {@code connect/} (worker.properties, connect.log; its configs and offsets live
 * in the broker's topics), and when {@link Builder#secure() secured} {@code secure/} ({@link LocalSecurity}). All
 * stores persist, so a restarted stack still decodes the records it wrote before
 * and finds its tables again. One stack at a time uses a data dir: it holds the dir's
 * {@link DataDirLock} from before anything is written under it until {@link #close()}.
 */
public final class EmbeddedStack implements AutoCloseable {
    public static final Path DEFAULT_DATA_DIR = Path.of(".streamguard");
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);
    private static final Duration EXTERNAL_REGISTRY_TIMEOUT = Duration.ofSeconds(10);

    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry; // null when external or disabled
    private final String registryUrl; // null when disabled
    private final EmbeddedPostgres postgres; // null when not asked for
    private final EmbeddedConnect connect; // null when not asked for
    private final RegistryGateway gateway; // null unless secured with the embedded registry
    private final Path dataDir;
    private final int partitions;
    private final DataDirLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedStack(
            EmbeddedKafka kafka,
            EmbeddedRegistry registry,
            String registryUrl,
            EmbeddedPostgres postgres,
            EmbeddedConnect connect,
            RegistryGateway gateway,
            Path dataDir,
            int partitions,
            DataDirLock lock) {
        this.kafka = kafka;
        this.registry = registry;
        this.registryUrl = registryUrl;
        this.postgres = postgres;
        this.connect = connect;
        this.gateway = gateway;
        this.dataDir = dataDir;
        this.partitions = partitions;
        this.lock = lock;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /**
     * The Confluent-compatible API base URL ({@code .../apis/ccompat/v7} for the embedded
     * registry), as serdes expect in {@code schema.registry.url}.
     *
     * @throws IllegalStateException if the stack was built {@link Builder#withoutRegistry() without
     *     a registry}
     */
    public String registryUrl() {
        if (registryUrl == null) {
            throw new IllegalStateException("this stack was started without a schema registry");
        }
        return registryUrl;
    }

    public boolean hasRegistry() {
        return registryUrl != null;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    /** The embedded registry process; empty when an external registry is used or none at all. */
    public Optional<EmbeddedRegistry> embeddedRegistry() {
        return Optional.ofNullable(registry);
    }

    /** The demo application's PostgreSQL; empty unless built {@link Builder#withPostgres() with it}. */
    public Optional<EmbeddedPostgres> postgres() {
        return Optional.ofNullable(postgres);
    }

    /** The Kafka Connect worker; empty unless built {@link Builder#withConnect() with it}. */
    public Optional<EmbeddedConnect> connect() {
        return Optional.ofNullable(connect);
    }

    /**
     * Where connectors reach this stack: its PostgreSQL (when started), registry (secured: with {@link
     * LocalPrincipal#CONNECT}'s basic auth and the truststore) and broker; what the
     * files of {@code connectors/config/} are pointed at before they go on its Connect worker.
     */
    public ConnectionSettings connectionSettings() {
        Map<String, String> registrySecurity = new TreeMap<>();
        security().ifPresent(s -> s.clientProperties(LocalPrincipal.CONNECT).forEach((k, v) -> {
            if (k.startsWith("basic.auth.") || k.startsWith("schema.registry.")) {
                registrySecurity.put(k, v);
            }
        }));
        return new ConnectionSettings(
                postgres().map(pg -> ConnectionSettings.Postgres.parse(pg.jdbcUrl())),
                Optional.ofNullable(registryUrl),
                Optional.of(bootstrapServers()),
                registrySecurity);
    }

    public Path dataDir() {
        return dataDir;
    }

    public int partitions() {
        return partitions;
    }

    /** An admin client on this stack's broker (as {@link LocalPrincipal#ADMIN} when secured); the caller closes it. */
    public Admin admin() {
        return Admin.create(kafka.clientProperties(LocalPrincipal.ADMIN));
    }

    /** The certificates and credentials of a {@link Builder#secure() secured} stack; empty otherwise. */
    public Optional<LocalSecurity> security() {
        return kafka.security();
    }

    /**
     * Everything a client of {@code principal} needs: {@code bootstrap.servers}, {@code schema.registry.url}
     * (when there is a registry) and, when secured, the principal's SASL, TLS and registry credentials.
     */
    public Map<String, String> clientProperties(LocalPrincipal principal) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (registryUrl != null) {
            p.put("schema.registry.url", registryUrl);
        }
        security().ifPresent(s -> p.putAll(s.clientProperties(principal)));
        return p;
    }

    /**
     * Stops the Connect worker (a client of the rest), the registry, PostgreSQL, then the broker, then
     * releases the data dir. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RuntimeException failure = null;
        for (AutoCloseable component : new AutoCloseable[] {connect, gateway, registry, postgres, kafka}) {
            if (component == null) {
                continue;
            }
            try {
                component.close();
            } catch (Exception e) {
                RuntimeException unchecked = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                if (failure == null) {
                    failure = unchecked;
                } else {
                    failure.addSuppressed(unchecked);
                }
            }
        }
        lock.close();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Stack configuration. Defaults match {@code streamguard up}: ports 9092/9093/8081, data in
     * ./.streamguard.
     */
    public static final class Builder {
        private Path dataDir = DEFAULT_DATA_DIR;
        private int kafkaPort = EmbeddedKafka.DEFAULT_PORT;
        private int controllerPort = EmbeddedKafka.DEFAULT_CONTROLLER_PORT;
        private int registryPort = EmbeddedRegistry.DEFAULT_PORT;
        private Path registryApp;
        private String externalRegistryUrl;
        private boolean registryEnabled = true;
        private boolean postgresEnabled;
        private int postgresPort = EmbeddedPostgres.DEFAULT_PORT;
        private boolean connectEnabled;
        private boolean secure;
        private int connectPort = EmbeddedConnect.DEFAULT_PORT;
        private Path connectHome;
        private int partitions = StreamGuardTopics.DEFAULT_PARTITIONS;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private DataDirLock lock;

        private Builder() {}

        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        public Builder registryPort(int port) {
            this.registryPort = port;
            return this;
        }

        /** PostgreSQL's port (only used {@link #withPostgres() with PostgreSQL}). */
        public Builder postgresPort(int port) {
            this.postgresPort = port;
            return this;
        }

        /** The Connect worker's REST port (only used {@link #withConnect() with Connect}). */
        public Builder connectPort(int port) {
            this.connectPort = port;
            return this;
        }

        /** All ports 0 (free ports picked at start): what tests want. */
        public Builder ephemeralPorts() {
            return kafkaPort(0)
                    .controllerPort(0)
                    .registryPort(0)
                    .postgresPort(0)
                    .connectPort(0);
        }

        /**
         * Also start a Kafka Connect worker in distributed mode ({@link EmbeddedConnect}, a child JVM with
         * the plugins of {@code embedded-connect/target/connect}), once the broker answers. It starts no
         * connector: that is {@code ConnectorConfigs}' job, against this worker or anyone's.
         */
        public Builder withConnect() {
            this.connectEnabled = true;
            return this;
        }

        /** The Connect worker's lib/, plugins/ and config/; default {@link EmbeddedConnect#defaultHome()}. */
        public Builder connectHome(Path home) {
            this.connectHome = Objects.requireNonNull(home, "home");
            return this;
        }

        /**
         * Security on: the broker takes SASL_SSL clients with SCRAM-SHA-512 and authorizes them by ACL
         * ({@link EmbeddedKafka.Builder#security}), the embedded registry is reached through its HTTPS
         * basic-auth {@link RegistryGateway} only, and the Connect worker connects as {@link
         * LocalPrincipal#CONNECT}. Certificates and credentials are generated under {@code secure/} on first
         * use ({@link LocalSecurity}).
         */
        public Builder secure() {
            this.secure = true;
            return this;
        }

        /**
         * Also start the demo application's PostgreSQL ({@link EmbeddedPostgres}, data in {@code
         * postgres/}), beside broker and registry. Off by default: only {@code up} with Kafka Connect
         * and the tests of it need one.
         */
        public Builder withPostgres() {
            this.postgresEnabled = true;
            return this;
        }

        /** The Apicurio fast-jar; default {@link EmbeddedRegistry#defaultAppJar()}. */
        public Builder registryApp(Path appJar) {
            this.registryApp = Objects.requireNonNull(appJar, "appJar");
            return this;
        }

        /**
         * Use this Confluent-API registry (e.g. {@code http://host:8081}) instead of starting one.
         */
        public Builder externalRegistry(String url) {
            this.externalRegistryUrl = stripTrailingSlash(Objects.requireNonNull(url, "url"));
            return this;
        }

        /** Broker and topics only; {@link EmbeddedStack#registryUrl()} then throws. */
        public Builder withoutRegistry() {
            this.registryEnabled = false;
            return this;
        }

        public Builder partitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /** Per component: broker, registry, PostgreSQL and Connect readiness. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Locks the data dir now rather than in {@link #start()}, so that a caller can check the dir is
         * free before it starts slow work of its own beside the stack (what {@code up} does with the
         * model). The stack started by this builder holds the lock; no other stack can start on the
         * dir.
         *
         * @throws DataDirInUseException if another stack holds the data dir
         */
        public Builder lockDataDir() {
            if (lock == null) {
                lock = DataDirLock.acquire(dataDir);
            } else if (!lock.dir().equals(dataDir.toAbsolutePath().normalize())) {
                throw new IllegalStateException("the data dir changed after lockDataDir()");
            }
            return this;
        }

        /**
         * Locks the data dir unless {@link #lockDataDir()} did, then starts broker, registry and
         * PostgreSQL if asked for (concurrently: the registry JVM boots and PostgreSQL runs initdb and
         * starts while the broker formats and starts), creates the standard topics and waits until
         * everything answers. On failure whatever was started is
         * stopped again and the data dir released.
         *
         * @throws DataDirInUseException if another stack holds the data dir
         * @throws LauncherException with a one-line reason (plus the registry log tail where
         *     relevant)
         */
        public EmbeddedStack start() {
            lockDataDir();
            DataDirLock held = lock;
            lock = null; // the stack owns it now
            Path dir = held.dir();
            boolean embedded = registryEnabled && externalRegistryUrl == null;
            EmbeddedRegistry registry = null;
            EmbeddedPostgres postgres = null;
            EmbeddedConnect connect = null;
            EmbeddedKafka kafka = null;
            RegistryGateway gateway = null;
            try {
                LocalSecurity security = secure ? LocalSecurity.loadOrCreate(dir) : null;
                // The broker's free ports are found before the registry and PostgreSQL start forking processes:
                // a child forked while a port is probed holds a copy of the probe's socket until it execs.
                int brokerPort = Ports.resolve(kafkaPort, "Kafka");
                int brokerControllerPort = Ports.resolve(controllerPort, "Kafka controller");
                if (embedded) {
                    EmbeddedRegistry.Builder rb = EmbeddedRegistry.builder()
                            // secured: a free loopback port behind the gateway, which takes registryPort
                            .port(secure ? 0 : registryPort)
                            .dataDir(dir)
                            .startupTimeout(startupTimeout);
                    if (registryApp != null) {
                        rb.appJar(registryApp);
                    }
                    registry = rb.launch();
                }
                if (postgresEnabled) {
                    postgres = EmbeddedPostgres.builder()
                            .port(postgresPort)
                            .dataDir(dir)
                            .startupTimeout(startupTimeout)
                            .launch();
                }
                EmbeddedKafka.Builder kb = EmbeddedKafka.builder()
                        .dataDir(dir.resolve("kafka"))
                        .port(brokerPort)
                        .controllerPort(brokerControllerPort)
                        .startupTimeout(startupTimeout);
                if (security != null) {
                    kb.security(security);
                }
                kafka = kb.start();
                try (Admin admin = Admin.create(kafka.clientProperties(LocalPrincipal.ADMIN))) {
                    List<String> created = StreamGuardTopics.ensure(admin, partitions);
                    if (!created.isEmpty()) {
                        LOG.info("Created topics {}", created);
                    }
                }
                if (connectEnabled) {
                    // Its JVM boots (seconds) while the registry and PostgreSQL finish.
                    EmbeddedConnect.Builder cb = EmbeddedConnect.builder()
                            .bootstrapServers(kafka.bootstrapServers())
                            .clientProperties(kafka.clientProperties(LocalPrincipal.CONNECT))
                            .port(connectPort)
                            .dataDir(dir)
                            .startupTimeout(startupTimeout);
                    if (connectHome != null) {
                        cb.home(connectHome);
                    }
                    connect = cb.launch();
                }
                String url = null;
                if (registry != null) {
                    registry.awaitReady();
                    url = registry.url();
                    if (security != null) {
                        gateway = RegistryGateway.start(registryPort, URI.create(registry.rootUrl()), security);
                        url = gateway.rootUrl() + EmbeddedRegistry.CCOMPAT_PATH;
                    }
                } else if (registryEnabled) {
                    // Someone else's service: it is up or not, no point waiting as long as for our
                    // own JVM.
                    awaitReachable(externalRegistryUrl, EXTERNAL_REGISTRY_TIMEOUT);
                    url = externalRegistryUrl;
                }
                if (postgres != null) {
                    postgres.awaitReady();
                }
                if (connect != null) {
                    connect.awaitReady();
                }
                return new EmbeddedStack(kafka, registry, url, postgres, connect, gateway, dir, partitions, held);
            } catch (RuntimeException e) {
                closeQuietly(connect);
                closeQuietly(gateway);
                closeQuietly(registry);
                closeQuietly(postgres);
                closeQuietly(kafka);
                held.close();
                throw e;
            }
        }

        private static void closeQuietly(AutoCloseable c) {
            if (c == null) {
                return;
            }
            try {
                c.close();
            } catch (Exception suppressed) {
                LOG.debug("Ignoring failure while stopping after a failed start", suppressed);
            }
        }
    }

    /**
     * An external registry must answer {@code GET <url>/subjects} with 200 before we report READY.
     */
    static void awaitReachable(String url, Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe;
        try {
            probe = HttpRequest.newBuilder(URI.create(url + "/subjects"))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build();
        } catch (IllegalArgumentException e) {
            throw new LauncherException("invalid registry URL " + url + ": " + e.getMessage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                int status =
                        http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
                last = "HTTP " + status;
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("interrupted while probing the schema registry");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("interrupted while probing the schema registry");
            }
        }
        throw new LauncherException("schema registry " + url + " is not reachable (" + last + " on GET /subjects)");
    }

    public static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
