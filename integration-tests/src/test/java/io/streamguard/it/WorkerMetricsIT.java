package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.streamguard.launcher.client.StreamsRunning;
import io.streamguard.model.tokenizer.Encoding;
import io.streamguard.topology.BatchScorer;
import io.streamguard.topology.ScoredText;
import io.streamguard.topology.Worker;
import io.streamguard.topology.WorkerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A worker's /metrics on the real broker, where Kafka Streams creates all its meters (stream threads, clients,
 * both kinds of state store: the micro-batch buffer in RocksDB, the policy in memory): every one binds to the
 * Prometheus registry without a registration failure.
 */
class WorkerMetricsIT {

    /** Micrometer's Kafka binder looks for new Kafka metrics (those of the stores, once assigned) every minute. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void everyKafkaStreamsMeterIsExportedWithoutARegistrationFailure() throws Exception {
        Logger micrometer = (Logger) LoggerFactory.getLogger("io.micrometer");
        Level level = micrometer.getLevel();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        micrometer.addAppender(log);
        micrometer.setLevel(Level.DEBUG); // Micrometer says the first failure at WARN, the others at DEBUG
        WorkerConfig config = WorkerConfig.of(Map.of(
                "bootstrap.servers",
                SharedStack.bootstrap(),
                "schema.registry.url",
                SharedStack.registryUrl(),
                "application.id",
                "it-metrics-" + UUID.randomUUID(),
                "state.dir",
                dir.toString(),
                WorkerConfig.ROLE,
                "inference",
                WorkerConfig.WORKER_ID,
                "it-metrics",
                WorkerConfig.MODEL_FOLLOW,
                "false",
                WorkerConfig.METRICS_PORT,
                "0"));
        try (Worker worker = Worker.start(config, c -> new UnusedScorer())) {
            StreamsRunning.await("the worker", worker::state, PATIENCE);
            URI metrics = URI.create("http://127.0.0.1:" + worker.metricsPort() + "/metrics");

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(get(metrics))
                    .contains("state_id=\"inference-buffer\"")
                    .contains("state_id=\"moderation-policy-store\""));
            assertThat(get(metrics))
                    .doesNotContain("rocksdb_state_id", "in_memory_state_id")
                    .contains("streamguard_end_to_end_seconds_bucket", "streamguard_end_to_end_quantile_seconds{");
        } finally {
            micrometer.detachAppender(log);
            micrometer.setLevel(level);
        }
        assertThat(log.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("registration has failed") || m.contains("Failed to bind"));
    }

    private static String get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** No text reaches it: the test only needs the inference role's stores. */
    private static final class UnusedScorer implements BatchScorer {
        @Override
        public List<ScoredText> score(List<Encoding> encodings) {
            throw new UnsupportedOperationException("no texts in this test");
        }

        @Override
        public String vocabHash() {
            return "unused";
        }
    }
}
