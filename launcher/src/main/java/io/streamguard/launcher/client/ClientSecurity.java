package io.streamguard.launcher.client;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.schemas.registry.RegistryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The credentials the CLI's clients connect with: Kafka's {@code security.protocol}, {@code sasl.*} and
 * {@code ssl.*}, and the registry's {@code basic.auth.*} and {@code schema.registry.ssl.*} (Confluent's
 * names), from a client properties file ({@code --config FILE} or {@code $STREAMGUARD_CONFIG}, e.g. one
 * that {@code up --secure} wrote) and then {@code STREAMGUARD_<KEY>} variables (dots as underscores, as the
 * worker reads them). Every key is Kafka's or {@link RegistryConfig}'s, declared and validated by their
 * ConfigDefs; this class only selects them, so a whole client properties file can be given.
 *
 * <p>One instance per process ({@link #current()}): every Kafka client and registry client of a CLI command
 * is built through {@link KafkaClients#common} or {@link #registry}, so no command carries it around.
 */
public final class ClientSecurity {
    public static final String CONFIG_ENV = "STREAMGUARD_CONFIG";
    private static final List<String> KAFKA_PREFIXES = List.of("security.protocol", "sasl.", "ssl.");
    private static final List<String> REGISTRY_PREFIXES =
            List.of("basic.auth.", "schema.registry.basic.auth.", "schema.registry.ssl.");
    private static final String ENV_PREFIX = "STREAMGUARD_";

    private static volatile ClientSecurity current;

    private final Map<String, String> settings;

    private ClientSecurity(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** No credentials: plaintext Kafka, anonymous registry. */
    public static ClientSecurity none() {
        return new ClientSecurity(Map.of());
    }

    /** The security keys of {@code properties}; every other key is ignored. */
    public static ClientSecurity of(Map<String, ?> properties) {
        Map<String, String> out = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (v != null && (isKafkaKey(k) || isRegistryKey(k))) {
                out.put(k, v.toString());
            }
        });
        return new ClientSecurity(out);
    }

    /**
     * {@code file} (may be null), then the {@code STREAMGUARD_*} variables of {@code environment} naming a
     * security key; later sources win.
     *
     * @throws LauncherException if the file cannot be read
     */
    public static ClientSecurity load(Path file, Map<String, String> environment) {
        Map<String, String> merged = new TreeMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new LauncherException("cannot read client config " + file + ": " + e.getMessage(), e);
            }
            p.stringPropertyNames().forEach(k -> merged.put(k, p.getProperty(k).trim()));
        }
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && !name.equals(CONFIG_ENV)) {
                merged.put(
                        name.substring(ENV_PREFIX.length())
                                .toLowerCase(Locale.ROOT)
                                .replace('_', '.'),
                        value);
            }
        });
        return of(merged);
    }

    /** The process's credentials: what the last parsed command line chose, else {@code $STREAMGUARD_CONFIG} and the environment. */
    public static ClientSecurity current() {
        ClientSecurity c = current;
        if (c == null) {
            String file = System.getenv(CONFIG_ENV);
            c = load(file == null || file.isBlank() ? null : Path.of(file), System.getenv());
            current = c;
        }
        return c;
    }

    /**
     * Makes {@code security} the process's credentials (the CLI's {@code --config}, or {@code up --secure}); null
     * returns to those of {@code $STREAMGUARD_CONFIG} and the environment.
     */
    public static void use(ClientSecurity security) {
        current = security;
    }

    /** The Kafka client keys: security.protocol, sasl.*, ssl.*. */
    public Map<String, Object> kafka() {
        Map<String, Object> out = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (isKafkaKey(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** A registry client's properties: {@code url} with the basic auth and TLS keys. */
    public Map<String, Object> registry(String url) {
        Map<String, Object> out = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (isRegistryKey(k)) {
                out.put(k, v);
            }
        });
        out.put(RegistryConfig.URL, url);
        return out;
    }

    /** Every setting, Kafka's and the registry's: for configs that hand both to their clients (worker, retrainer). */
    public Map<String, String> properties() {
        return settings;
    }

    public boolean isEmpty() {
        return settings.isEmpty();
    }

    private static boolean isKafkaKey(String key) {
        return KAFKA_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static boolean isRegistryKey(String key) {
        return REGISTRY_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** The keys only: values include passwords. */
    @Override
    public String toString() {
        return "ClientSecurity" + settings.keySet();
    }
}
