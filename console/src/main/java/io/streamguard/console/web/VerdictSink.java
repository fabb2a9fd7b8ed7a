package io.streamguard.console.web;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a moderator's verdict goes: the launcher's implementation produces a Feedback record on
 * moderation-feedback (the retrainer's input, and through the sink the moderation_verdicts row).
 */
@FunctionalInterface
public interface VerdictSink {
    /**
     * One verdict on one item.
     *
     * @param labels per label, whether the item is it ({@code spam=true}, {@code hate=false})
     * @param text the item's text, so the retrainer need not join
     */
    record Verdict(
            String eventId,
            String moderator,
            Instant judgedAt,
            Map<String, Boolean> labels,
            String text,
            Optional<String> note) {
        public Verdict {
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(moderator, "moderator");
            labels = Map.copyOf(labels);
        }
    }

    /** Sends the verdict; throws if it could not be handed over (the moderator then sees an error). */
    void send(Verdict verdict);
}
