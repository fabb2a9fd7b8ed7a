package io.streamguard.schemas.registry;

/**
 * The registry returned a schema this client cannot use: not of type AVRO (JSON, PROTOBUF), or Avro
 * text that does not parse (e.g. it relies on schema references, which this client does not resolve).
 */
public class UnsupportedSchemaException extends RegistryException {

    private static final long serialVersionUID = 1L;

    public UnsupportedSchemaException(String message) {
        super(message);
    }

    public UnsupportedSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
