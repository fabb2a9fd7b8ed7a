package io.streamguard.schemas.registry;

import java.util.OptionalInt;

/** HTTP 401 or 403: credentials missing, wrong, or lacking permission. Never retried. */
public class RegistryAuthException extends RegistryHttpException {

    private static final long serialVersionUID = 1L;

    public RegistryAuthException(int status, OptionalInt errorCode, String serverMessage, String request) {
        super(status, errorCode, serverMessage, request);
    }
}
