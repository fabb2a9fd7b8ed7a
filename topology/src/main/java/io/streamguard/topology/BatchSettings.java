package io.streamguard.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * When the inference processor runs a micro-batch: as soon as it holds {@code maxBatchSize} texts, or
 * before a text would push the padded batch ({@code texts x longest}) past {@code maxTokensPerBatch},
 * or when its oldest text has waited {@code maxWait} (wall-clock, not counting the time its stream thread
 * spent in the engine, when it could not gather more).
 *
 * <p>A micro-batch is one scorer call; the model runtime sorts it by length and cuts it into encoder
 * calls ({@link WorkerConfig#engineBatchSize()}). Hence the large default: under a backlog, 256 texts
 * sorted by length pad far less than 32 in arrival order; at low rates the wait closes batches long
 * before they fill.
 */
public record BatchSettings(int maxBatchSize, Duration maxWait, int maxTokensPerBatch) {

    public static final BatchSettings DEFAULTS = new BatchSettings(256, Duration.ofMillis(20), 256 * 128);

    public BatchSettings {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1, got " + maxBatchSize);
        }
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("maxWait must be positive, got " + maxWait);
        }
        if (maxTokensPerBatch < 1) {
            throw new IllegalArgumentException("maxTokensPerBatch must be at least 1, got " + maxTokensPerBatch);
        }
    }

    /** How often the wall-clock punctuator checks the oldest text's wait: a quarter of it, at least 1 ms. */
    Duration tick() {
        return Duration.ofMillis(Math.max(1, maxWait.toMillis() / 4));
    }
}
