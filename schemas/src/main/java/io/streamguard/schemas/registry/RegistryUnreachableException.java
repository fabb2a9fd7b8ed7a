package io.streamguard.schemas.registry;

/**
 * No registry URL produced an HTTP response (connection refused, TLS failure, timeout) within the
 * configured retries. Transient by nature: callers may retry later; the cause is the last I/O error.
 */
public class RegistryUnreachableException extends RegistryException {

    private static final long serialVersionUID = 1L;

    private final int attempts;

    public RegistryUnreachableException(String message, int attempts, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
    }

    /** How many attempts were made (each may have tried every configured URL). */
    public int attempts() {
        return attempts;
    }
}
