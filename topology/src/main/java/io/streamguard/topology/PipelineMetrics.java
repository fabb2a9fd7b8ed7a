package io.streamguard.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSupport;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The pipeline's own meters (Kafka Streams' are bound separately). Names are Micrometer style; the
 * Prometheus registry renders {@code streamguard.events.in} as {@code streamguard_events_in_total}.
 *
 * <p>Each timer and the batch size are a Prometheus histogram (buckets aggregate across workers:
 * {@code histogram_quantile} over their sum) plus this worker's p50/p99 as {@code <name>_quantile{quantile}}
 * gauges (readable at a glance, not aggregatable). Separate gauges, because Micrometer's Prometheus registry
 * exports a meter with both histogram buckets and percentiles as the histogram alone.
 *
 * <p>What depends on the model carries the text's {@code language} and the {@code encoder} that scored it:
 * the events out (encoder {@code none} when no model reads the language), the decisions, the batch size and
 * the model time, so each language's model can be watched on its own.
 */
public final class PipelineMetrics {

    /** Key under which a {@code PipelineMetrics} travels in the Streams config to the error handlers. */
    public static final String CONFIG_KEY = "streamguard.metrics";

    private static final double[] PERCENTILES = {0.5, 0.99};

    private final MeterRegistry registry;
    private final Timer queueWait;
    private final Timer tokenizeTime;
    private final Timer endToEnd;
    /** Per encoder: its batch size and model time, registered with its first batch. */
    private final Map<String, ModelMeters> models = new ConcurrentHashMap<>();

    private final Counter batchFailures;
    private final Counter registryUnavailable;
    private final AtomicLong registryUnavailableAtMs = new AtomicLong(Long.MIN_VALUE);

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.queueWait =
                timer("streamguard.queue.wait", "Time a record waited in the micro-batch buffer", Tags.empty());
        this.tokenizeTime =
                timer("streamguard.tokenize.time", "Language detection and tokenizer time per text", Tags.empty());
        this.endToEnd = timer(
                "streamguard.end.to.end",
                "From the text-events record timestamp to the labeled event's emission",
                Tags.empty());
        this.batchFailures = Counter.builder("streamguard.batch.failures")
                .description("Engine calls that failed for a whole batch (texts then retried one by one)")
                .register(registry);
        this.registryUnavailable = Counter.builder("streamguard.registry.unavailable")
                .description("Records whose schema the registry could not give (unreachable or 5xx); each failed"
                        + " its stream thread, which was replaced and read the record again")
                .register(registry);
    }

    /** One encoder's batch size and engine time. */
    private record ModelMeters(DistributionSummary batchSize, Timer modelTime) {}

    private ModelMeters model(String encoder, String language) {
        return models.computeIfAbsent(encoder, e -> {
            Tags tags = Tags.of("encoder", e, "language", language);
            DistributionSummary size = DistributionSummary.builder("streamguard.batch.size")
                    .description("Texts per engine call")
                    .tags(tags)
                    .publishPercentiles(PERCENTILES)
                    .publishPercentileHistogram()
                    .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                    .register(registry);
            quantiles("streamguard.batch.size", null, size, ValueAtPercentile::value, tags);
            return new ModelMeters(size, timer("streamguard.model.time", "Engine time per batch", tags));
        });
    }

    private Timer timer(String name, String description, Tags tags) {
        Timer timer = Timer.builder(name)
                .description(description)
                .tags(tags)
                .publishPercentiles(PERCENTILES)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        quantiles(name, "seconds", timer, v -> v.value(TimeUnit.SECONDS), tags);
        return timer;
    }

    /** {@code name.quantile{quantile=0.5|0.99}}: the meter's percentiles over the last minute or so. */
    private void quantiles(
            String name,
            String baseUnit,
            HistogramSupport meter,
            ToDoubleFunction<ValueAtPercentile> value,
            Tags tags) {
        for (double percentile : PERCENTILES) {
            Gauge.builder(name + ".quantile", meter, m -> percentile(m, percentile, value))
                    .description("This worker's p50 and p99 of " + name + " (not aggregatable across workers)")
                    .baseUnit(baseUnit)
                    .tag("quantile", Double.toString(percentile))
                    .tags(tags)
                    .register(registry);
        }
    }

    private static double percentile(
            HistogramSupport meter, double percentile, ToDoubleFunction<ValueAtPercentile> value) {
        for (ValueAtPercentile v : meter.takeSnapshot().percentileValues()) {
            if (v.percentile() == percentile) {
                return value.applyAsDouble(v);
            }
        }
        return Double.NaN;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A record needed the registry and it was away: counted, and remembered for {@link WorkerHealth}. */
    void registryUnavailable() {
        registryUnavailable.increment();
        registryUnavailableAtMs.set(System.currentTimeMillis());
    }

    /** When a record last found the registry away (epoch ms), {@link Long#MIN_VALUE} if never. */
    long registryUnavailableAtMs() {
        return registryUnavailableAtMs.get();
    }

    void eventIn(String stage) {
        registry.counter("streamguard.events.in", "stage", stage).increment();
    }

    /**
     * A labeled event emitted: its decision, the label that triggered it first ({@code none}), its language and
     * the encoder that scored it ({@code none} if no model reads its language).
     */
    void eventOut(String decision, String topLabel, String language, String encoder) {
        registry.counter("streamguard.events.out", "decision", decision, "language", language, "encoder", encoder)
                .increment();
        registry.counter("streamguard.decisions", "decision", decision, "label", topLabel, "language", language)
                .increment();
    }

    void deadLetter(DeadLetterReason reason) {
        registry.counter("streamguard.dlq.records", "reason", reason.name()).increment();
    }

    /**
     * Registers {@code encoder}'s batch size and model time now, so /metrics shows them before its first batch,
     * and {@code streamguard_model_precision{encoder, precision} 1}: the arithmetic it runs in.
     */
    void serving(String encoder, String language, String precision) {
        model(encoder, language);
        Gauge.builder("streamguard.model.precision", () -> 1)
                .tags(Tags.of("encoder", encoder, "precision", precision))
                .strongReference(true)
                .register(registry);
    }

    /** One engine call of {@code encoder} (which reads {@code language}) on {@code size} texts. */
    void batch(String encoder, String language, int size, long modelNanos) {
        ModelMeters meters = model(encoder, language);
        meters.batchSize().record(size);
        meters.modelTime().record(modelNanos, TimeUnit.NANOSECONDS);
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

    /** A text {@code encoder}'s repeat cache answered ({@code hit}) or sent to the encoder. */
    void repeatCache(String encoder, boolean hit) {
        registry.counter("streamguard.repeat.cache", "encoder", encoder, "result", hit ? "hit" : "miss")
                .increment();
    }

    void modelSwapped(String encoder) {
        registry.counter("streamguard.model.swaps", "encoder", encoder).increment();
    }

    /** A model version this worker will not serve: other-encoder, incompatible, unreadable or undecodable. */
    void modelVersionRefused(String reason) {
        registry.counter("streamguard.model.versions.refused", "reason", reason).increment();
    }
}
