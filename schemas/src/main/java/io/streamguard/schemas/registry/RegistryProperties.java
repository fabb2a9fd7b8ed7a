package io.streamguard.schemas.registry;

import static io.streamguard.schemas.registry.RegistryConfig.AUTO_REGISTER_SCHEMAS;
import static io.streamguard.schemas.registry.RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE;
import static io.streamguard.schemas.registry.RegistryConfig.BASIC_AUTH_USER_INFO;
import static io.streamguard.schemas.registry.RegistryConfig.CONNECT_TIMEOUT_MS;
import static io.streamguard.schemas.registry.RegistryConfig.DEFAULT_CONNECT_TIMEOUT;
import static io.streamguard.schemas.registry.RegistryConfig.DEFAULT_REQUEST_TIMEOUT;
import static io.streamguard.schemas.registry.RegistryConfig.DEFAULT_RETRIES;
import static io.streamguard.schemas.registry.RegistryConfig.DEFAULT_RETRY_BACKOFF;
import static io.streamguard.schemas.registry.RegistryConfig.DEFAULT_STORE_TYPE;
import static io.streamguard.schemas.registry.RegistryConfig.LATEST_CACHE_TTL_SEC;
import static io.streamguard.schemas.registry.RegistryConfig.REQUEST_TIMEOUT_MS;
import static io.streamguard.schemas.registry.RegistryConfig.RETRIES;
import static io.streamguard.schemas.registry.RegistryConfig.RETRY_BACKOFF_MS;
import static io.streamguard.schemas.registry.RegistryConfig.SSL_KEYSTORE_LOCATION;
import static io.streamguard.schemas.registry.RegistryConfig.SSL_KEYSTORE_PASSWORD;
import static io.streamguard.schemas.registry.RegistryConfig.SSL_KEYSTORE_TYPE;
import static io.streamguard.schemas.registry.RegistryConfig.SSL_KEY_PASSWORD;
import static io.streamguard.schemas.registry.RegistryConfig.SSL_TRUSTSTORE_LOCATION;
import static io.streamguard.schemas.registry.RegistryConfig.SSL_TRUSTSTORE_PASSWORD;
import static io.streamguard.schemas.registry.RegistryConfig.SSL_TRUSTSTORE_TYPE;
import static io.streamguard.schemas.registry.RegistryConfig.URL;
import static io.streamguard.schemas.registry.RegistryConfig.USE_LATEST_VERSION;

import io.streamguard.schemas.registry.RegistryConfig.BasicAuth;
import io.streamguard.schemas.registry.RegistryConfig.Builder;
import io.streamguard.schemas.registry.RegistryConfig.SerdeSettings;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The registry's Kafka-style properties (Confluent's names), each declared once with type, default, validation and
 * documentation as a Kafka {@link ConfigDef}, and read into a {@link RegistryConfig}. Reached through
 * {@link RegistryConfig#fromMap}, {@link RegistryConfig#configDef()} and {@link SerdeSettings#fromMap}.
 */
final class RegistryProperties {

    private static final String PREFIX = "schema.registry.";

    /** The serde keys: read on their own too, when a serde is handed a ready client. */
    static final ConfigDef SERDE_DEF = new ConfigDef()
            .define(
                    AUTO_REGISTER_SCHEMAS,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Whether the serializer registers the record's schema; when false it only looks the schema up.")
            .define(
                    USE_LATEST_VERSION,
                    Type.BOOLEAN,
                    false,
                    Importance.LOW,
                    "Whether the serializer writes with the subject's latest schema (the record is projected onto"
                            + " it); takes precedence over auto.register.schemas.")
            .define(
                    LATEST_CACHE_TTL_SEC,
                    Type.LONG,
                    -1L,
                    Importance.LOW,
                    "How long, in seconds, the serializer caches the subject's latest version; negative: forever.");

    private static final ConfigDef.Validator CREDENTIALS_SOURCE = ConfigDef.LambdaValidator.with(
            (name, value) -> {
                String text = value == null ? "" : value.toString().trim().toUpperCase(Locale.ROOT);
                if (!text.isEmpty() && !text.equals("USER_INFO") && !text.equals("URL")) {
                    throw new ConfigException("unsupported " + name + ": " + value + " (expected USER_INFO or URL)");
                }
            },
            () -> "USER_INFO or URL");

    static final ConfigDef CONFIG_DEF = new ConfigDef(SERDE_DEF)
            .define(
                    URL,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Base URL, or comma-separated URLs tried in turn on connection failure; may carry a path"
                            + " prefix, e.g. http://host:8080/apis/ccompat/v7.")
            .define(
                    BASIC_AUTH_CREDENTIALS_SOURCE,
                    Type.STRING,
                    null,
                    CREDENTIALS_SOURCE,
                    Importance.MEDIUM,
                    "Where basic-auth credentials come from: USER_INFO (basic.auth.user.info) or URL"
                            + " (http://user:pass@host). Default: USER_INFO if user info is set, else URL.")
            .define(
                    PREFIX + BASIC_AUTH_CREDENTIALS_SOURCE,
                    Type.STRING,
                    null,
                    CREDENTIALS_SOURCE,
                    Importance.LOW,
                    "Alias of " + BASIC_AUTH_CREDENTIALS_SOURCE + ".")
            .define(
                    BASIC_AUTH_USER_INFO,
                    Type.PASSWORD,
                    null,
                    Importance.MEDIUM,
                    "user:password for HTTP basic authentication (the password may contain colons).")
            .define(
                    PREFIX + BASIC_AUTH_USER_INFO,
                    Type.PASSWORD,
                    null,
                    Importance.LOW,
                    "Alias of " + BASIC_AUTH_USER_INFO + ".")
            .define(
                    SSL_TRUSTSTORE_LOCATION,
                    Type.STRING,
                    null,
                    Importance.MEDIUM,
                    "Trust store for https URLs; default: the JDK's trusted certificates.")
            .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Password of the trust store.")
            .define(
                    SSL_TRUSTSTORE_TYPE,
                    Type.STRING,
                    DEFAULT_STORE_TYPE,
                    Importance.LOW,
                    "Format of the trust store (JKS, PKCS12).")
            .define(
                    SSL_KEYSTORE_LOCATION,
                    Type.STRING,
                    null,
                    Importance.MEDIUM,
                    "Key store with the client certificate, for mutual TLS.")
            .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Password of the key store.")
            .define(
                    SSL_KEYSTORE_TYPE,
                    Type.STRING,
                    DEFAULT_STORE_TYPE,
                    Importance.LOW,
                    "Format of the key store (JKS, PKCS12).")
            .define(
                    SSL_KEY_PASSWORD,
                    Type.PASSWORD,
                    null,
                    Importance.LOW,
                    "Password of the private key in the key store; default: the key store's password.")
            .define(
                    RETRIES,
                    Type.LONG,
                    (long) DEFAULT_RETRIES,
                    Range.between(0, Integer.MAX_VALUE),
                    Importance.LOW,
                    "Retries after the first attempt, on 5xx answers and I/O errors; 0 disables retrying.")
            .define(
                    RETRY_BACKOFF_MS,
                    Type.LONG,
                    DEFAULT_RETRY_BACKOFF.toMillis(),
                    Range.atLeast(0),
                    Importance.LOW,
                    "First backoff before a retry; doubles per retry, capped at 10 s.")
            .define(
                    REQUEST_TIMEOUT_MS,
                    Type.LONG,
                    DEFAULT_REQUEST_TIMEOUT.toMillis(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "Timeout of one HTTP request.")
            .define(
                    CONNECT_TIMEOUT_MS,
                    Type.LONG,
                    DEFAULT_CONNECT_TIMEOUT.toMillis(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "Timeout of one connection attempt; short, so failover to the next URL is quick.");

    private RegistryProperties() {}

    /** Everything {@link RegistryConfig#fromMap} documents; other keys are ignored. */
    static RegistryConfig parse(Map<String, ?> props) {
        if (props.get(URL) == null) {
            throw new IllegalArgumentException("missing required property " + URL);
        }
        Parsed p = Parsed.of(CONFIG_DEF, props);
        Builder b = RegistryConfig.builder();
        List<URI> urls = RegistryConfig.parseUrls(p.getList(URL));

        String userInfo = p.firstSecret(BASIC_AUTH_USER_INFO, PREFIX + BASIC_AUTH_USER_INFO);
        String source = p.firstString(BASIC_AUTH_CREDENTIALS_SOURCE, PREFIX + BASIC_AUTH_CREDENTIALS_SOURCE);
        // Confluent defaults the source to URL, silently ignoring a configured user info; we honour it.
        if (source == null) {
            source = userInfo != null ? "USER_INFO" : "URL";
        }
        if (source.toUpperCase(Locale.ROOT).equals("USER_INFO")) {
            if (userInfo == null) {
                throw new IllegalArgumentException(
                        BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO requires " + BASIC_AUTH_USER_INFO);
            }
            b.basicAuth(BasicAuth.parse(userInfo));
        } else {
            urls.stream()
                    .map(URI::getRawUserInfo)
                    .filter(Objects::nonNull)
                    .findFirst()
                    .map(raw -> BasicAuth.parse(URLDecoder.decode(raw, StandardCharsets.UTF_8)))
                    .ifPresent(b::basicAuth);
        }
        b.urls(urls.stream().map(RegistryConfig::withoutUserInfo).toList());

        String trustLocation = p.string(SSL_TRUSTSTORE_LOCATION);
        if (trustLocation != null) {
            b.truststore(Path.of(trustLocation), p.secret(SSL_TRUSTSTORE_PASSWORD), storeType(p, SSL_TRUSTSTORE_TYPE));
        }
        String keyLocation = p.string(SSL_KEYSTORE_LOCATION);
        if (keyLocation != null) {
            b.keystore(Path.of(keyLocation), p.secret(SSL_KEYSTORE_PASSWORD), storeType(p, SSL_KEYSTORE_TYPE));
        }
        String keyPassword = p.secret(SSL_KEY_PASSWORD);
        if (keyPassword != null) {
            b.keyPassword(keyPassword);
        }
        return b.retries(Math.toIntExact(p.getLong(RETRIES)))
                .retryBackoff(Duration.ofMillis(p.getLong(RETRY_BACKOFF_MS)))
                .requestTimeout(Duration.ofMillis(p.getLong(REQUEST_TIMEOUT_MS)))
                .connectTimeout(Duration.ofMillis(p.getLong(CONNECT_TIMEOUT_MS)))
                .serde(serde(p))
                .build();
    }

    /** A blank type reads as the default too. */
    private static String storeType(Parsed p, String key) {
        String type = p.string(key);
        return type == null ? DEFAULT_STORE_TYPE : type;
    }

    /** Only the serde keys. */
    static SerdeSettings parseSerde(Map<String, ?> props) {
        return serde(Parsed.of(SERDE_DEF, props));
    }

    private static SerdeSettings serde(Parsed p) {
        long ttlSec = p.getLong(LATEST_CACHE_TTL_SEC);
        return new SerdeSettings(
                p.getBoolean(AUTO_REGISTER_SCHEMAS),
                p.getBoolean(USE_LATEST_VERSION),
                ttlSec < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(ttlSec)));
    }

    /**
     * {@code props} parsed and validated against a {@link ConfigDef}; Kafka's {@link ConfigException}s become
     * {@link IllegalArgumentException}s, as the record's own validation throws. Blank strings read as unset.
     */
    private static final class Parsed extends AbstractConfig {

        private Parsed(ConfigDef definition, Map<String, ?> props) {
            super(definition, props, false);
        }

        static Parsed of(ConfigDef definition, Map<String, ?> props) {
            Map<String, Object> known = new HashMap<>();
            props.forEach((k, v) -> {
                if (definition.names().contains(k) && v != null) {
                    known.put(k, v);
                }
            });
            try {
                return new Parsed(definition, known);
            } catch (ConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        String string(String key) {
            return blankToNull(getString(key));
        }

        String secret(String key) {
            Password value = getPassword(key);
            return value == null ? null : blankToNull(value.value());
        }

        String firstString(String key, String alias) {
            String value = string(key);
            return value != null ? value : string(alias);
        }

        String firstSecret(String key, String alias) {
            String value = secret(key);
            return value != null ? value : secret(alias);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }
    }
}
