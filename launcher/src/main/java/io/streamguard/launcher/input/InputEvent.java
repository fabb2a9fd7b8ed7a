package io.streamguard.launcher.input;

import io.streamguard.avro.TextEvent;
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

    /** The {@code TextEvent} record {@code streamguard produce} sends for this line. */
    public TextEvent toAvro() {
        return TextEvent.newBuilder()
                .setId(id)
                .setText(text)
                .setLanguage(language)
                .setSource(source)
                .setAuthor(author)
                .setEventTime(eventTime)
                .setAttributes(attributes)
                .build();
    }
}
