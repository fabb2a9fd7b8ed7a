package io.streamguard.connectors.converter;

/**
 * The schema registry refused a call for a reason retrying will not fix: authentication, an incompatible schema
 * on registration, a 4xx answer. Failures that may pass (unreachable, 5xx) are thrown as Connect's own {@link
 * org.apache.kafka.connect.errors.RetriableException} instead, so Connect retries the record ({@code
 * errors.retry.timeout}) rather than dead-lettering it for a registry outage.
 */
public class RegistryFailureException extends ConverterException {
    private static final long serialVersionUID = 1L;

    public RegistryFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
