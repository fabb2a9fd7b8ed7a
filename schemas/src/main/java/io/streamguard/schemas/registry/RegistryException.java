package io.streamguard.schemas.registry;

/**
 * Root of every failure raised by {@link RegistryClient}. Unchecked, because callers (serdes, stream
 * processors) can rarely recover locally and would otherwise only wrap it.
 *
 * <p>Instances of this exact class signal protocol-level problems that have no more specific type:
 * an unparseable response body or an interrupted request.
 */
public class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
