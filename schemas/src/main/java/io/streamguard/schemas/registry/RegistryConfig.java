package io.streamguard.schemas.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Immutable settings for a {@link RegistryClient} and the serdes using it.
 *
 * <p>Build one with {@link #builder()}, or from Kafka-style properties with {@link #fromMap(Map)}, which
 * reads Confluent's property names so existing client configs carry over. Every property is declared once, with
 * its type, default, validation and documentation, in {@link #configDef()} (Kafka's {@link ConfigDef}, so
 * {@code configDef().toHtml()} or {@code toRst()} documents them): the URL is required, everything else has a
 * default.
 *
 * <p>Keys prefixed {@code schema.registry.} are also accepted for the two {@code basic.auth.*} keys, as
 * Confluent's clients do.
 */
public record RegistryConfig(
        List<URI> urls,
        Optional<BasicAuth> basicAuth,
        Optional<KeyStoreRef> truststore,
        Optional<KeyStoreRef> keystore,
        Optional<String> keyPassword,
        Duration connectTimeout,
        Duration requestTimeout,
        int retries,
        Duration retryBackoff,
        SerdeSettings serde) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    public static final String RETRIES = "schema.registry.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";

    public static final int DEFAULT_RETRIES = 3;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final String DEFAULT_STORE_TYPE = "JKS";

    public RegistryConfig {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(URL + " must name at least one URL");
        }
        for (URI url : urls) {
            String scheme = url.getScheme();
            boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
            if (!http || url.getHost() == null) {
                throw new IllegalArgumentException("registry URL must be an absolute http(s) URL: " + url);
            }
            if (url.getRawUserInfo() != null) {
                throw new IllegalArgumentException(
                        "registry URL must not carry credentials (use basicAuth or credentials source URL): "
                                + redact(url));
            }
        }
        Objects.requireNonNull(basicAuth, "basicAuth");
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(keyPassword, "keyPassword");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0: " + retries);
        }
        if (retryBackoff.isNegative()) {
            throw new IllegalArgumentException("retryBackoff must be >= 0: " + retryBackoff);
        }
        Objects.requireNonNull(serde, "serde");
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the properties listed in the class comment; other keys are ignored, so a whole Kafka client
     * config can be passed (as {@code Serializer.configure} does).
     *
     * @throws IllegalArgumentException if the URL is missing or a value is malformed
     */
    public static RegistryConfig fromMap(Map<String, ?> props) {
        return RegistryProperties.parse(props);
    }

    /**
     * Every property {@link #fromMap} reads, with type, default, validation and documentation: the source of
     * generated configuration docs.
     */
    public static ConfigDef configDef() {
        return new ConfigDef(RegistryProperties.CONFIG_DEF);
    }

    @Override
    public String toString() {
        return "RegistryConfig[urls=" + urls + ", basicAuth=" + basicAuth + ", truststore=" + truststore
                + ", keystore=" + keystore + ", keyPassword=" + keyPassword.map(p -> "[hidden]")
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", retries=" + retries + ", retryBackoff=" + retryBackoff + ", serde=" + serde + "]";
    }

    /** HTTP basic credentials. */
    public record BasicAuth(String username, String password) {

        public BasicAuth {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        /** Parses {@code user:password}; the password may itself contain colons. */
        public static BasicAuth parse(String userInfo) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must have the form user:password");
            }
            return new BasicAuth(userInfo.substring(0, colon), userInfo.substring(colon + 1));
        }

        @Override
        public String toString() {
            return "BasicAuth[username=" + username + ", password=[hidden]]";
        }
    }

    /** A key or trust store file; {@code password} may be null for trust stores. */
    public record KeyStoreRef(Path location, String password, String type) {

        public KeyStoreRef {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return "KeyStoreRef[location=" + location + ", type=" + type + ", password="
                    + (password == null ? "none" : "[hidden]") + "]";
        }
    }

    /**
     * How the serdes use the registry.
     *
     * @param autoRegisterSchemas register the record's schema on first use; otherwise it must exist
     * @param useLatestVersion write with the subject's latest schema (the record is projected onto it);
     *     takes precedence over {@code autoRegisterSchemas}
     * @param latestCacheTtl how long that latest version is cached; empty means forever
     */
    public record SerdeSettings(
            boolean autoRegisterSchemas, boolean useLatestVersion, Optional<Duration> latestCacheTtl) {

        public static final SerdeSettings DEFAULTS = new SerdeSettings(true, false, Optional.empty());

        public SerdeSettings {
            Objects.requireNonNull(latestCacheTtl, "latestCacheTtl");
            latestCacheTtl.filter(Duration::isNegative).ifPresent(ttl -> {
                throw new IllegalArgumentException("latestCacheTtl must be >= 0: " + ttl);
            });
        }

        /** Reads only the serde keys; used when a serde is given a ready client but still configured. */
        public static SerdeSettings fromMap(Map<String, ?> props) {
            return RegistryProperties.parseSerde(props);
        }
    }

    /** Mutable builder; every setter is optional except a URL. */
    public static final class Builder {
        private List<URI> urls = List.of();
        private BasicAuth basicAuth;
        private KeyStoreRef truststore;
        private KeyStoreRef keystore;
        private String keyPassword;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int retries = DEFAULT_RETRIES;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private SerdeSettings serde = SerdeSettings.DEFAULTS;

        private Builder() {}

        /** One URL, or several separated by commas. */
        public Builder url(String urls) {
            return urls(parseUrls(urls));
        }

        public Builder urls(List<URI> urls) {
            this.urls = List.copyOf(urls);
            return this;
        }

        public Builder basicAuth(String username, String password) {
            return basicAuth(new BasicAuth(username, password));
        }

        public Builder basicAuth(BasicAuth basicAuth) {
            this.basicAuth = basicAuth;
            return this;
        }

        public Builder truststore(Path location, String password, String type) {
            this.truststore = new KeyStoreRef(location, password, type);
            return this;
        }

        public Builder keystore(Path location, String password, String type) {
            this.keystore = new KeyStoreRef(location, password, type);
            return this;
        }

        /** Password of the private key inside the key store; defaults to the store password. */
        public Builder keyPassword(String keyPassword) {
            this.keyPassword = keyPassword;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Retries after the first attempt; 0 disables retrying. */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        public Builder serde(SerdeSettings serde) {
            this.serde = serde;
            return this;
        }

        public Builder autoRegisterSchemas(boolean autoRegister) {
            this.serde = new SerdeSettings(autoRegister, serde.useLatestVersion(), serde.latestCacheTtl());
            return this;
        }

        public Builder useLatestVersion(boolean useLatest) {
            this.serde = new SerdeSettings(serde.autoRegisterSchemas(), useLatest, serde.latestCacheTtl());
            return this;
        }

        public RegistryConfig build() {
            return new RegistryConfig(
                    urls,
                    Optional.ofNullable(basicAuth),
                    Optional.ofNullable(truststore),
                    Optional.ofNullable(keystore),
                    Optional.ofNullable(keyPassword),
                    connectTimeout,
                    requestTimeout,
                    retries,
                    retryBackoff,
                    serde);
        }
    }

    static List<URI> parseUrls(Object value) {
        Collection<?> parts =
                value instanceof Collection<?> c ? c : List.of(value.toString().split(","));
        List<URI> urls = new ArrayList<>();
        for (Object part : parts) {
            String text = part.toString().trim();
            if (text.isEmpty()) {
                continue;
            }
            // Base URLs are joined with API paths by string concatenation, so drop trailing slashes.
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            try {
                urls.add(new URI(text));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("malformed registry URL: " + e.getMessage(), e);
            }
        }
        return urls;
    }

    static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        try {
            return new URI(
                    url.getScheme(),
                    null,
                    url.getHost(),
                    url.getPort(),
                    url.getPath(),
                    url.getQuery(),
                    url.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed registry URL: " + redact(url), e);
        }
    }

    private static String redact(URI url) {
        return url.getScheme() + "://[credentials]@" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + url.getRawPath();
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
