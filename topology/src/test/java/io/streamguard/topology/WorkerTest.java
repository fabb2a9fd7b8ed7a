package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.model.heads.HeadsFile;
import io.streamguard.topology.testing.SeededHeads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    private WorkerConfig inference(Path... heads) {
        return WorkerConfig.of(Map.of(
                "bootstrap.servers", "127.0.0.1:1",
                "schema.registry.url", "http://127.0.0.1:1",
                "state.dir", stateDir.toString(),
                "streamguard.role", "inference",
                "streamguard.model.encoder", "minilm-l6,bge-small-zh",
                "streamguard.model.heads",
                        String.join(
                                ",",
                                java.util.Arrays.stream(heads)
                                        .map(Path::toString)
                                        .toList()),
                "streamguard.model.follow", "false",
                "streamguard.metrics.port", "-1"));
    }

    private Path heads(String encoderId) {
        Path file = stateDir.resolve(encoderId + ".json");
        HeadsFile.write(SeededHeads.random("v1", 7, encoderId, "vocab", 8, 128), file);
        return file;
    }

    // Worker.start of an inference role waits for the policy's global store, so without a broker these call
    // the step that makes the models.
    @Test
    void theInferenceRoleLoadsOneModelPerEncoderEachWithItsOwnHeads() {
        Path zh = heads("bge-small-zh");
        Path en = heads("minilm-l6");
        FakeScorer english = new FakeScorer(Harness.TOKENIZER);
        FakeScorer chinese = english.onTheSameThread(LanguageRoutingTest.ZH_TOKENIZER);
        List<String> loaded = new ArrayList<>();
        Scorers scorers = Worker.scorers(inference(zh, en), c -> {
            loaded.add(c.encoderIds() + " " + c.headsFile().getFileName());
            return c.encoderConfig().encoderId().equals("minilm-l6") ? english : chinese;
        });
        assertThat(loaded).containsExactly("[minilm-l6] minilm-l6.json", "[bge-small-zh] bge-small-zh.json");
        assertThat(scorers.byEncoder())
                .containsExactly(Map.entry("minilm-l6", english), Map.entry("bge-small-zh", chinese));
    }

    @Test
    void oneModelHandedOutForTwoEncodersIsRefused() {
        FakeScorer english = new FakeScorer(Harness.TOKENIZER);
        assertThatThrownBy(() -> Worker.scorers(inference(heads("minilm-l6"), heads("bge-small-zh")), c -> english))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("each encoder needs its own model");
    }
}
