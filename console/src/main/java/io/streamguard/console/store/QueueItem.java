package io.streamguard.console.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One moderation_events row as a queue shows it, with the priority it was ordered by. */
public record QueueItem(
        String id,
        String text,
        String decision,
        Map<String, Double> scores,
        List<String> triggeredLabels,
        String modelVersion,
        String language,
        String source,
        Instant labeledAt,
        double priority) {
    public QueueItem {
        scores = Map.copyOf(scores);
        triggeredLabels = List.copyOf(triggeredLabels);
    }
}
