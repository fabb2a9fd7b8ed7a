package io.streamguard.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionSettingsTest {
    private static final String SINK_FILE = """
            {"name": "verdicts-sink", "config": {
              "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
              "topics": "moderation-verdicts",
              "connection.url": "jdbc:postgresql://localhost:5432/streamguard",
              "connection.username": "postgres",
              "connection.password": "postgres",
              "tasks.max": 1,
              "value.converter": "io.streamguard.connectors.AvroConverter",
              "value.converter.schema.registry.url": "http://127.0.0.1:8081/apis/ccompat/v7",
              "key.converter.schema.registry.url": "http://127.0.0.1:8081/apis/ccompat/v7"}}
            """;
    private static final String SOURCE_FILE = """
            {"name": "comments-source", "config": {
              "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
              "database.hostname": "localhost", "database.port": "5432",
              "database.user": "postgres", "database.password": "postgres", "database.dbname": "streamguard",
              "plugin.name": "pgoutput",
              "schema.history.internal.kafka.bootstrap.servers": "127.0.0.1:9092"}}
            """;

    private static final ConnectionSettings ALL = new ConnectionSettings(
            Optional.of(ConnectionSettings.Postgres.parse(
                    "jdbc:postgresql://db.example:6543/moderation?user=app&password=s%3Dcret&sslmode=disable")),
            Optional.of("http://registry:18081/apis/ccompat/v7"),
            Optional.of("broker:19092"));

    @Test
    void aSinkGetsTheJdbcUrlWithoutCredentialsAndTheCredentialsAsItsOwnSettings() {
        Map<String, String> config = ALL.applyTo(ConnectorFile.parse(SINK_FILE).config());

        assertThat(config)
                .containsEntry("connection.url", "jdbc:postgresql://db.example:6543/moderation?sslmode=disable")
                .containsEntry("connection.username", "app")
                .containsEntry("connection.password", "s=cret")
                .containsEntry("value.converter.schema.registry.url", "http://registry:18081/apis/ccompat/v7")
                .containsEntry("key.converter.schema.registry.url", "http://registry:18081/apis/ccompat/v7")
                .containsEntry("topics", "moderation-verdicts")
                .containsEntry("tasks.max", "1")
                .doesNotContainKeys("database.hostname", "database.port");
    }

    @Test
    void thePostgresSourceGetsTheUrlsParts() {
        Map<String, String> config =
                ALL.applyTo(ConnectorFile.parse(SOURCE_FILE).config());

        assertThat(config)
                .containsEntry("database.hostname", "db.example")
                .containsEntry("database.port", "6543")
                .containsEntry("database.user", "app")
                .containsEntry("database.password", "s=cret")
                .containsEntry("database.dbname", "moderation")
                .containsEntry("schema.history.internal.kafka.bootstrap.servers", "broker:19092")
                .containsEntry("plugin.name", "pgoutput")
                .doesNotContainKeys("connection.url");
    }

    @Test
    void optionsNotGivenLeaveTheFilesValues() {
        ConnectionSettings onlyPostgres = new ConnectionSettings(
                Optional.of(ConnectionSettings.Postgres.parse("jdbc:postgresql://pg/db")),
                Optional.empty(),
                Optional.empty());
        Map<String, String> original = ConnectorFile.parse(SINK_FILE).config();

        Map<String, String> config = onlyPostgres.applyTo(original);

        assertThat(config)
                .containsEntry("connection.url", "jdbc:postgresql://pg:5432/db")
                // no user/password in the URL: the file's stay
                .containsEntry("connection.username", "postgres")
                .containsEntry("connection.password", "postgres")
                .containsEntry("value.converter.schema.registry.url", "http://127.0.0.1:8081/apis/ccompat/v7");
        assertThat(new ConnectionSettings(Optional.empty(), Optional.empty(), Optional.empty()).applyTo(original))
                .isEqualTo(original);
    }

    @Test
    void keepsTheFilesKeyOrderAndLeavesItsMapAlone() {
        Map<String, String> original = new LinkedHashMap<>(Map.of("connector.class", ConnectionSettings.JDBC_SINK));
        original.put("connection.url", "jdbc:postgresql://old/db");

        Map<String, String> config = ALL.applyTo(original);

        assertThat(config.keySet()).startsWith("connector.class", "connection.url");
        assertThat(original).containsEntry("connection.url", "jdbc:postgresql://old/db");
    }

    @Test
    void registryCredentialsGoBesideEachConvertersRegistryUrlAndStayOutOfToString() {
        ConnectionSettings secured = new ConnectionSettings(
                Optional.empty(),
                Optional.of("https://127.0.0.1:8081/apis/ccompat/v7"),
                Optional.empty(),
                Map.of("basic.auth.user.info", "connect:s3cret", "schema.registry.ssl.truststore.location", "/t.p12"));
        Map<String, String> applied =
                secured.applyTo(ConnectorFile.parse(SINK_FILE).config());

        assertThat(applied)
                .containsEntry("value.converter.schema.registry.url", "https://127.0.0.1:8081/apis/ccompat/v7")
                .containsEntry("value.converter.basic.auth.user.info", "connect:s3cret")
                .containsEntry("key.converter.basic.auth.user.info", "connect:s3cret")
                .containsEntry("value.converter.schema.registry.ssl.truststore.location", "/t.p12")
                .doesNotContainKey("basic.auth.user.info");
        assertThat(secured.toString()).doesNotContain("s3cret").contains("basic.auth.user.info");
    }

    @Test
    void parsesAPostgresJdbcUrl() {
        ConnectionSettings.Postgres pg = ConnectionSettings.Postgres.parse("jdbc:postgresql://127.0.0.1/streamguard");

        assertThat(pg.host()).isEqualTo("127.0.0.1");
        assertThat(pg.port()).isEqualTo(5432);
        assertThat(pg.database()).isEqualTo("streamguard");
        assertThat(pg.user()).isEmpty();
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/streamguard");
    }

    @Test
    void refusesWhatIsNotAPostgresJdbcUrl() {
        assertThatThrownBy(() -> ConnectionSettings.Postgres.parse("jdbc:mysql://h/db"))
                .hasMessage("--postgres must be a jdbc:postgresql://HOST[:PORT]/DB[?user=U&password=P] URL, was"
                        + " 'jdbc:mysql://h/db'");
        assertThatThrownBy(() -> ConnectionSettings.Postgres.parse("jdbc:postgresql://h:5432"))
                .hasMessageStartingWith("--postgres must name one host and a database");
        assertThatThrownBy(() -> ConnectionSettings.Postgres.parse("jdbc:postgresql://h a/db"))
                .hasMessage("--postgres is not a valid URL: 'jdbc:postgresql://h a/db'");
    }
}
