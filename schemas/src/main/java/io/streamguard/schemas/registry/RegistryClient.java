package io.streamguard.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * Client for the Confluent Schema Registry REST API (v1 media type), which Apicurio also serves under
 * {@code /apis/ccompat/v7}. Only Avro schemas are handled.
 *
 * <p>Implementations are thread-safe and cache what is immutable: a schema by id forever, and the id
 * of a schema under a subject once registered or looked up. {@link #latest}, {@link #subjects} and the
 * compatibility calls always go to the registry.
 *
 * <p>All methods throw {@link RegistryException} subtypes: {@link UnknownSchemaException} (404),
 * {@link IncompatibleSchemaException} (409), {@link InvalidSchemaException} (422),
 * {@link RegistryAuthException} (401/403), {@link RegistryHttpException} (any other HTTP error),
 * {@link RegistryUnreachableException} (no response after retries) and
 * {@link UnsupportedSchemaException} (the registry holds a non-Avro schema for the id).
 */
public interface RegistryClient {

    /** A client talking HTTP to the registry the config names. */
    static RegistryClient create(RegistryConfig config) {
        return new HttpRegistryClient(config);
    }

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}) and
     * returns its global id. Registering an already registered schema is a no-op returning the same id.
     *
     * @throws IncompatibleSchemaException if the subject's compatibility level rejects it
     */
    int register(String subject, Schema schema);

    /**
     * The id of {@code schema} if it is already registered under {@code subject}
     * ({@code POST /subjects/{subject}}); never registers. Used when auto-registration is off.
     *
     * @throws UnknownSchemaException with kind SUBJECT_NOT_FOUND or SCHEMA_NOT_FOUND otherwise
     */
    int lookup(String subject, Schema schema);

    /**
     * The schema with global id {@code id} ({@code GET /schemas/ids/{id}}); cached forever.
     *
     * @throws UnknownSchemaException with kind SCHEMA_NOT_FOUND if no such id exists
     */
    Schema schemaById(int id);

    /** The newest version under {@code subject} ({@code GET /subjects/{subject}/versions/latest}). */
    SchemaVersion latest(String subject);

    /** All subject names ({@code GET /subjects}). */
    List<String> subjects();

    /**
     * Whether {@code schema} could be registered under {@code subject} given its compatibility level
     * ({@code POST /compatibility/subjects/{subject}/versions/latest}).
     *
     * @throws UnknownSchemaException on registries that answer 404 for a subject without versions
     */
    boolean isCompatible(String subject, Schema schema);

    /** The global compatibility level ({@code GET /config}). */
    CompatibilityLevel getCompatibility();

    /** The level in effect for {@code subject}: its own if set, else the global one. */
    CompatibilityLevel getCompatibility(String subject);

    /** Sets the global compatibility level ({@code PUT /config}). */
    void setCompatibility(CompatibilityLevel level);

    /** Sets {@code subject}'s compatibility level ({@code PUT /config/{subject}}). */
    void setCompatibility(String subject, CompatibilityLevel level);
}
