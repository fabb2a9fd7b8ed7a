package io.streamguard.launcher.client;

import io.streamguard.avro.TextEvent;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig;
import io.streamguard.schemas.registry.RegistryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The connector configs of {@code connectors/config/} put on a Connect worker: read, pointed at the
 * PostgreSQL, registry and broker in use ({@link ConnectionSettings}), created or updated, awaited. What
 * {@code connectors apply} and {@code up} both do.
 */
public final class ConnectorConfigs {
    /** Where the files are in a checkout. */
    public static final Path CONFIG_IN_CHECKOUT = Path.of("connectors", "config");

    /** One connector put on the worker. */
    public record Applied(String name, boolean created, String connectorClass) {}

    private ConnectorConfigs() {}

    /**
     * Every {@code *.json} of {@code dir}, by file name.
     *
     * @throws IllegalArgumentException with a one-line reason naming the file if the dir has none or a
     *     file is not a connector config (a usage error)
     * @throws LauncherException if a file cannot be read
     */
    public static List<ConnectorFile> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no connector config dir " + dir);
        }
        List<Path> paths;
        try (Stream<Path> entries = Files.list(dir)) {
            paths = entries.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new LauncherException("could not list " + dir + ": " + e.getMessage(), e);
        }
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no *.json connector configs in " + dir);
        }
        List<ConnectorFile> files = new ArrayList<>();
        for (Path path : paths) {
            try {
                files.add(ConnectorFile.parse(Files.readString(path)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ": " + e.getMessage());
            } catch (IOException e) {
                throw new LauncherException("could not read " + path + ": " + e.getMessage(), e);
            }
        }
        return files;
    }

    /**
     * Registers the {@code TextEvent} schema under {@code text-events-value} (idempotent). A source that
     * writes {@code text-events} with the subject's latest schema ({@code use.latest.version}, so its records
     * carry the pipeline's own schema rather than one derived from the table) needs the subject to exist
     * before its first row; on a fresh registry no producer may have written yet.
     */
    static void registerTextEventSchema(String registryUrl) {
        RegistryClient registry = RegistryClient.create(
                RegistryConfig.fromMap(ClientSecurity.current().registry(registryUrl)));
        try {
            registry.register(Topics.TEXT_EVENTS + "-value", TextEvent.getClassSchema());
        } catch (RegistryException e) {
            throw new LauncherException(
                    "could not register the TextEvent schema the comments source writes with: " + e.getMessage(), e);
        }
    }

    /**
     * Creates or updates each connector with {@code settings} applied; returns what it did, in order. For a
     * connector whose value converter writes with the latest schema, the {@code TextEvent} subject is
     * registered first at its registry (our one such connector, the comments source, writes {@code
     * text-events}).
     */
    public static List<Applied> apply(ConnectClient client, List<ConnectorFile> files, ConnectionSettings settings) {
        List<Applied> applied = new ArrayList<>();
        for (ConnectorFile file : files) {
            Map<String, String> config = settings.applyTo(file.config());
            String registryUrl = config.get("value.converter.schema.registry.url");
            if ("true".equals(config.get("value.converter.use.latest.version")) && registryUrl != null) {
                registerTextEventSchema(registryUrl);
            }
            boolean created = client.put(file.name(), config);
            applied.add(new Applied(file.name(), created, config.getOrDefault("connector.class", "?")));
        }
        return applied;
    }

    /**
     * Every connector config of {@code dir} ({@link #read}) created or updated on {@code client} with {@code
     * settings} ({@link #apply}); returns the files, to {@link #awaitRunning await}. What {@code up} and
     * {@code bench connectors} do with the checkout's configs and their own stack.
     *
     * @throws IllegalArgumentException with a one-line reason if the dir holds no connector config
     */
    public static List<ConnectorFile> applyDir(ConnectClient client, Path dir, ConnectionSettings settings) {
        List<ConnectorFile> files = read(dir);
        apply(client, files, settings);
        return files;
    }

    /**
     * Waits until every connector and its tasks run.
     *
     * @throws LauncherException naming the first one that failed (first line of its trace) or did not
     *     start in time
     */
    public static void awaitRunning(ConnectClient client, List<ConnectorFile> files, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ConnectorFile file : files) {
            long left = Math.max(1, deadline - System.nanoTime());
            client.awaitRunning(file.name(), Duration.ofNanos(left));
        }
    }
}
