package io.streamguard.connectors.transforms;

import io.streamguard.connectors.ConnectorsException;

/**
 * A record whose shape a transform cannot map: the configured field is missing or of another type, a map has
 * non-string keys, two keys would become the same column, a time column cannot be read as an instant, a
 * change event has no key to build an id from. The record, not the configuration as such, is at fault, so it
 * is a Connect {@code DataException} that the connector's {@code errors.tolerance} can route.
 */
public class RecordShapeException extends ConnectorsException {
    private static final long serialVersionUID = 1L;

    public RecordShapeException(String message) {
        super(message);
    }

    public RecordShapeException(String message, Throwable cause) {
        super(message, cause);
    }
}
