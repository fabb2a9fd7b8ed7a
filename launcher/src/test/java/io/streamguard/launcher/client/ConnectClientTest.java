package io.streamguard.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamguard.launcher.cli.LauncherException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a stand-in for Connect's REST API that answers what Connect answers. */
class ConnectClientTest {
    private static final String FAILED_TASK = """
            {"name": "s", "connector": {"state": "RUNNING", "worker_id": "w"},
             "tasks": [{"id": 0, "state": "RUNNING", "worker_id": "w"},
                       {"id": 1, "state": "FAILED", "worker_id": "w",
                        "trace": "org.apache.kafka.connect.errors.ConnectException: cannot reach db\\n\\tat a.b.C(C.java:1)"}],
             "type": "sink"}
            """;

    private HttpServer server;
    private final Map<String, String[]> answers = new ConcurrentHashMap<>(); // "METHOD path" -> {status, body}
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private ConnectClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        client = new ConnectClient("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestMethod() + " " + exchange.getRequestURI();
        requests.add(key + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String[] answer = answers.getOrDefault(key, new String[] {"404", "{\"error_code\":404,\"message\":\"nope\"}"});
        byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Test
    void putSendsTheConfigAndTellsCreatedFromUpdated() {
        answers.put("PUT /connectors/my%20sink/config", new String[] {"201", "{}"});

        assertThat(client.put("my sink", Map.of("topics", "t"))).isTrue();
        assertThat(requests).containsExactly("PUT /connectors/my%20sink/config {\"topics\":\"t\"}");

        answers.put("PUT /connectors/my%20sink/config", new String[] {"200", "{}"});
        assertThat(client.put("my sink", Map.of("topics", "t"))).isFalse();
    }

    @Test
    void aRefusedConfigIsOneLineWithConnectsMessage() {
        answers.put("PUT /connectors/s/config", new String[] {
            "400", "{\"error_code\":400,\"message\":\"Connector configuration is invalid and contains errors\\nmore\"}"
        });

        assertThatThrownBy(() -> client.put("s", Map.of()))
                .isInstanceOf(LauncherException.class)
                .hasMessage("PUT /connectors/s/config answered HTTP 400: Connector configuration is invalid and"
                        + " contains errors");
    }

    @Test
    void listStatusAndAnUnknownConnector() {
        answers.put("GET /connectors", new String[] {"200", "[\"b\",\"a\"]"});
        answers.put("GET /connectors/s/status", new String[] {"200", FAILED_TASK});

        assertThat(client.list()).containsExactly("a", "b");
        ConnectClient.ConnectorStatus status = client.status("s");
        assertThat(status.state()).isEqualTo("RUNNING");
        assertThat(status.summary()).isEqualTo("RUNNING, tasks 0=RUNNING 1=FAILED");
        assertThat(status.isRunning()).isFalse();
        assertThat(client.statusIfExists("gone")).isEmpty();
        assertThatThrownBy(() -> client.status("gone")).hasMessage("no connector gone on " + client.url());
    }

    @Test
    void awaitRunningFailsWithTheFailedTasksFirstTraceLine() {
        answers.put("GET /connectors/s/status", new String[] {"200", FAILED_TASK});

        assertThatThrownBy(() -> client.awaitRunning("s", Duration.ofSeconds(5)))
                .isInstanceOf(LauncherException.class)
                .hasMessage("connector s failed: task 1 FAILED: org.apache.kafka.connect.errors.ConnectException:"
                        + " cannot reach db");
    }

    @Test
    void awaitRunningReturnsOnceConnectorAndTasksRun() {
        answers.put("GET /connectors/s/status", new String[] {
            "200", "{\"name\":\"s\",\"connector\":{\"state\":\"RUNNING\"},\"tasks\":[{\"id\":0,\"state\":\"RUNNING\"}]}"
        });

        assertThat(client.awaitRunning("s", Duration.ofSeconds(5)).isRunning()).isTrue();
    }

    @Test
    void awaitRunningTimesOutWithTheLastStateSeen() {
        answers.put(
                "GET /connectors/s/status",
                new String[] {"200", "{\"name\":\"s\",\"connector\":{\"state\":\"RUNNING\"},\"tasks\":[]}"});

        assertThatThrownBy(() -> client.awaitRunning("s", Duration.ofMillis(300)))
                .hasMessage("connector s not RUNNING within 0 s: RUNNING, tasks (none)");
    }

    @Test
    void restartAndDeleteUseConnectsPaths() {
        answers.put("POST /connectors/s/restart?includeTasks=true&onlyFailed=false", new String[] {"202", ""});
        answers.put("DELETE /connectors/s", new String[] {"204", ""});

        client.restart("s");
        client.delete("s");

        assertThat(requests)
                .containsExactly(
                        "POST /connectors/s/restart?includeTasks=true&onlyFailed=false ", "DELETE /connectors/s ");
    }

    @Test
    void refusesAUrlThatIsNotHttp() {
        assertThatThrownBy(() -> new ConnectClient("localhost:8083"))
                .isInstanceOf(LauncherException.class)
                .hasMessage("Connect URL must be http(s)://HOST:PORT, was 'localhost:8083'");
    }
}
