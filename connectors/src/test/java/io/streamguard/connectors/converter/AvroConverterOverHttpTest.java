package io.streamguard.connectors.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.schemas.testing.FakeRegistryServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The converter configured as a Connect worker does it, from {@code value.converter.*} properties, over HTTP. */
class AvroConverterOverHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema ROW = SchemaBuilder.struct()
            .name("io.streamguard.test.Row")
            .field("id", Schema.STRING_SCHEMA)
            .field("score", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .build();

    private FakeRegistryServer registry;
    private Map<String, Object> props;

    @BeforeEach
    void start() throws IOException {
        registry = new FakeRegistryServer();
        props = new HashMap<>(Map.of(
                "schema.registry.url", registry.url(),
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "connect:s3cr:et",
                "schema.registry.retries", "0"));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void credentialsGoWithEveryCallAndEachSchemaIsFetchedOnce() throws IOException {
        AvroConverter source = new AvroConverter();
        source.configure(props, false);
        AvroConverter sink = new AvroConverter();
        sink.configure(props, false);
        registry.respond(200, "{\"id\":7}");

        byte[] bytes = null;
        for (int i = 0; i < 100; i++) {
            bytes = source.fromConnectData("rows", ROW, new Struct(ROW).put("id", "r" + i));
        }
        registry.respond(
                200,
                JSON.writeValueAsString(
                        Map.of("schema", new AvroData(1).fromConnectSchema(ROW).toString())));
        SchemaAndValue read = null;
        for (int i = 0; i < 100; i++) {
            read = sink.toConnectData("rows", bytes);
        }

        assertThat(((Struct) read.value()).getString("id")).isEqualTo("r99");
        assertThat(registry.requests())
                .extracting(r -> r.method() + " " + r.path())
                .containsExactly("POST /subjects/rows-value/versions", "GET /schemas/ids/7");
        String expected =
                "Basic " + Base64.getEncoder().encodeToString("connect:s3cr:et".getBytes(StandardCharsets.UTF_8));
        assertThat(registry.requests())
                .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo(expected));
    }

    @Test
    void rejectedCredentialsAreARegistryFailureNamingTheTopic() {
        AvroConverter converter = new AvroConverter();
        converter.configure(props, false);
        registry.respond(401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");

        assertThatThrownBy(() -> converter.fromConnectData("rows", ROW, new Struct(ROW).put("id", "r")))
                .isInstanceOf(RegistryFailureException.class)
                .hasMessageContaining("topic 'rows'")
                .hasMessageContaining("401");
    }
}
