package io.streamguard.schemas.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/** One registered version of a subject: its global schema id, its per-subject version, the schema. */
public record SchemaVersion(String subject, int id, int version, Schema schema) {

    public SchemaVersion {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
