package io.streamguard.connectors;

import org.apache.kafka.connect.errors.DataException;

/**
 * Root of everything the connectors plugin throws: a record its converter cannot read or write, or one
 * its transforms cannot map. It is a Connect {@link DataException}, so a connector's own error handling
 * ({@code errors.tolerance}, {@code errors.deadletterqueue.topic.name} with the reason in the {@code
 * __connect.errors.*} headers) routes the record instead of the task failing, where the connector allows it.
 * Subclasses name the kind of failure.
 */
public class ConnectorsException extends DataException {
    private static final long serialVersionUID = 1L;

    public ConnectorsException(String message) {
        super(message);
    }

    public ConnectorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
