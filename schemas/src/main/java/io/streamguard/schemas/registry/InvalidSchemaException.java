package io.streamguard.schemas.registry;

import java.util.OptionalInt;

/** HTTP 422 (Confluent error code 42201): the registry rejected the schema text itself. */
public class InvalidSchemaException extends RegistryHttpException {

    private static final long serialVersionUID = 1L;

    public InvalidSchemaException(OptionalInt errorCode, String serverMessage, String request) {
        super(422, errorCode, serverMessage, request);
    }
}
