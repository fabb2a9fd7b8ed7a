package io.streamguard.schemas.serde;

import io.streamguard.schemas.registry.UnknownSchemaException;
import org.apache.kafka.common.errors.SerializationException;

/** A record names a schema id the registry does not know (e.g. written against another registry). */
public class UnknownSchemaIdException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int schemaId;

    public UnknownSchemaIdException(String topic, int schemaId, UnknownSchemaException cause) {
        super(
                "Record on topic '" + topic + "' references schema id " + schemaId
                        + ", which the schema registry does not know: " + cause.getMessage(),
                cause);
        this.topic = topic;
        this.schemaId = schemaId;
    }

    public String topic() {
        return topic;
    }

    public int schemaId() {
        return schemaId;
    }

    @Override
    public synchronized UnknownSchemaException getCause() {
        return (UnknownSchemaException) super.getCause();
    }
}
