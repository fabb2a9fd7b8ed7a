package io.streamguard.schemas.serde;

import java.util.OptionalInt;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The writer's schema cannot be read as the reader's: e.g. a consumer's record class needs a field
 * without default that the producer never wrote, or a serializer configured with
 * {@code use.latest.version} got a record the latest schema cannot represent.
 */
public class SchemaResolutionException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Integer schemaId;

    public SchemaResolutionException(String topic, Integer schemaId, String reason) {
        super("Schema mismatch on topic '" + topic + "'" + (schemaId == null ? "" : " (schema id " + schemaId + ")")
                + ": " + reason);
        this.topic = topic;
        this.schemaId = schemaId;
    }

    public String topic() {
        return topic;
    }

    /** The registry id of the writer (deserializing) or target (serializing) schema. */
    public OptionalInt schemaId() {
        return schemaId == null ? OptionalInt.empty() : OptionalInt.of(schemaId);
    }
}
