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
    void runningAndAnsweredIsReady() {
        responses("w-StreamThread-1-consumer", 10);
        responses("w-restore-consumer", 0);
        health.sample();
        now.addAndGet(4_000);
        responses("w-StreamThread-1-consumer", 11);
        health.sample();
        now.addAndGet(4_000);

        assertThat(health.readiness()).isEqualTo(new WorkerHealth.Status(200, "RUNNING"));
        assertThat(health.health()).isEqualTo(new WorkerHealth.Status(200, "RUNNING"));
    }

    @Test
    void brokerSilentIsHealthyButNotReadyAndSaysSinceWhen() {
        responses("w-StreamThread-1-consumer", 10);
        health.sample();
        now.addAndGet(3_000);
        health.sample();
        assertThat(health.readiness().code())
                .as("a quiet moment is not an outage")
                .isEqualTo(200);

        now.addAndGet(20_000);
        health.sample();

        assertThat(health.health().code()).isEqualTo(200);
        assertThat(health.readiness().code()).isEqualTo(503);
        assertThat(health.readiness().body()).startsWith("RUNNING, no answer from any broker for 23 s");

        responses("w-StreamThread-1-consumer", 12);
        health.sample();
        assertThat(health.readiness()).isEqualTo(new WorkerHealth.Status(200, "RUNNING"));
    }

    @Test
    void aReplacedConsumerStartingFromZeroCountsAsAnAnswer() {
        responses("w-StreamThread-1-consumer", 40);
        health.sample();
        now.addAndGet(10_000);
        metrics.clear();
        responses("w-StreamThread-2-consumer", 1);
        health.sample();

        assertThat(health.readiness().code()).isEqualTo(200);
    }

    @Test
    void registryAwayRecentlyIsNotReadyUntilItHasAnsweredForAWhile() {
        responses("w-StreamThread-1-consumer", 1);
        health.sample();
        registryAwayAt.set(now.get());
        now.addAndGet(3_000);

        assertThat(health.health().code()).isEqualTo(200);
        assertThat(health.readiness().code()).isEqualTo(503);
        assertThat(health.readiness().body()).contains("schema registry was unreachable 3 s ago");

        now.addAndGet(WorkerHealth.REGISTRY_RECENT_MS);
        responses("w-StreamThread-1-consumer", 2);
        health.sample();
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

    private void responses(String clientId, double count) {
        MetricName name = new MetricName("response-total", "consumer-metrics", "", Map.of("client-id", clientId));
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
