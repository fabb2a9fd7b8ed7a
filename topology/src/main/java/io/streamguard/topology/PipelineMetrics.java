package io.streamguard.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline's own meters (Kafka Streams' are bound separately). Names are Micrometer style; the
 * Prometheus registry renders {@code streamguard.events.in} as {@code streamguard_events_in_total}.
 */
public final class PipelineMetrics {

    /** Key under which a {@code PipelineMetrics} travels in the Streams config to the error handlers. */
    public static final String CONFIG_KEY = "streamguard.metrics";

    private static final double[] PERCENTILES = {0.5, 0.99};

    private final MeterRegistry registry;
    private final Timer queueWait;
    private final Timer modelTime;
    private final Timer tokenizeTime;
    private final Timer endToEnd;
    private final DistributionSummary batchSize;
    private final Counter batchFailures;

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.queueWait = timer("streamguard.queue.wait", "Time a record waited in the micro-batch buffer");
        this.modelTime = timer("streamguard.model.time", "Engine time per batch");
        this.tokenizeTime = timer("streamguard.tokenize.time", "Tokenizer time per text");
        this.endToEnd = timer(
                "streamguard.end.to.end", "From the text-events record timestamp to the labeled event's emission");
        this.batchSize = DistributionSummary.builder("streamguard.batch.size")
                .description("Texts per engine call")
                .publishPercentiles(PERCENTILES)
                .publishPercentileHistogram()
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(registry);
        this.batchFailures = Counter.builder("streamguard.batch.failures")
                .description("Engine calls that failed for a whole batch (texts then retried one by one)")
                .register(registry);
    }

    private Timer timer(String name, String description) {
        return Timer.builder(name)
                .description(description)
                .publishPercentiles(PERCENTILES)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void eventIn(String stage) {
        registry.counter("streamguard.events.in", "stage", stage).increment();
    }

    void eventOut(String decision, String topLabel) {
        registry.counter("streamguard.events.out", "decision", decision).increment();
        registry.counter("streamguard.decisions", "decision", decision, "label", topLabel)
                .increment();
    }

    void deadLetter(DeadLetterReason reason) {
        registry.counter("streamguard.dlq.records", "reason", reason.name()).increment();
    }

    void batch(int size, long modelNanos) {
        batchSize.record(size);
        modelTime.record(modelNanos, TimeUnit.NANOSECONDS);
    }

    void batchFailed() {
        batchFailures.increment();
    }

    void queueWait(long millis) {
        queueWait.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    void tokenized(long nanos) {
        tokenizeTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    void endToEnd(long millis) {
        endToEnd.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    void modelSwapped() {
        registry.counter("streamguard.model.swaps").increment();
    }

    /** A model version this worker will not serve: other-encoder, incompatible, unreadable or undecodable. */
    void modelVersionRefused(String reason) {
        registry.counter("streamguard.model.versions.refused", "reason", reason).increment();
    }
}
