package io.streamguard.schemas.serde;

import io.streamguard.schemas.registry.RegistryException;
import io.streamguard.schemas.registry.RegistryHttpException;
import io.streamguard.schemas.registry.RegistryUnreachableException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The registry call a serde needed failed for a reason other than an unknown id or an unregistered
 * schema: unreachable, authentication, an incompatible schema on registration. The cause is the
 * {@link RegistryException}.
 *
 * <p>Unlike the other serde exceptions this is usually not the record's fault; {@link #isRetriable()}
 * tells error handlers not to dead-letter a record just because the registry was briefly down.
 */
public class RegistryCallException extends SerializationException {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public RegistryCallException(String topic, String action, RegistryException cause) {
        super(
                "Schema registry call failed while " + action + " for topic '" + topic + "': " + cause.getMessage(),
                cause);
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    /** True if the registry was unreachable or answered 5xx, so the same record may succeed later. */
    public boolean isRetriable() {
        Throwable cause = getCause();
        return cause instanceof RegistryUnreachableException
                || cause instanceof RegistryHttpException http && http.status() >= 500;
    }

    @Override
    public synchronized RegistryException getCause() {
        return (RegistryException) super.getCause();
    }
}
