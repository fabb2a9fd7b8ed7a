package io.streamguard.schemas.serde;

import java.io.EOFException;
import java.util.stream.Collectors;
import org.apache.avro.SchemaCompatibility;

/** Human-readable reasons for the serde exceptions (they end up in dead-letter headers). */
final class Describe {

    private Describe() {}

    static String incompatibilities(SchemaCompatibility.SchemaPairCompatibility check) {
        return check.getResult().getIncompatibilities().stream()
                .map(i -> i.getMessage() + " at " + i.getLocation())
                .collect(Collectors.joining("; "));
    }

    static String failure(Throwable e) {
        if (e instanceof EOFException && e.getMessage() == null) {
            return "unexpected end of data";
        }
        return e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
