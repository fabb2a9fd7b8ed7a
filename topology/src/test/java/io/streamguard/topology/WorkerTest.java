package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's endpoint without a broker: it must answer, and must not claim readiness. */
class WorkerTest {

    @TempDir
    Path stateDir;

    @Test
    void servesMetricsHealthAndReadiness() throws Exception {
        WorkerConfig config = WorkerConfig.of(Map.of(
                "bootstrap.servers", "127.0.0.1:1",
                "schema.registry.url", "http://127.0.0.1:1",
                "processing.guarantee", "at_least_once",
                "state.dir", stateDir.toString(),
                "streamguard.role", "tokenizer",
                "streamguard.metrics.port", "0",
                "streamguard.worker.id", "w-test"));
        try (Worker worker = Worker.start(config, c -> {
            throw new AssertionError("the tokenizer role loads no model");
        })) {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + worker.metricsPort();

            HttpResponse<String> health = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> ready = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> metrics = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(ready.statusCode()).as("no broker, never RUNNING").isEqualTo(503);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("streamguard_tokenize_time_seconds")
                    .contains("streamguard_end_to_end_seconds")
                    .contains("worker=\"w-test\"")
                    .contains("kafka_stream");
        }
    }
}
