package io.streamguard.launcher.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.launcher.cli.LauncherException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kafka Connect REST API over {@code java.net.http}: put, list, status, restart and delete
 * connectors, and wait for one to run. Every failure is a {@link LauncherException} with one line:
 * the request, the HTTP status and Connect's own {@code message}.
 */
public final class ConnectClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;

    /**
     * @param url the worker's REST root, e.g. {@code http://127.0.0.1:8083}
     * @throws LauncherException if it is not an http(s) URL
     */
    public ConnectClient(String url) {
        this.base = baseUri(url);
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The URL without a trailing slash; anything but an absolute http(s) URL is refused. */
    static URI baseUri(String url) {
        Objects.requireNonNull(url, "url");
        String trimmed = url.strip().replaceAll("/+$", "");
        try {
            URI uri = URI.create(trimmed);
            if (uri.getHost() == null
                    || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new LauncherException("Connect URL must be http(s)://HOST:PORT, was '" + url + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new LauncherException("Connect URL is not a valid URL: '" + url + "'");
        }
    }

    public String url() {
        return base.toString();
    }

    /**
     * PUT {@code /connectors/{name}/config}: creates the connector or replaces its config.
     *
     * @return true if it was created, false if an existing one was updated
     */
    public boolean put(String name, Map<String, String> config) {
        String body;
        try {
            body = JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new LauncherException("could not encode the config of " + name + ": " + e.getMessage(), e);
        }
        HttpResponse<String> response =
                send("PUT", connectorPath(name) + "/config", HttpRequest.BodyPublishers.ofString(body), name);
        return response.statusCode() == 201;
    }

    /** GET {@code /connectors}: the names of all connectors, sorted. */
    public List<String> list() {
        JsonNode names = parse(send("GET", "/connectors", HttpRequest.BodyPublishers.noBody(), null), "/connectors");
        List<String> result = new ArrayList<>();
        names.forEach(n -> result.add(n.asText()));
        result.sort(null);
        return result;
    }

    /** GET {@code /connectors/{name}/status}. */
    public ConnectorStatus status(String name) {
        String path = connectorPath(name) + "/status";
        return ConnectorStatus.of(parse(send("GET", path, HttpRequest.BodyPublishers.noBody(), name), path));
    }

    /** The status, or empty if Connect does not know the connector (404). */
    public Optional<ConnectorStatus> statusIfExists(String name) {
        String path = connectorPath(name) + "/status";
        HttpResponse<String> response = exchange("GET", path, HttpRequest.BodyPublishers.noBody());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        requireSuccess("GET", path, response);
        return Optional.of(ConnectorStatus.of(parse(response, path)));
    }

    /** DELETE {@code /connectors/{name}}: stops it and removes its config. */
    public void delete(String name) {
        send("DELETE", connectorPath(name), HttpRequest.BodyPublishers.noBody(), name);
    }

    /** POST {@code /connectors/{name}/restart?includeTasks=true}: the connector and all its tasks. */
    public void restart(String name) {
        send(
                "POST",
                connectorPath(name) + "/restart?includeTasks=true&onlyFailed=false",
                HttpRequest.BodyPublishers.noBody(),
                name);
    }

    /**
     * Waits until the connector and every one of its tasks (at least one) are RUNNING.
     *
     * @throws LauncherException when the connector or a task FAILED (with the first line of its
     *     trace), or on timeout (with the last state seen)
     */
    public ConnectorStatus awaitRunning(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<ConnectorStatus> last = Optional.empty();
        while (true) {
            last = statusIfExists(name); // 404 until the herder has applied a fresh config
            if (last.isPresent()) {
                ConnectorStatus status = last.get();
                Optional<String> failure = status.failure();
                if (failure.isPresent()) {
                    throw new LauncherException("connector " + name + " failed: " + failure.get());
                }
                if (status.isRunning()) {
                    return status;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new LauncherException("connector "
                        + name
                        + " not RUNNING within "
                        + timeout.toSeconds()
                        + " s: "
                        + last.map(ConnectorStatus::summary).orElse("unknown to " + base));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("interrupted while waiting for connector " + name);
            }
        }
    }

    private static String connectorPath(String name) {
        if (name == null || name.isBlank()) {
            throw new LauncherException("a connector name must not be empty");
        }
        return "/connectors/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> send(
            String method, String path, HttpRequest.BodyPublisher body, String connectorForNotFound) {
        HttpResponse<String> response = exchange(method, path, body);
        if (response.statusCode() == 404 && connectorForNotFound != null) {
            throw new LauncherException("no connector " + connectorForNotFound + " on " + base);
        }
        requireSuccess(method, path, response);
        return response;
    }

    private HttpResponse<String> exchange(String method, String path, HttpRequest.BodyPublisher body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, body)
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LauncherException("Connect at " + base + " unreachable (" + method + " " + path + "): "
                    + Objects.toString(e.getMessage(), e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted during " + method + " " + base + path);
        }
    }

    private static void requireSuccess(String method, String path, HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new LauncherException(method + " " + path + " answered HTTP " + response.statusCode() + ": "
                    + errorMessage(response.body()));
        }
    }

    /** Connect's error body is {@code {"error_code": 400, "message": "..."}}; its first line. */
    static String errorMessage(String body) {
        String message = body;
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                message = node.get("message").asText();
            }
        } catch (IOException notJson) {
            // A proxy's HTML page or plain text: show it as it is.
        }
        return firstLine(message == null || message.isBlank() ? "(empty body)" : message);
    }

    /** The first line of {@code text} (a Java stack trace: the exception and its message), trimmed. */
    public static String firstLine(String text) {
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return (newline < 0 ? trimmed : trimmed.substring(0, newline)).strip();
    }

    private static JsonNode parse(HttpResponse<String> response, String path) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new LauncherException("GET " + path + " answered no JSON: " + firstLine(response.body()));
        }
    }

    /** A connector's state and its tasks' (from {@code /connectors/{name}/status}). */
    public record ConnectorStatus(String name, String state, String trace, List<TaskStatus> tasks) {
        public ConnectorStatus {
            tasks = List.copyOf(tasks);
        }

        static ConnectorStatus of(JsonNode node) {
            List<TaskStatus> tasks = new ArrayList<>();
            node.path("tasks")
                    .forEach(t -> tasks.add(new TaskStatus(
                            t.path("id").asInt(),
                            t.path("state").asText(),
                            t.hasNonNull("trace") ? t.get("trace").asText() : null)));
            JsonNode connector = node.path("connector");
            return new ConnectorStatus(
                    node.path("name").asText(),
                    connector.path("state").asText(),
                    connector.hasNonNull("trace") ? connector.get("trace").asText() : null,
                    tasks);
        }

        /** The connector and every task RUNNING, with at least one task. */
        public boolean isRunning() {
            return "RUNNING".equals(state)
                    && !tasks.isEmpty()
                    && tasks.stream().allMatch(t -> "RUNNING".equals(t.state()));
        }

        /** The first line of the connector's trace, or else the first FAILED task's, if any failed. */
        public Optional<String> failure() {
            if ("FAILED".equals(state)) {
                return Optional.of("connector FAILED: " + (trace == null ? "(no trace)" : firstLine(trace)));
            }
            return tasks.stream()
                    .filter(t -> "FAILED".equals(t.state()))
                    .findFirst()
                    .map(t ->
                            "task " + t.id() + " FAILED: " + (t.trace() == null ? "(no trace)" : firstLine(t.trace())));
        }

        /** {@code RUNNING, tasks 0=RUNNING 1=FAILED}. */
        public String summary() {
            StringBuilder b = new StringBuilder(state).append(", tasks");
            if (tasks.isEmpty()) {
                b.append(" (none)");
            }
            tasks.forEach(t -> b.append(' ').append(t.id()).append('=').append(t.state()));
            return b.toString();
        }
    }

    /** One task's state; {@code trace} is Connect's stack trace when it FAILED, else null. */
    public record TaskStatus(int id, String state, String trace) {}
}
