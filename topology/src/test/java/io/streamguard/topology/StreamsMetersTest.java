package io.streamguard.topology;

import static io.streamguard.topology.Harness.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams' own meters of the labeling topology, which has both kinds of state store (the micro-batch
 * buffer in RocksDB, the policy in memory), go to Prometheus without a registration failure and without
 * losing either store's meters.
 */
class StreamsMetersTest {

    @TempDir
    Path stateDir;

    @Test
    void bothKindsOfStateStoreAreExportedWithoutARegistrationFailure() {
        try (Harness h = labeling()) {
            PrometheusMeterRegistry meters = Worker.meterRegistry(Role.ALL, "w-1");
            List<String> failures = failures(meters);
            try (KafkaClientMetrics binder = binder(h.driver)) {
                binder.bindTo(meters);
                String scrape = meters.scrape();

                assertThat(failures).isEmpty();
                assertThat(scrape)
                        .containsPattern("kafka_stream_state_\\w+\\{[^}]*state_id=\"" + Stages.BUFFER_STORE + "\"")
                        .containsPattern("kafka_stream_state_\\w+\\{[^}]*state_id=\"" + Stages.POLICY_STORE + "\"")
                        .doesNotContain("rocksdb_state_id", "in_memory_state_id");
            }
        }
    }

    @Test
    void withoutTheFilterTheStoreKindsClash() {
        try (Harness h = labeling()) {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            List<String> failures = failures(meters);
            try (KafkaClientMetrics binder = binder(h.driver)) {
                binder.bindTo(meters);

                assertThat(failures)
                        .as("what the filter fixes: the state-store meters of one kind are refused")
                        .isNotEmpty()
                        .allMatch(f -> f.startsWith("kafka.stream.state."));
            }
        }
    }

    private Harness labeling() {
        Harness h = new Harness(
                stateDir,
                self -> LabelingTopology.build(
                        Harness.settings(batch(2, 20, 8192)),
                        self.serdes,
                        self.metrics,
                        Tokenizers.single("minilm-l6", Harness.TOKENIZER),
                        Scorers.single("minilm-l6", new FakeScorer(Harness.TOKENIZER))));
        h.send("e1", "a text, so that every store has been used");
        h.advance(20);
        return h;
    }

    private static List<String> failures(PrometheusMeterRegistry meters) {
        List<String> failures = new CopyOnWriteArrayList<>();
        meters.config().onMeterRegistrationFailed((Meter.Id id, String reason) -> failures.add(id.getName()));
        return failures;
    }

    /**
     * Micrometer's Kafka binder over the driver's metrics. KafkaStreamsMetrics needs a running KafkaStreams; it
     * is the same binder (KafkaMetrics) over {@code KafkaStreams::metrics} as KafkaClientMetrics is over a
     * client's {@code metrics()}, which a proxy can answer with the driver's.
     */
    private static KafkaClientMetrics binder(TopologyTestDriver driver) {
        Consumer<?, ?> metricsOnly = (Consumer<?, ?>) Proxy.newProxyInstance(
                Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("metrics")) {
                        return driver.metrics();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new KafkaClientMetrics(metricsOnly);
    }
}
