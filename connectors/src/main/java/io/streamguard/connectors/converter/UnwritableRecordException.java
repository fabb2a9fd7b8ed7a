package io.streamguard.connectors.converter;

/**
 * A Connect value does not fit its own schema or the Avro schema it converts to: null in a required field, a
 * string that is not one of the enum's symbols, bytes of the wrong length for a fixed, a decimal of another scale.
 */
public class UnwritableRecordException extends ConverterException {
    private static final long serialVersionUID = 1L;

    public UnwritableRecordException(String message) {
        super(message, null);
    }

    public UnwritableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
