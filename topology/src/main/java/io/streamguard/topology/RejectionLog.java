package io.streamguard.topology;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * What the console says about dead letters: one line per rejected record (where it came from, its key, the
 * reason and the message), at most {@link #DEFAULT_LINES_PER_SECOND} a second. A bad producer can send
 * thousands of bad records a second; {@code streamguard_dlq_records_total{reason}} counts every one, so the
 * console needs the first few examples, not a flood that hides everything else. The last line a second allows
 * says that more are being left out, and the first line of a later second says how many were.
 *
 * <p>Rejections are expected (the record is bad, {@link DeadLetterReason#expected()}): their stack trace says
 * nothing about the record and is logged at DEBUG only. An unexpected failure ({@code PROCESSING_FAILED},
 * {@code DESERIALIZATION_FAILED}) is a bug or an unforeseen input, so its stack trace comes with its line.
 *
 * <p>Thread-safe: every stream thread's handlers share one.
 */
final class RejectionLog {

    static final int DEFAULT_LINES_PER_SECOND = 5;

    private static final int MAX_KEY_CHARS = 64;
    private static final int MAX_MESSAGE_CHARS = 300;

    private final Logger log;
    private final int linesPerSecond;
    private final LongSupplier millis;

    private long second = Long.MIN_VALUE;
    private int lines;
    private long suppressed;
    private long suppressedSince;

    RejectionLog(Logger log) {
        this(log, DEFAULT_LINES_PER_SECOND, System::currentTimeMillis);
    }

    RejectionLog(Logger log, int linesPerSecond, LongSupplier millis) {
        if (linesPerSecond < 1) {
            throw new IllegalArgumentException("linesPerSecond must be at least 1, got " + linesPerSecond);
        }
        this.log = log;
        this.linesPerSecond = linesPerSecond;
        this.millis = millis;
    }

    /**
     * Logs that the record at {@code topic-partition@offset} with {@code key} went to the dead-letter topic
     * for {@code reason}, unless this second's lines are used up.
     */
    synchronized void deadLettered(
            String topic, int partition, long offset, String key, DeadLetterReason reason, Exception error) {
        long now = millis.getAsLong();
        long current = Math.floorDiv(now, 1000L);
        if (current != second) {
            second = current;
            lines = 0;
            if (suppressed > 0) {
                log.warn(
                        "{} more dead-lettered record(s) not logged in the last {} s (streamguard_dlq_records_total"
                                + " counts them all)",
                        suppressed,
                        Math.max(1, (now - suppressedSince + 999) / 1000));
                suppressed = 0;
            }
        }
        if (lines >= linesPerSecond) {
            if (suppressed++ == 0) {
                suppressedSince = now;
            }
            return;
        }
        lines++;
        String line = "Dead-lettered " + topic + "-" + partition + "@" + offset + " key=" + key(key) + " " + reason
                + ": " + message(error)
                + (lines == linesPerSecond ? " (any more this second are counted, not logged)" : "");
        if (reason.expected()) {
            log.warn(line);
            log.debug("Stack trace of the rejection of {}-{}@{}", topic, partition, offset, error);
        } else {
            log.warn(line, error);
        }
    }

    /** The key as it would print, on one line and not longer than {@value #MAX_KEY_CHARS} characters. */
    static String key(String key) {
        return key == null ? "null" : oneLine(key, MAX_KEY_CHARS);
    }

    /** The exception's message on one line, not longer than {@value #MAX_MESSAGE_CHARS} characters. */
    static String message(Throwable error) {
        String message = error.getMessage();
        return oneLine(message == null ? error.getClass().getSimpleName() : message, MAX_MESSAGE_CHARS);
    }

    private static String oneLine(String text, int max) {
        String flat = text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
