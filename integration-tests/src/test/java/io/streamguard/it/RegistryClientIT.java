package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.avro.TextEvent;
import io.streamguard.schemas.registry.CompatibilityLevel;
import io.streamguard.schemas.registry.IncompatibleSchemaException;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig;
import io.streamguard.schemas.registry.RegistryUnreachableException;
import io.streamguard.schemas.registry.SchemaVersion;
import io.streamguard.schemas.registry.UnknownSchemaException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** Our Confluent-API client against a real registry (Apicurio 2.4.2, started by the embedded stack). */
class RegistryClientIT {
    private final RegistryClient client = RegistryClient.create(
            RegistryConfig.builder().url(SharedStack.registryUrl()).build());

    private static String subject() {
        return "it-" + UUID.randomUUID() + "-value";
    }

    @Test
    void registersLooksUpAndFetchesById() {
        String subject = subject();
        Schema schema = TextEvent.getClassSchema();

        int id = client.register(subject, schema);

        assertThat(client.register(subject, schema))
                .as("re-registering is idempotent")
                .isEqualTo(id);
        assertThat(client.lookup(subject, schema)).isEqualTo(id);
        assertThat(client.schemaById(id)).isEqualTo(schema);
        assertThat(client.subjects()).contains(subject);
        SchemaVersion latest = client.latest(subject);
        assertThat(latest.subject()).isEqualTo(subject);
        assertThat(latest.id()).isEqualTo(id);
        assertThat(latest.version()).isEqualTo(1);
        assertThat(latest.schema()).isEqualTo(schema);
    }

    /**
     * Workers starting together register their changelog schemas at once; Apicurio answers the loser of a
     * subject's first registration with 409 "already exists". Found by {@code bench chaos}, where it
     * dead-lettered a good record.
     */
    @Test
    void clientsRegisteringANewSubjectAtOnceAllGetItsId() throws Exception {
        for (int round = 0; round < 5; round++) {
            String subject = subject();
            int clients = 8;
            CyclicBarrier start = new CyclicBarrier(clients);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<Integer>> ids = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    // A client each, as each worker JVM has: no shared cache.
                    RegistryClient own = RegistryClient.create(RegistryConfig.builder()
                            .url(SharedStack.registryUrl())
                            .build());
                    ids.add(pool.submit(() -> {
                        start.await();
                        return own.register(subject, TextEvent.getClassSchema());
                    }));
                }
                Set<Integer> distinct = new HashSet<>();
                for (Future<Integer> id : ids) {
                    distinct.add(id.get(60, TimeUnit.SECONDS));
                }
                // Apicurio may store the schema twice (versions 1 and 2 with one id): harmless, same id.
                assertThat(distinct).hasSize(1);
                assertThat(client.latest(subject).schema()).isEqualTo(TextEvent.getClassSchema());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void unknownIdsAndSchemasAreTypedErrors() {
        String subject = subject();
        client.register(subject, TextEvent.getClassSchema());
        Schema other = SchemaBuilder.record("Other")
                .namespace("it")
                .fields()
                .requiredLong("n")
                .endRecord();

        assertThatThrownBy(() -> client.schemaById(Integer.MAX_VALUE)).isInstanceOf(UnknownSchemaException.class);
        assertThatThrownBy(() -> client.lookup(subject, other)).isInstanceOf(UnknownSchemaException.class);
        assertThatThrownBy(() -> client.latest(subject())).isInstanceOf(UnknownSchemaException.class);
    }

    @Test
    void backwardCompatibilityIsEnforcedByDefault() {
        String subject = subject();
        Schema v1 = SchemaBuilder.record("Evolving")
                .namespace("it")
                .fields()
                .requiredString("id")
                .endRecord();
        Schema addedOptional = SchemaBuilder.record("Evolving")
                .namespace("it")
                .fields()
                .requiredString("id")
                .optionalString("note")
                .endRecord();
        Schema addedRequired = SchemaBuilder.record("Evolving")
                .namespace("it")
                .fields()
                .requiredString("id")
                .requiredString("mandatory")
                .endRecord();
        int first = client.register(subject, v1);

        assertThat(client.getCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(client.isCompatible(subject, addedRequired)).isFalse();
        assertThatThrownBy(() -> client.register(subject, addedRequired))
                .isInstanceOf(IncompatibleSchemaException.class);
        assertThat(client.isCompatible(subject, addedOptional)).isTrue();
        assertThat(client.register(subject, addedOptional)).isNotEqualTo(first);
        assertThat(client.latest(subject).version()).isEqualTo(2);
    }

    @Test
    void perSubjectCompatibilityOverridesTheGlobalLevel() {
        String subject = subject();
        Schema v1 = SchemaBuilder.record("Loose")
                .namespace("it")
                .fields()
                .requiredString("id")
                .endRecord();
        // Old readers can read it (FORWARD), but it cannot read old data (not BACKWARD).
        Schema v2 = SchemaBuilder.record("Loose")
                .namespace("it")
                .fields()
                .requiredString("id")
                .requiredLong("other")
                .endRecord();
        client.register(subject, v1);
        assertThat(client.isCompatible(subject, v2)).isFalse();

        client.setCompatibility(subject, CompatibilityLevel.FORWARD);

        assertThat(client.getCompatibility(subject)).isEqualTo(CompatibilityLevel.FORWARD);
        assertThat(client.isCompatible(subject, v2)).isTrue();
        assertThat(client.register(subject, v2)).isPositive();
        assertThat(client.getCompatibility()).as("global level untouched").isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void unreachableRegistryIsATypedErrorAfterRetries() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        RegistryClient dead = RegistryClient.create(RegistryConfig.builder()
                .url("http://127.0.0.1:" + closedPort + "/apis/ccompat/v7")
                .build());

        assertThatThrownBy(() -> dead.schemaById(1)).isInstanceOf(RegistryUnreachableException.class);
    }
}
