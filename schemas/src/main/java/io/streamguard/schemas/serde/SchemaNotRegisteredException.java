package io.streamguard.schemas.serde;

import io.streamguard.schemas.registry.UnknownSchemaException;
import org.apache.kafka.common.errors.SerializationException;

/** With {@code auto.register.schemas=false}, the record's schema is not registered under the subject. */
public class SchemaNotRegisteredException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final String subject;

    public SchemaNotRegisteredException(String subject, String schemaName, UnknownSchemaException cause) {
        super(
                "Schema " + schemaName + " is not registered under subject '" + subject
                        + "' and auto.register.schemas is false: " + cause.getMessage(),
                cause);
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
