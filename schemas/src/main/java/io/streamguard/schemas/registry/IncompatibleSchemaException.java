package io.streamguard.schemas.registry;

import java.util.OptionalInt;

/** HTTP 409: the schema violates the subject's compatibility level and was not registered. */
public class IncompatibleSchemaException extends RegistryHttpException {

    private static final long serialVersionUID = 1L;

    public IncompatibleSchemaException(OptionalInt errorCode, String serverMessage, String request) {
        super(409, errorCode, serverMessage, request);
    }
}
