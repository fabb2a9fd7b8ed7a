package io.streamguard.schemas.registry;

import java.util.Optional;
import java.util.OptionalInt;

/** HTTP 404 for a subject, version or schema the registry does not have; {@link #kind()} says which. */
public class UnknownSchemaException extends RegistryHttpException {

    private static final long serialVersionUID = 1L;

    /** What was not found, with Confluent's error code for it. */
    public enum Kind {
        SUBJECT_NOT_FOUND(40401),
        VERSION_NOT_FOUND(40402),
        SCHEMA_NOT_FOUND(40403);

        private final int errorCode;

        Kind(int errorCode) {
            this.errorCode = errorCode;
        }

        public int errorCode() {
            return errorCode;
        }

        /** The kind a Confluent error code denotes, if it is one of these. */
        public static Optional<Kind> of(int errorCode) {
            for (Kind kind : values()) {
                if (kind.errorCode == errorCode) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    private final Kind kind;

    public UnknownSchemaException(Kind kind, String serverMessage, String request) {
        super(404, OptionalInt.of(kind.errorCode()), serverMessage, request);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
