package io.streamguard.console.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One moderation_events row as a queue shows it, with the priority it was ordered by.
 *
 * @param encoderName the encoder whose model scored it; empty when unscored or labeled before languages
 * @param unscoredReason why no model scored it (e.g. "unsupported language: ja"); empty when scored
 */
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
        double priority,
        Optional<String> encoderName,
        Optional<String> unscoredReason) {
    public QueueItem {
        scores = Map.copyOf(scores);
        triggeredLabels = List.copyOf(triggeredLabels);
    }
}
