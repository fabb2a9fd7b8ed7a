package io.streamguard.console.store;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Items per queue, and how long the oldest pending item has waited (empty when none is pending). */
public record QueueCounts(Map<Queue, Long> counts, Optional<Duration> oldestPending) {
    public QueueCounts {
        counts = Map.copyOf(counts);
    }

    public long count(Queue queue) {
        return counts.getOrDefault(queue, 0L);
    }
}
