package io.streamguard.topology;

import io.streamguard.avro.SourceRecord;
import java.util.Objects;

/**
 * Thrown inside a processor for a record that must be dead-lettered; Kafka Streams' processing
 * exception handler ({@link DeadLetterHandlers.Processing}) turns it into a record on the
 * dead-letter topic and processing resumes.
 *
 * <p>{@link #origin()} is set when the failing record is not the one Kafka Streams is processing at
 * the moment (a buffered record failing in a later batch, or a record that came through
 * {@code text-tokenized}): the dead letter then carries the origin's bytes and coordinates instead.
 */
public class RejectedRecordException extends PipelineException {

    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;
    private final transient SourceRecord origin;

    public RejectedRecordException(DeadLetterReason reason, String message) {
        this(reason, message, null, null);
    }

    public RejectedRecordException(DeadLetterReason reason, String message, SourceRecord origin, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.origin = origin;
    }

    public DeadLetterReason reason() {
        return reason;
    }

    /** The original text-events record, or null if it is the record being processed. */
    public SourceRecord origin() {
        return origin;
    }
}
