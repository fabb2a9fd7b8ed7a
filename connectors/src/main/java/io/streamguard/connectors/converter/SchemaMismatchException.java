package io.streamguard.connectors.converter;

/**
 * Two schemas that had to fit do not: with {@code use.latest.version=true}, a record's writer schema cannot be read
 * as the subject's latest schema (reading), or a Connect record cannot be written as it (writing).
 */
public class SchemaMismatchException extends ConverterException {
    private static final long serialVersionUID = 1L;

    public SchemaMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
