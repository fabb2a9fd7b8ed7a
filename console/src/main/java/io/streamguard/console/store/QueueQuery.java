package io.streamguard.console.store;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request for a page of a {@link Queue}: the filters (each optional, all ANDed), the review
 * thresholds priority is measured against, and where the previous page ended.
 *
 * <p>Thresholds come from the live model and policy (per label, its REVIEW threshold), hence a
 * parameter rather than a table. A label without a threshold takes no part in priority.
 *
 * @param label only items with this label: the model triggered it ({@code triggered_labels} holds it) or
 *     its score reaches the label's review threshold (any score above 0 where no threshold is given)
 * @param decision only this model decision (ALLOW, REVIEW, BLOCK)
 * @param modelVersion only items scored by this version: {@code v1} of any encoder, or {@code
 *     <encoder>/<version>} (as model-versions keys them, e.g. {@code bge-small-zh/v1}) of that encoder only,
 *     since each encoder names its own versions
 * @param maxAge only items labeled at most this long before the first page's {@code asOf}
 * @param waitWeight priority points per hour of waiting (see {@link Queues})
 * @param cursor where the previous page ended; empty for the first page
 */
public record QueueQuery(
        Queue queue,
        Optional<String> label,
        Optional<String> decision,
        Optional<String> modelVersion,
        Optional<String> language,
        Optional<String> source,
        Optional<Duration> maxAge,
        Map<String, Double> reviewThresholds,
        double waitWeight,
        int limit,
        Optional<Cursor> cursor) {

    public static final int MAX_LIMIT = 1_000;
    public static final double DEFAULT_WAIT_WEIGHT = 0.1;

    public QueueQuery {
        Objects.requireNonNull(queue, "queue");
        reviewThresholds = Map.copyOf(reviewThresholds);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ConsoleException("limit must be 1.." + MAX_LIMIT + ": " + limit);
        }
        if (!(waitWeight >= 0) || Double.isInfinite(waitWeight)) {
            throw new ConsoleException("waitWeight must be a finite number >= 0: " + waitWeight);
        }
        decision.ifPresent(d -> {
            if (!d.equals("ALLOW") && !d.equals("REVIEW") && !d.equals("BLOCK")) {
                throw new ConsoleException("decision must be ALLOW, REVIEW or BLOCK: " + d);
            }
        });
        maxAge.ifPresent(a -> {
            if (a.isNegative()) {
                throw new ConsoleException("maxAge must not be negative: " + a);
            }
        });
    }

    public static Builder of(Queue queue) {
        return new Builder(queue);
    }

    /** The same query, continuing after {@code next}. */
    public QueueQuery after(Cursor next) {
        return new QueueQuery(
                queue,
                label,
                decision,
                modelVersion,
                language,
                source,
                maxAge,
                reviewThresholds,
                waitWeight,
                limit,
                Optional.of(next));
    }

    public static final class Builder {
        private final Queue queue;
        private String label;
        private String decision;
        private String modelVersion;
        private String language;
        private String source;
        private Duration maxAge;
        private Map<String, Double> thresholds = Map.of();
        private double waitWeight = DEFAULT_WAIT_WEIGHT;
        private int limit = 50;
        private Cursor cursor;

        private Builder(Queue queue) {
            this.queue = queue;
        }

        public Builder label(String value) {
            this.label = value;
            return this;
        }

        public Builder decision(String value) {
            this.decision = value;
            return this;
        }

        public Builder modelVersion(String value) {
            this.modelVersion = value;
            return this;
        }

        public Builder language(String value) {
            this.language = value;
            return this;
        }

        public Builder source(String value) {
            this.source = value;
            return this;
        }

        public Builder maxAge(Duration value) {
            this.maxAge = value;
            return this;
        }

        public Builder reviewThresholds(Map<String, Double> value) {
            this.thresholds = value;
            return this;
        }

        public Builder waitWeight(double value) {
            this.waitWeight = value;
            return this;
        }

        public Builder limit(int value) {
            this.limit = value;
            return this;
        }

        public Builder after(Cursor value) {
            this.cursor = value;
            return this;
        }

        public QueueQuery build() {
            return new QueueQuery(
                    queue,
                    Optional.ofNullable(label),
                    Optional.ofNullable(decision),
                    Optional.ofNullable(modelVersion),
                    Optional.ofNullable(language),
                    Optional.ofNullable(source),
                    Optional.ofNullable(maxAge),
                    thresholds,
                    waitWeight,
                    limit,
                    Optional.ofNullable(cursor));
        }
    }
}
