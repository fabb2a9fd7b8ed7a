package io.streamguard.schemas.serde;

import java.util.OptionalInt;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The bytes of a record are not a valid registry-framed Avro record: too short, wrong magic byte, or
 * an Avro body that is truncated, corrupt or followed by stray bytes. A poison pill: retrying the same
 * bytes fails the same way.
 */
public class WireFormatException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Integer schemaId;
    private final String reason;

    public WireFormatException(String topic, Integer schemaId, String reason) {
        this(topic, schemaId, reason, null);
    }

    public WireFormatException(String topic, Integer schemaId, String reason, Throwable cause) {
        super(
                "Malformed record on topic '" + topic + "'" + (schemaId == null ? "" : " (schema id " + schemaId + ")")
                        + ": " + reason,
                cause);
        this.topic = topic;
        this.schemaId = schemaId;
        this.reason = reason;
    }

    public String topic() {
        return topic;
    }

    /** The schema id from the header, if the header was readable. */
    public OptionalInt schemaId() {
        return schemaId == null ? OptionalInt.empty() : OptionalInt.of(schemaId);
    }

    /** What is wrong with the bytes, without the topic/id prefix of the message. */
    public String reason() {
        return reason;
    }
}
