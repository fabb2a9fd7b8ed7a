package io.streamguard.connectors.converter;

/**
 * The bytes of a record are not a registry-framed Avro record: shorter than the 5-byte header, a magic byte other
 * than {@code 0x00}, or an Avro body that is truncated, corrupt or followed by stray bytes. A poison pill: the same
 * bytes fail the same way on every retry, so Connect's {@code errors.tolerance=all} may dead-letter it.
 */
public class UndecodableRecordException extends ConverterException {
    private static final long serialVersionUID = 1L;

    public UndecodableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
