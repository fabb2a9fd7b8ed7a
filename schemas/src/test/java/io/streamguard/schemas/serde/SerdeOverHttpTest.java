package io.streamguard.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.avro.TextEvent;
import io.streamguard.schemas.registry.RegistryConfig;
import io.streamguard.schemas.registry.UnknownSchemaException;
import io.streamguard.schemas.testing.FakeRegistryServer;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Serdes configured the Kafka way, from properties, talking HTTP to a scripted registry. */
class SerdeOverHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeRegistryServer registry;
    private Map<String, Object> props;

    @BeforeEach
    void start() throws IOException {
        registry = new FakeRegistryServer();
        props = Map.of(
                RegistryConfig.URL,
                registry.url() + "/apis/ccompat/v7",
                RegistryConfig.BASIC_AUTH_USER_INFO,
                "producer:pw",
                RegistryConfig.RETRIES,
                1,
                RegistryConfig.RETRY_BACKOFF_MS,
                1);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void producerRegistersOnceAndConsumerFetchesTheSchemaOnce() throws IOException {
        registry.respond(200, "{\"id\":21}")
                .respond(
                        200,
                        JSON.writeValueAsString(
                                Map.of("schema", TextEvent.getClassSchema().toString())));
        AvroSerializer<TextEvent> producer = new AvroSerializer<>();
        producer.configure(props, false);
        AvroSerde<TextEvent> consumer = AvroSerde.specific(TextEvent.class);
        consumer.configure(props, false);
        TextEvent event = TextEvent.newBuilder().setId("1").setText("hi").build();

        byte[] a = producer.serialize("text-events", event);
        byte[] b = producer.serialize("text-events", event);
        TextEvent read1 = consumer.deserializer().deserialize("text-events", a);
        TextEvent read2 = consumer.deserializer().deserialize("text-events", b);

        assertThat(read1).isEqualTo(event);
        assertThat(read2).isEqualTo(event);
        assertThat(WireFormat.parse(a, "text-events").schemaId()).isEqualTo(21);
        assertThat(registry.requests())
                .extracting(r -> r.method() + " " + r.path())
                .containsExactly(
                        "POST /apis/ccompat/v7/subjects/text-events-value/versions",
                        "GET /apis/ccompat/v7/schemas/ids/21");
        assertThat(registry.requests())
                .allSatisfy(r -> assertThat(r.header("Authorization")).startsWith("Basic "));
    }

    @Test
    void unknownIdFromTheRegistrySurfacesAsUnknownSchemaIdException() {
        registry.respond(404, "{\"error_code\":40403,\"message\":\"Schema 77 not found\"}");
        AvroDeserializer<TextEvent> consumer = AvroDeserializer.specific(TextEvent.class);
        consumer.configure(props, false);

        UnknownSchemaIdException e = catchThrowableOfType(
                UnknownSchemaIdException.class,
                () -> consumer.deserialize("text-events", new byte[] {0, 0, 0, 0, 77, 2, 'x'}));

        assertThat(e.schemaId()).isEqualTo(77);
        assertThat(e.getCause().kind()).isEqualTo(UnknownSchemaException.Kind.SCHEMA_NOT_FOUND);
        assertThat(e).hasMessageContaining("Schema 77 not found");
        assertThat(registry.requests()).hasSize(1);
    }

    @Test
    void registryServerErrorIsRetriedThenReportedAsRetriable() {
        registry.respond(503, "{\"error_code\":50301,\"message\":\"leader election\"}")
                .respond(503, "{\"error_code\":50301,\"message\":\"leader election\"}");
        AvroSerializer<TextEvent> producer = new AvroSerializer<>();
        producer.configure(props, false);

        RegistryCallException e = catchThrowableOfType(
                RegistryCallException.class,
                () -> producer.serialize(
                        "text-events",
                        TextEvent.newBuilder().setId("1").setText("hi").build()));

        assertThat(e.isRetriable()).isTrue();
        assertThat(e)
                .hasMessageContaining("registering io.streamguard.avro.TextEvent under subject 'text-events-value'");
        assertThat(registry.requests()).hasSize(2);
    }
}
