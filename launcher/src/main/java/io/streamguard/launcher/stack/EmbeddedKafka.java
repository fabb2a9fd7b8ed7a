package io.streamguard.launcher.stack;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.cli.Messages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, in-process Apache Kafka broker in KRaft combined mode (one node that is both broker and
 * controller), bound to 127.0.0.1. Storage is formatted once; later starts reuse the same data
 * directory, so topics and records survive restarts. Plaintext by default; {@link Builder#security} turns on
 * SASL_SSL, SCRAM-SHA-512 and ACLs.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).port(0).start()) {
 *   String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
    public static final int DEFAULT_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;
    public static final Path DEFAULT_DATA_DIR = Path.of(".streamguard", "kafka");

    static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String CLIENT_LISTENER = "PLAINTEXT";
    private static final String SECURE_LISTENER = "SASL_SSL";
    private static final String META_PROPERTIES = "meta.properties";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final KafkaRaftServer server;
    private final DataDirLock lock;
    private final Optional<LocalSecurity> security;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(
            Path dataDir,
            int port,
            int controllerPort,
            String clusterId,
            KafkaRaftServer server,
            DataDirLock lock,
            Optional<LocalSecurity> security) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.server = server;
        this.lock = lock;
        this.security = security;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    /** The certificates and credentials of a {@link Builder#security secured} broker; empty for a plaintext one. */
    public Optional<LocalSecurity> security() {
        return security;
    }

    /**
     * What a client of {@code principal} needs to connect: {@code bootstrap.servers}, plus on a secured
     * broker SASL_SSL, its SCRAM credentials and the truststore. A plaintext broker ignores the principal.
     */
    public Map<String, Object> clientProperties(LocalPrincipal principal) {
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        security.ifPresent(s -> s.clientProperties(principal).forEach((k, v) -> {
            if (!k.startsWith("basic.auth.") && !k.startsWith("schema.registry.")) {
                conf.put(k, v);
            }
        }));
        return conf;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * The cluster id stored in {@code meta.properties}; stable across restarts on the same data
     * dir.
     */
    public String clusterId() {
        return clusterId;
    }

    /**
     * Controlled shutdown; waits until the broker and controller have stopped, then releases the data
     * dir. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("Stopping Kafka broker on {}", bootstrapServers());
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            lock.close();
        }
        LOG.info("Kafka broker stopped");
    }

    /** Immutable-once-started configuration. Ports may be 0: a free port is picked at start. */
    public static final class Builder {
        private Path dataDir = DEFAULT_DATA_DIR;
        private int port = DEFAULT_PORT;
        private int controllerPort = DEFAULT_CONTROLLER_PORT;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private LocalSecurity security;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {}

        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder controllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
            return this;
        }

        /**
         * Serve clients over SASL_SSL with SCRAM-SHA-512 only, authorize every request with KRaft's
         * StandardAuthorizer ({@link LocalPrincipal#ADMIN} the super user, each other principal its own
         * ACLs), and serve the controller listener over mutual TLS (the broker's certificate is its only
         * accepted client), so no port of the broker accepts an unauthenticated client.
         */
        public Builder security(LocalSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /** Extra or overriding broker property (e.g. {@code log.retention.ms}); applied last. */
        public Builder brokerProperty(String name, String value) {
            overrides.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Locks the data dir ({@link DataDirLock}: nothing below formats or opens the metadata log
         * without it), formats storage if needed, starts the broker and returns once it accepts client
         * requests.
         *
         * @throws DataDirInUseException if another broker uses the data dir
         * @throws LauncherException if a port is taken, the data dir is unusable or startup times
         *     out
         */
        public EmbeddedKafka start() {
            Path dir = dataDir.toAbsolutePath().normalize();
            int clientPort = Ports.resolve(port, "Kafka");
            int ctrlPort = Ports.resolve(controllerPort, "Kafka controller");
            if (clientPort == ctrlPort) {
                throw new LauncherException("Kafka port and controller port must differ (both " + clientPort + ")");
            }
            Ports.requireFree(clientPort, "Kafka");
            Ports.requireFree(ctrlPort, "Kafka controller");

            DataDirLock lock = DataDirLock.acquire(dir);
            KafkaConfig config;
            String clusterId;
            KafkaRaftServer server;
            try {
                Properties props = brokerProperties(dir, clientPort, ctrlPort, overrides);
                if (security != null) {
                    props.putAll(secureProperties(clientPort, ctrlPort, security));
                    props.putAll(overrides);
                }
                config = new KafkaConfig(props, false);
                clusterId = formatIfNeeded(dir, config, Optional.ofNullable(security));
                LOG.info(
                        "Starting Kafka broker on {}:{} (cluster {}, data {})",
                        Ports.LOOPBACK,
                        clientPort,
                        clusterId,
                        dir);
                server = new KafkaRaftServer(config, Time.SYSTEM);
            } catch (RuntimeException e) {
                lock.close();
                throw e;
            }
            EmbeddedKafka kafka = new EmbeddedKafka(
                    dir, clientPort, ctrlPort, clusterId, server, lock, Optional.ofNullable(security));
            try {
                server.startup();
                kafka.awaitReady(startupTimeout);
                if (security != null) {
                    kafka.grantAcls();
                }
            } catch (RuntimeException e) {
                closeQuietly(kafka);
                throw e instanceof LauncherException le
                        ? le
                        : new LauncherException("Kafka broker failed to start: " + Messages.rootMessage(e), e);
            }
            LOG.info("Kafka broker ready on {}", kafka.bootstrapServers());
            return kafka;
        }
    }

    static Properties brokerProperties(Path dir, int clientPort, int ctrlPort, Map<String, String> overrides) {
        String host = Ports.LOOPBACK;
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // Static voters (kraft.version 0): the simplest single-node quorum, and it excludes
        // controller.quorum.bootstrap.servers / `format --standalone`.
        p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + ctrlPort);
        p.put(
                "listeners",
                CLIENT_LISTENER
                        + "://"
                        + host
                        + ":"
                        + clientPort
                        + ","
                        + CONTROLLER_LISTENER
                        + "://"
                        + host
                        + ":"
                        + ctrlPort);
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + host + ":" + clientPort);
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("log.dirs", dir.toString());
        p.put("metadata.log.dir", dir.toString());
        // One node: every internal topic must be satisfiable with a single replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Defaults of 50 partitions per internal topic only slow down first use on a laptop.
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created explicitly (EmbeddedStack / `streamguard topics create`), so typos
        // fail loudly.
        p.put("auto.create.topics.enable", "false");
        // The default 128 MiB compaction buffer is sized for production; compacted topics here are
        // tiny.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        p.putAll(overrides);
        return p;
    }

    /**
     * The secured listeners: clients on SASL_SSL (SCRAM-SHA-512; the broker reaches itself, e.g. for
     * transaction markers, as {@link LocalPrincipal#ADMIN}), the controller on mutual TLS, and the
     * StandardAuthorizer denying whatever no ACL allows.
     */
    static Properties secureProperties(int clientPort, int ctrlPort, LocalSecurity security) {
        String host = Ports.LOOPBACK;
        Properties p = new Properties();
        p.put(
                "listeners",
                SECURE_LISTENER + "://" + host + ":" + clientPort + "," + CONTROLLER_LISTENER + "://" + host + ":"
                        + ctrlPort);
        p.put("advertised.listeners", SECURE_LISTENER + "://" + host + ":" + clientPort);
        p.put("listener.security.protocol.map", SECURE_LISTENER + ":SASL_SSL," + CONTROLLER_LISTENER + ":SSL");
        p.put("inter.broker.listener.name", SECURE_LISTENER);
        p.put("sasl.enabled.mechanisms", LocalSecurity.SCRAM_MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", LocalSecurity.SCRAM_MECHANISM);
        p.put(
                "listener.name." + SECURE_LISTENER.toLowerCase(Locale.ROOT) + "."
                        + LocalSecurity.SCRAM_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                LocalSecurity.jaasConfig(LocalPrincipal.ADMIN.user(), security.password(LocalPrincipal.ADMIN)));
        p.putAll(security.brokerSslProperties());
        p.put("listener.name." + CONTROLLER_LISTENER.toLowerCase(Locale.ROOT) + ".ssl.client.auth", "required");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", LocalPrincipal.ADMIN.kafkaPrincipal() + ";User:" + LocalSecurity.BROKER_DN);
        return p;
    }

    /** Creates (idempotently: a binding that exists is kept) every principal's ACLs. */
    private void grantAcls() {
        List<AclBinding> bindings = new ArrayList<>();
        for (LocalPrincipal principal : LocalPrincipal.values()) {
            bindings.addAll(principal.acls());
        }
        try (Admin admin = Admin.create(clientProperties(LocalPrincipal.ADMIN))) {
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new LauncherException("could not create the ACLs: " + Messages.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted while creating the ACLs");
        }
        LOG.info("ACLs in place for {} principals", LocalPrincipal.values().length);
    }

    /**
     * Formats the data dir on first use (new random cluster id, and on a secured broker the SCRAM users,
     * which must exist before the first client authenticates); afterwards reads the persisted id.
     */
    private static String formatIfNeeded(Path dir, KafkaConfig config, Optional<LocalSecurity> security) {
        Path meta = dir.resolve(META_PROPERTIES);
        if (Files.exists(meta)) {
            if (security.map(LocalSecurity::created).orElse(false)) {
                throw new LauncherException("the data dir " + dir.getParent()
                        + " holds a broker formatted without --secure (no SCRAM users); use another --data-dir");
            }
            return readClusterId(meta);
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
        try {
            Files.createDirectories(dir);
            new Formatter()
                    .setPrintStream(new PrintStream(formatterOutput, true, StandardCharsets.UTF_8)) // keep stdout clean
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setScramArguments(
                            security.map(EmbeddedKafka::scramArguments).orElse(List.of()))
                    .run();
        } catch (Exception e) {
            throw new LauncherException("could not format Kafka storage in " + dir + ": " + Messages.rootMessage(e), e);
        }
        LOG.info("Formatted Kafka storage in {} with cluster id {}", dir, clusterId);
        LOG.debug(
                "Formatter output: {}",
                formatterOutput.toString(StandardCharsets.UTF_8).trim());
        return clusterId;
    }

    /** kafka-storage's {@code --add-scram} arguments, one per principal. */
    private static List<String> scramArguments(LocalSecurity security) {
        List<String> out = new ArrayList<>();
        for (LocalPrincipal principal : LocalPrincipal.values()) {
            out.add(LocalSecurity.SCRAM_MECHANISM + "=[name=" + principal.user() + ",password="
                    + security.password(principal) + "]");
        }
        return out;
    }

    private static String readClusterId(Path meta) {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            props.load(in);
        } catch (IOException e) {
            throw new LauncherException("could not read " + meta + ": " + e.getMessage(), e);
        }
        String id = props.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new LauncherException(meta + " has no cluster.id; delete the data dir to re-format");
        }
        return id;
    }

    /**
     * startup() returns before the listener necessarily serves metadata; confirm with a real
     * client.
     */
    private void awaitReady(Duration timeout) {
        Map<String, Object> conf = clientProperties(LocalPrincipal.ADMIN);
        conf.put(AdminClientConfig.CLIENT_ID_CONFIG, "streamguard-readiness");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(conf)) {
            while (true) {
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                            .nodes()
                            .get(6, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    LOG.debug("Broker not ready yet: {}", e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LauncherException("interrupted while waiting for the Kafka broker");
                }
                if (System.nanoTime() > deadline) {
                    throw new LauncherException(
                            "Kafka broker did not become ready within " + timeout.toSeconds() + " s");
                }
                sleep(200);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted while waiting for the Kafka broker");
        }
    }

    private static void closeQuietly(EmbeddedKafka kafka) {
        try {
            kafka.close();
        } catch (RuntimeException suppressed) {
            LOG.debug("Ignoring failure while stopping a broker that failed to start", suppressed);
        }
    }
}
