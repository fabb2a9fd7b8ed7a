package io.streamguard.connectors.converter;

/**
 * A schema uses something {@link AvroData} does not translate: an Avro union of several non-null types, a
 * recursive record, a Connect map with non-string keys, a name Avro does not allow, schemaless data, or a
 * top-level value that is not a record.
 */
public class UnsupportedSchemaException extends ConverterException {
    private static final long serialVersionUID = 1L;

    public UnsupportedSchemaException(String message) {
        super(message, null);
    }

    public UnsupportedSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
