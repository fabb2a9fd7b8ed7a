package io.streamguard.topology;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code /health} and {@code /ready} answer: the streams client's state, and what that state
 * hides. Kafka Streams stays RUNNING while every broker is away (its clients just retry) and replaces a
 * stream thread that failed on a registry outage without leaving RUNNING, so an orchestrator reading the
 * state alone would route traffic to a worker that cannot move, or restart one that is correctly
 * waiting.
 *
 * <ul>
 *   <li>{@code /health} is 503 only when the client has failed for good or is shutting down: a worker
 *       waiting for a broker or the registry is healthy, and restarting it would only lose its warm model.
 *   <li>{@code /ready} is 200 only when it is RUNNING, its clients hold a broker connection, and no record
 *       found the registry away in the last {@value #REGISTRY_RECENT_MS} ms. The body says which, and
 *       since when.
 * </ul>
 *
 * <p>The broker is judged by the streams client's own consumers: whether any of them got any answer
 * ({@code response-total} of Kafka's consumer metrics) lately. A running consumer always has requests out
 * (fetches return within {@code fetch.max.wait.ms}, heartbeats every few seconds), so silence means no
 * broker answers. Open connections are no such sign: a client retrying a dead broker holds a connecting
 * channel much of the time. No extra client, no extra load on the broker. {@link #sample()} runs every second.
 */
final class WorkerHealth {
    /** A record that found the registry away this recently keeps the worker not ready. */
    static final long REGISTRY_RECENT_MS = 15_000;
    /** No answer for this long counts as the broker being away (heartbeats alone answer every 3 s). */
    static final long BROKER_GRACE_MS = 5_000;

    private static final Set<KafkaStreams.State> FAILED = Set.of(
            KafkaStreams.State.ERROR,
            KafkaStreams.State.PENDING_ERROR,
            KafkaStreams.State.NOT_RUNNING,
            KafkaStreams.State.PENDING_SHUTDOWN);

    /** An HTTP status and a one-line body. */
    record Status(int code, String body) {}

    private final Supplier<KafkaStreams.State> state;
    private final Supplier<Map<MetricName, ? extends Metric>> clientMetrics;
    private final LongSupplier registryUnavailableAtMs;
    private final LongSupplier clockMs;
    private volatile double lastResponses = -1;
    private volatile long lastAnswerMs;

    WorkerHealth(
            Supplier<KafkaStreams.State> state,
            Supplier<Map<MetricName, ? extends Metric>> clientMetrics,
            LongSupplier registryUnavailableAtMs,
            LongSupplier clockMs) {
        this.state = Objects.requireNonNull(state, "state");
        this.clientMetrics = Objects.requireNonNull(clientMetrics, "clientMetrics");
        this.registryUnavailableAtMs = Objects.requireNonNull(registryUnavailableAtMs, "registryUnavailableAtMs");
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        this.lastAnswerMs = clockMs.getAsLong();
    }

    /** Notes whether the streams client's consumers got an answer from a broker since the last sample. */
    void sample() {
        double responses = responses();
        if (responses != lastResponses) {
            lastResponses = responses;
            lastAnswerMs = clockMs.getAsLong();
        }
    }

    Status health() {
        KafkaStreams.State now = state.get();
        String detail = detail();
        return new Status(FAILED.contains(now) ? 503 : 200, now + (detail.isEmpty() ? "" : ", " + detail));
    }

    Status readiness() {
        KafkaStreams.State now = state.get();
        String detail = detail();
        boolean ready = now == KafkaStreams.State.RUNNING && detail.isEmpty();
        return new Status(ready ? 200 : 503, now + (detail.isEmpty() ? "" : ", " + detail));
    }

    /** Empty when nothing is wrong below the state; else what the worker is waiting for. */
    private String detail() {
        long now = clockMs.getAsLong();
        long silent = now - lastAnswerMs;
        if (silent >= BROKER_GRACE_MS) {
            return "no answer from any broker for " + silent / 1000
                    + " s: waiting for it (clients retry; uncommitted work is redone, nothing is lost)";
        }
        long registry = registryUnavailableAtMs.getAsLong();
        if (registry != Long.MIN_VALUE && now - registry < REGISTRY_RECENT_MS) {
            return "the schema registry was unreachable " + (now - registry) / 1000
                    + " s ago: records that need a schema are retried (the stream thread is replaced), not"
                    + " dead-lettered";
        }
        return "";
    }

    /** Answers all the streams client's consumers have had (a new consumer starts from zero). */
    private double responses() {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : clientMetrics.get().entrySet()) {
            MetricName name = e.getKey();
            if (name.name().equals("response-total")
                    && name.group().equals("consumer-metrics")
                    && e.getValue().metricValue() instanceof Number n) {
                total += n.doubleValue();
            }
        }
        return total;
    }
}
