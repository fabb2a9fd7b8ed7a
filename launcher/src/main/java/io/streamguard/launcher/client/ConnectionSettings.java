package io.streamguard.launcher.client;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the connectors of {@code connectors/config/} connect, given on the command line: the files
 * name the stack's default addresses, and {@code connectors apply} points them at the ones in use.
 * Only the settings a file already has (or its connector class needs) are replaced, each by the
 * option given; an option not given leaves the file's value.
 *
 * <ul>
 *   <li>the Debezium JDBC sink: {@code connection.url}, {@code connection.username}, {@code
 *       connection.password};
 *   <li>the Debezium PostgreSQL source: {@code database.hostname}, {@code database.port}, {@code
 *       database.user}, {@code database.password}, {@code database.dbname};
 *   <li>every {@code *.converter.schema.registry.url} (key and value converters, with or without a
 *       prefix), and every {@code *bootstrap.servers} a connector names for its own clients;
 *   <li>beside each such registry URL, the {@code registrySecurity} keys ({@code basic.auth.*}, {@code
 *       schema.registry.ssl.*}) under the same converter prefix, for a registry behind basic auth and TLS.
 * </ul>
 */
public record ConnectionSettings(
        Optional<Postgres> postgres,
        Optional<String> registryUrl,
        Optional<String> bootstrap,
        Map<String, String> registrySecurity) {
    static final String JDBC_SINK = "io.debezium.connector.jdbc.JdbcSinkConnector";
    static final String POSTGRES_SOURCE = "io.debezium.connector.postgresql.PostgresConnector";

    public ConnectionSettings {
        registrySecurity = Map.copyOf(registrySecurity);
    }

    /** Connections to services without credentials. */
    public ConnectionSettings(Optional<Postgres> postgres, Optional<String> registryUrl, Optional<String> bootstrap) {
        this(postgres, registryUrl, bootstrap, Map.of());
    }

    /** {@code config} with the connection settings replaced; a new map in the same key order. */
    public Map<String, String> applyTo(Map<String, String> config) {
        Map<String, String> result = new LinkedHashMap<>(config);
        String connectorClass = config.getOrDefault("connector.class", "");
        postgres.ifPresent(pg -> {
            if (JDBC_SINK.equals(connectorClass) || config.containsKey("connection.url")) {
                result.put("connection.url", pg.jdbcUrl());
                pg.user().ifPresent(user -> result.put("connection.username", user));
                pg.password().ifPresent(password -> result.put("connection.password", password));
            }
            if (POSTGRES_SOURCE.equals(connectorClass) || config.containsKey("database.hostname")) {
                result.put("database.hostname", pg.host());
                result.put("database.port", String.valueOf(pg.port()));
                result.put("database.dbname", pg.database());
                pg.user().ifPresent(user -> result.put("database.user", user));
                pg.password().ifPresent(password -> result.put("database.password", password));
            }
        });
        for (String key : config.keySet()) {
            if (key.endsWith("converter.schema.registry.url")) {
                registryUrl.ifPresent(url -> result.put(key, url));
                String prefix = key.substring(0, key.length() - "schema.registry.url".length());
                registrySecurity.forEach((k, v) -> result.put(prefix + k, v));
            } else if (key.endsWith("bootstrap.servers")) {
                bootstrap.ifPresent(servers -> result.put(key, servers));
            }
        }
        return result;
    }

    /** The registry credentials are secrets: only their keys are shown. */
    @Override
    public String toString() {
        return "ConnectionSettings[postgres=" + postgres.map(Postgres::jdbcUrl) + ", registryUrl=" + registryUrl
                + ", bootstrap=" + bootstrap + ", registrySecurity=" + registrySecurity.keySet() + "]";
    }

    /**
     * A PostgreSQL JDBC URL taken apart: {@code jdbc:postgresql://HOST[:PORT]/DB[?user=U&password=P&...]}.
     * The sink gets {@link #jdbcUrl()} (the URL without user and password, which it takes as
     * settings of their own); the source gets the parts.
     */
    public record Postgres(
            String host, int port, String database, String jdbcUrl, Optional<String> user, Optional<String> password) {
        static final String PREFIX = "jdbc:postgresql://";
        static final int DEFAULT_PORT = 5432;

        /**
         * @throws IllegalArgumentException with a one-line reason if {@code url} is not of that form
         */
        public static Postgres parse(String url) {
            if (url == null || !url.startsWith(PREFIX)) {
                throw new IllegalArgumentException(
                        "--postgres must be a jdbc:postgresql://HOST[:PORT]/DB[?user=U&password=P] URL, was '" + url
                                + "'");
            }
            URI uri;
            try {
                uri = URI.create(url.substring("jdbc:".length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--postgres is not a valid URL: '" + url + "'");
            }
            String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            if (uri.getHost() == null || database.isEmpty() || database.contains("/")) {
                throw new IllegalArgumentException(
                        "--postgres must name one host and a database (jdbc:postgresql://HOST[:PORT]/DB), was '" + url
                                + "'");
            }
            int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
            Optional<String> user = Optional.empty();
            Optional<String> password = Optional.empty();
            List<String> otherParams = new ArrayList<>();
            if (uri.getRawQuery() != null) {
                for (String param : uri.getRawQuery().split("&")) {
                    if (param.isEmpty()) {
                        continue;
                    }
                    int eq = param.indexOf('=');
                    String name = eq < 0 ? param : param.substring(0, eq);
                    String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
                    switch (name) {
                        case "user" -> user = Optional.of(value);
                        case "password" -> password = Optional.of(value);
                        default -> otherParams.add(param);
                    }
                }
            }
            String jdbcUrl = PREFIX + uri.getHost() + ":" + port + "/" + database
                    + (otherParams.isEmpty() ? "" : "?" + String.join("&", otherParams));
            return new Postgres(uri.getHost(), port, database, jdbcUrl, user, password);
        }
    }
}
