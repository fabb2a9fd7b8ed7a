package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** What an orchestrator reads while a broker or the registry is away: alive, waiting, and why. */
class WorkerHealthTest {
    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.RUNNING);
    private final Map<MetricName, Metric> metrics = new HashMap<>();
    private final AtomicLong registryAwayAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final WorkerHealth health = new WorkerHealth(state::get, () -> metrics, registryAwayAt::get, now::get);

    @Test
    void runningAndConnectedIsReady() {
        connections("w-StreamThread-1-consumer", 1);
        connections("w-restore-consumer", 0);
        health.sample();

        assertThat(health.readiness()).isEqualTo(new WorkerHealth.Status(200, "RUNNING"));
        assertThat(health.health()).isEqualTo(new WorkerHealth.Status(200, "RUNNING"));
    }

    @Test
    void brokerAwayIsHealthyButNotReadyAndSaysSinceWhen() {
        connections("w-StreamThread-1-consumer", 1);
        health.sample();
        connections("w-StreamThread-1-consumer", 0);
        health.sample();
        now.addAndGet(1_000);
        health.sample();
        assertThat(health.readiness().code())
                .as("a reconnect's blink is not an outage")
                .isEqualTo(200);

        now.addAndGet(22_000);
        health.sample();

        assertThat(health.health().code()).isEqualTo(200);
        assertThat(health.readiness().code()).isEqualTo(503);
        assertThat(health.readiness().body()).startsWith("RUNNING, no connection to any broker for 23 s");

        connections("w-StreamThread-1-consumer", 1);
        health.sample();
        assertThat(health.readiness()).isEqualTo(new WorkerHealth.Status(200, "RUNNING"));
    }

    @Test
    void registryAwayRecentlyIsNotReadyUntilItHasAnsweredForAWhile() {
        connections("w-StreamThread-1-consumer", 1);
        health.sample();
        registryAwayAt.set(now.get());
        now.addAndGet(3_000);

        assertThat(health.health().code()).isEqualTo(200);
        assertThat(health.readiness().code()).isEqualTo(503);
        assertThat(health.readiness().body()).contains("schema registry was unreachable 3 s ago");

        now.addAndGet(WorkerHealth.REGISTRY_RECENT_MS);
        assertThat(health.readiness().code()).isEqualTo(200);
    }

    @Test
    void failedOrStoppingClientIsUnhealthy() {
        for (KafkaStreams.State failed : new KafkaStreams.State[] {
            KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_SHUTDOWN, KafkaStreams.State.NOT_RUNNING
        }) {
            state.set(failed);
            assertThat(health.health()).isEqualTo(new WorkerHealth.Status(503, failed.name()));
            assertThat(health.readiness().code()).isEqualTo(503);
        }
        state.set(KafkaStreams.State.REBALANCING);
        assertThat(health.health().code()).isEqualTo(200);
        assertThat(health.readiness().code()).isEqualTo(503);
    }

    private void connections(String clientId, double count) {
        MetricName name = new MetricName("connection-count", "consumer-metrics", "", Map.of("client-id", clientId));
        metrics.put(name, new Metric() {
            @Override
            public MetricName metricName() {
                return name;
            }

            @Override
            public Object metricValue() {
                return count;
            }
        });
    }
}
