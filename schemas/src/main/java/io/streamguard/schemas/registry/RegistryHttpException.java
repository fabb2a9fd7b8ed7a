package io.streamguard.schemas.registry;

import java.util.OptionalInt;

/**
 * The registry answered with an HTTP error. Subclasses exist for the statuses callers react to
 * differently; this class itself is used for the remaining ones (e.g. 5xx after retries, or a 404 for
 * an unexpected path, which usually means a wrong URL prefix).
 *
 * <p>{@link #errorCode()} is Confluent's finer-grained {@code error_code} from the response body
 * ({@code {"error_code":40403,"message":"..."}}), absent when the body was not such a document.
 */
public class RegistryHttpException extends RegistryException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final Integer errorCode;
    private final String serverMessage;

    public RegistryHttpException(int status, OptionalInt errorCode, String serverMessage, String request) {
        super(describe(status, errorCode, serverMessage, request));
        this.status = status;
        this.errorCode = errorCode.isPresent() ? errorCode.getAsInt() : null;
        this.serverMessage = serverMessage;
    }

    /** HTTP status code. */
    public int status() {
        return status;
    }

    /** Confluent {@code error_code}, if the response carried one. */
    public OptionalInt errorCode() {
        return errorCode == null ? OptionalInt.empty() : OptionalInt.of(errorCode);
    }

    /** The registry's own {@code message}, or the (truncated) raw body when it was not JSON. */
    public String serverMessage() {
        return serverMessage;
    }

    private static String describe(int status, OptionalInt errorCode, String serverMessage, String request) {
        StringBuilder sb = new StringBuilder(request).append(" failed: HTTP ").append(status);
        errorCode.ifPresent(code -> sb.append(", error_code ").append(code));
        if (serverMessage != null && !serverMessage.isBlank()) {
            sb.append(": ").append(serverMessage);
        }
        return sb.toString();
    }
}
