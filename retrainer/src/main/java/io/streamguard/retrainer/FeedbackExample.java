package io.streamguard.retrainer;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A verdict joined with the text it judges.
 *
 * @param eventId the judged event
 * @param text its text
 * @param verdicts per label, true if the label applies
 * @param partition the feedback record's partition
 * @param offset the feedback record's offset
 */
public record FeedbackExample(String eventId, String text, Map<String, Boolean> verdicts, int partition, long offset) {

    public FeedbackExample {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(text, "text");
        verdicts = Collections.unmodifiableMap(new TreeMap<>(verdicts));
    }
}
