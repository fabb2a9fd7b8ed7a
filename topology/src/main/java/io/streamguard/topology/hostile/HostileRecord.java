package io.streamguard.topology.hostile;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.header.Header;

/**
 * One record a hostile or broken producer could put on {@code text-events}, and what the pipeline may do
 * with it: label it ({@link #LABELED}) or dead-letter it with one of the named reasons.
 *
 * @param id names the record in reports; unique within a corpus
 * @param inputClass what kind of hostile input it is (the rows of a report)
 * @param key the record key: null, empty or {@code id}
 * @param value the record value as sent
 * @param headers the record headers as sent
 * @param outcomes {@link #LABELED} and/or {@code DeadLetterReason} names the pipeline may answer with
 */
public record HostileRecord(
        String id, String inputClass, String key, byte[] value, List<Header> headers, Set<String> outcomes) {
    /** The outcome of a record that reached {@code text-labeled}. */
    public static final String LABELED = "LABELED";

    public HostileRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(inputClass, "inputClass");
        Objects.requireNonNull(value, "value");
        headers = List.copyOf(headers);
        outcomes = Set.copyOf(outcomes);
    }
}
