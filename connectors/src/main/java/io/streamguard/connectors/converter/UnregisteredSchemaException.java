package io.streamguard.connectors.converter;

/**
 * With {@code auto.register.schemas=false}, the Avro schema a Connect record converts to is not registered under
 * the topic's subject. Register it, or set {@code use.latest.version=true} to write with the registered schema.
 */
public class UnregisteredSchemaException extends ConverterException {
    private static final long serialVersionUID = 1L;

    public UnregisteredSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
