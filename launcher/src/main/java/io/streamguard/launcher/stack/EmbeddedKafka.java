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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, in-process Apache Kafka broker in KRaft combined mode (one node that is both broker and
 * controller), bound to 127.0.0.1. Storage is formatted once; later starts reuse the same data
 * directory, so topics and records survive restarts.
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
    private static final String META_PROPERTIES = "meta.properties";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final KafkaRaftServer server;
    private final DataDirLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(
            Path dataDir, int port, int controllerPort, String clusterId, KafkaRaftServer server, DataDirLock lock) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.server = server;
        this.lock = lock;
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
                config = new KafkaConfig(brokerProperties(dir, clientPort, ctrlPort, overrides), false);
                clusterId = formatIfNeeded(dir, config);
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
            EmbeddedKafka kafka = new EmbeddedKafka(dir, clientPort, ctrlPort, clusterId, server, lock);
            try {
                server.startup();
                kafka.awaitReady(startupTimeout);
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
     * Formats the data dir on first use (new random cluster id); afterwards reads the persisted id.
     */
    private static String formatIfNeeded(Path dir, KafkaConfig config) {
        Path meta = dir.resolve(META_PROPERTIES);
        if (Files.exists(meta)) {
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
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG,
                "streamguard-readiness");
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
