package io.streamguard.connectors.converter;

/**
 * A record names a schema id the registry does not know (written against another registry, or the schema was
 * hard-deleted), so it cannot be decoded.
 */
public class SchemaIdNotFoundException extends UndecodableRecordException {
    private static final long serialVersionUID = 1L;

    public SchemaIdNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
