package io.streamguard.console.store;

/**
 * The console's queues over moderation_events. A verdict is any moderation_verdicts row for the event
 * (any moderator).
 */
public enum Queue {
    /** The model said REVIEW and no moderator has judged it yet: the work queue. */
    PENDING("e.decision = 'REVIEW' AND NOT %s"),
    BLOCKED("e.decision = 'BLOCK'"),
    ALLOWED("e.decision = 'ALLOW'"),
    /** Has at least one moderator verdict, whatever the model decided. */
    DECIDED("%s"),
    ALL("TRUE");

    private final String predicate;

    Queue(String predicate) {
        this.predicate = predicate;
    }

    /** The SQL predicate over alias {@code e}, given the SQL that says "this event has a verdict". */
    String predicate(String hasVerdict) {
        return predicate.replace("%s", hasVerdict);
    }
}
