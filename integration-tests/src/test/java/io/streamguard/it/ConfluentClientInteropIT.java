package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.TextEvent;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaMetadata;
import org.junit.jupiter.api.Test;

/**
 * Confluent's own {@code CachedSchemaRegistryClient} (shipped package-renamed inside Flink's SQL jar)
 * and ours must agree on subjects and ids against the same registry, in both directions.
 */
class ConfluentClientInteropIT {
    private final RegistryClient ours = RegistryClient.create(
            RegistryConfig.builder().url(SharedStack.registryUrl()).build());
    private final CachedSchemaRegistryClient confluent =
            new CachedSchemaRegistryClient(List.of(SharedStack.registryUrl()), 100);

    @Test
    void confluentClientSeesWhatWeRegistered() throws Exception {
        String subject = "interop-" + UUID.randomUUID() + "-value";
        int id = ours.register(subject, TextEvent.getClassSchema());

        assertThat(confluent.getAllSubjects()).contains(subject);
        AvroSchema fetched = (AvroSchema) confluent.getSchemaById(id);
        assertThat(fetched.canonicalString())
                .isEqualTo(new AvroSchema(TextEvent.getClassSchema().toString()).canonicalString());
        assertThat(confluent.getId(
                        subject, new AvroSchema(TextEvent.getClassSchema().toString())))
                .isEqualTo(id);
        SchemaMetadata latest = confluent.getLatestSchemaMetadata(subject);
        assertThat(latest.getId()).isEqualTo(id);
        assertThat(latest.getVersion()).isEqualTo(1);
    }

    @Test
    void weReadWhatConfluentClientRegistered() throws Exception {
        String subject = "interop-" + UUID.randomUUID() + "-value";
        String avsc = LabeledEvent.getClassSchema().toString();

        int id = confluent.register(subject, new AvroSchema(avsc));

        assertThat(ours.schemaById(id)).isEqualTo(new Schema.Parser().parse(avsc));
        assertThat(ours.lookup(subject, LabeledEvent.getClassSchema())).isEqualTo(id);
        assertThat(ours.latest(subject).id()).isEqualTo(id);
        assertThat(ours.subjects()).contains(subject);
        assertThat(confluent.testCompatibility(subject, new AvroSchema(avsc))).isTrue();
    }
}
