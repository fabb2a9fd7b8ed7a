/**
 * A client for the Confluent Schema Registry REST API, also served by Apicurio under
 * {@code /apis/ccompat/v7}.
 *
 * <pre>{@code
 * RegistryClient registry = RegistryClient.create(RegistryConfig.builder()
 *         .url("http://localhost:8080/apis/ccompat/v7")
 *         .basicAuth("user", "secret")
 *         .build());
 * int id = registry.register(Topics.valueSubject(Topics.TEXT_EVENTS), TextEvent.getClassSchema());
 * registry.setCompatibility(Topics.valueSubject(Topics.MODEL_VERSIONS), CompatibilityLevel.BACKWARD);
 * }</pre>
 *
 * <p>Entry points: {@link io.streamguard.schemas.registry.RegistryClient#create} and
 * {@link io.streamguard.schemas.registry.RegistryConfig} ({@code builder()} or {@code fromMap(props)} with
 * Confluent's property names, declared in {@code RegistryConfig.configDef()}). Every failure is a
 * {@link io.streamguard.schemas.registry.RegistryException}:
 *
 * <pre>
 * RegistryException                     protocol error (unparseable response), interruption
 * ├─ RegistryHttpException              HTTP error: status(), errorCode(), serverMessage()
 * │  ├─ UnknownSchemaException          404, kind() = SUBJECT_NOT_FOUND | VERSION_NOT_FOUND | SCHEMA_NOT_FOUND
 * │  ├─ IncompatibleSchemaException     409
 * │  ├─ InvalidSchemaException          422 / 42201
 * │  └─ RegistryAuthException           401, 403
 * ├─ RegistryUnreachableException       no response from any URL after retries
 * └─ UnsupportedSchemaException         the registry's schema is not Avro, or unparseable
 * </pre>
 *
 * <p>Only 5xx answers and I/O failures are retried (exponential backoff); a connection failure moves
 * on to the next configured URL at once.
 */
package io.streamguard.schemas.registry;
