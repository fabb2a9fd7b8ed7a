package io.streamguard.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code applyDir}, what {@code up} and {@code bench connectors} share, against a stand-in Connect REST API. */
class ConnectorConfigsTest {
    private HttpServer server;
    private final List<String> puts = new CopyOnWriteArrayList<>();
    private ConnectClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            puts.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
        client = new ConnectClient("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void putsEveryFileOfTheDirPointedAtTheGivenAddresses(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("b-sink.json"), """
                {"name": "b", "config": {"connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
                  "connection.url": "jdbc:postgresql://127.0.0.1:5432/streamguard"}}
                """);
        Files.writeString(dir.resolve("a.json"), """
                {"name": "a", "config": {"bootstrap.servers": "127.0.0.1:9092"}}
                """);
        Files.writeString(dir.resolve("notes.txt"), "not a config");
        var settings = new ConnectionSettings(
                Optional.of(ConnectionSettings.Postgres.parse("jdbc:postgresql://127.0.0.1:6000/streamguard")),
                Optional.empty(),
                Optional.of("127.0.0.1:7000"));

        List<ConnectorFile> files = ConnectorConfigs.applyDir(client, dir, settings);

        assertThat(files).extracting(ConnectorFile::name).containsExactly("a", "b");
        assertThat(puts).hasSize(2);
        assertThat(puts.get(0)).startsWith("PUT /connectors/a/config ").contains("127.0.0.1:7000");
        assertThat(puts.get(1))
                .startsWith("PUT /connectors/b/config ")
                .contains("jdbc:postgresql://127.0.0.1:6000/streamguard")
                .doesNotContain(":5432");
    }

    @Test
    void aDirWithoutConfigsIsAOneLineUsageErrorAndPutsNothing(@TempDir Path dir) {
        var settings = new ConnectionSettings(Optional.empty(), Optional.empty(), Optional.empty());

        assertThatThrownBy(() -> ConnectorConfigs.applyDir(client, dir, settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no *.json connector configs in " + dir);
        assertThat(puts).isEmpty();
    }
}
