package io.streamguard.launcher.stack;

import io.streamguard.launcher.client.StreamGuardTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Broker and registry that can each be stopped and started again on the same ports and the same data,
 * as an operator restarts them: clients keep their addresses, the broker its records and offsets, the
 * registry (persistent) its schema ids. {@link EmbeddedStack} starts and stops everything at once;
 * fault runs ({@code streamguard bench chaos}) need the pieces one by one.
 */
public final class RestartableStack implements AutoCloseable {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    private final Path dir;
    private final int kafkaPort;
    private final int controllerPort;
    private final int registryPort;
    private EmbeddedKafka kafka;
    private EmbeddedRegistry registry;

    private RestartableStack(Path dir, int kafkaPort, int controllerPort, int registryPort) {
        this.dir = dir;
        this.kafkaPort = kafkaPort;
        this.controllerPort = controllerPort;
        this.registryPort = registryPort;
    }

    /** Free ports chosen once, broker and registry started, StreamGuard's topics created. */
    public static RestartableStack start(Path dataDir, int partitions) {
        Path dir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
        // Ports first, before the registry forks (a child forked during a probe holds the probe's socket).
        int kafkaPort = Ports.resolve(0, "Kafka");
        int controllerPort = Ports.resolve(0, "Kafka controller");
        int registryPort = Ports.resolve(0, "schema registry");
        RestartableStack stack = new RestartableStack(dir, kafkaPort, controllerPort, registryPort);
        try {
            stack.startRegistry();
            stack.startBroker();
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                StreamGuardTopics.ensure(admin, partitions);
            }
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return Ports.LOOPBACK + ":" + kafkaPort;
    }

    public String registryUrl() {
        return "http://" + Ports.LOOPBACK + ":" + registryPort + EmbeddedRegistry.CCOMPAT_PATH;
    }

    /** Controlled shutdown of the broker (a no-op if it is stopped). */
    public synchronized void stopBroker() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** Starts the broker on its ports and data; returns once it answers. */
    public synchronized void startBroker() {
        if (kafka == null) {
            kafka = EmbeddedKafka.builder()
                    .dataDir(dir.resolve("kafka"))
                    .port(kafkaPort)
                    .controllerPort(controllerPort)
                    .startupTimeout(STARTUP_TIMEOUT)
                    .start();
        }
    }

    /** Stops the registry process (a no-op if it is stopped). */
    public synchronized void stopRegistry() {
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }

    /** Starts the registry on its port and H2 file; returns once it answers. */
    public synchronized void startRegistry() {
        if (registry == null) {
            registry = EmbeddedRegistry.builder()
                    .port(registryPort)
                    .dataDir(dir)
                    .persistent(true)
                    .startupTimeout(STARTUP_TIMEOUT)
                    .start();
        }
    }

    @Override
    public synchronized void close() {
        try {
            stopBroker();
        } finally {
            stopRegistry();
        }
    }
}
