package io.streamguard.launcher;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One text event as read from a JSONL/TSV file, before Avro encoding. Mirrors the fields of the
 * {@code TextEvent} schema; optional fields are null when absent.
 *
 * @param lineNumber the 1-based input line it came from, for error messages further down
 */
public record InputEvent(
        String id,
        String text,
        String language,
        String source,
        String author,
        Instant eventTime,
        Map<String, String> attributes,
        long lineNumber) {

    public InputEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
    }
}
