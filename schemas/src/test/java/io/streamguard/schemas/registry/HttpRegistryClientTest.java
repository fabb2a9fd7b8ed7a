package io.streamguard.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.avro.TextEvent;
import io.streamguard.schemas.testing.FakeRegistryServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpRegistryClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = TextEvent.getClassSchema();
    private static final String SUBJECT = "text-events-value";

    private FakeRegistryServer registry;

    @BeforeEach
    void start() throws IOException {
        registry = new FakeRegistryServer();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private RegistryClient client() {
        return client(RegistryConfig.builder().url(registry.url()));
    }

    private static RegistryClient client(RegistryConfig.Builder builder) {
        return RegistryClient.create(
                builder.retries(2).retryBackoff(Duration.ofMillis(1)).build());
    }

    private static String schemaJson(Schema schema) throws IOException {
        return JSON.writeValueAsString(Map.of("schema", schema.toString()));
    }

    @Test
    void registerPostsTheSchemaWithTheConfluentMediaTypeAndCachesTheId() throws IOException {
        registry.respond(200, "{\"id\":7}");
        RegistryClient client = client();

        assertThat(client.register(SUBJECT, SCHEMA)).isEqualTo(7);

        FakeRegistryServer.Request request = registry.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/subjects/text-events-value/versions");
        assertThat(request.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.header("Accept")).startsWith("application/vnd.schemaregistry.v1+json");
        JsonNode body = JSON.readTree(request.body());
        assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(SCHEMA);

        // Registered once: the id, and the schema behind it, are now known without asking again.
        assertThat(client.register(SUBJECT, SCHEMA)).isEqualTo(7);
        assertThat(client.lookup(SUBJECT, SCHEMA)).isEqualTo(7);
        assertThat(client.schemaById(7)).isEqualTo(SCHEMA);
        assertThat(registry.requests()).hasSize(1);
    }

    @Test
    void schemaByIdIsFetchedOnceAndThenServedFromCache() throws IOException {
        registry.respond(200, schemaJson(SCHEMA));
        RegistryClient client = client();

        assertThat(client.schemaById(42)).isEqualTo(SCHEMA);
        assertThat(client.schemaById(42)).isEqualTo(SCHEMA);

        assertThat(registry.requests()).hasSize(1);
        assertThat(registry.lastRequest().method()).isEqualTo("GET");
        assertThat(registry.lastRequest().path()).isEqualTo("/schemas/ids/42");
    }

    @Test
    void lookupAsksWithoutRegisteringAndCaches() {
        registry.respond(
                200,
                "{\"subject\":\"" + SUBJECT + "\",\"id\":3,\"version\":2,\"schema\":"
                        + JSON.valueToTree(SCHEMA.toString()) + "}");
        RegistryClient client = client();

        assertThat(client.lookup(SUBJECT, SCHEMA)).isEqualTo(3);
        assertThat(client.lookup(SUBJECT, SCHEMA)).isEqualTo(3);

        assertThat(registry.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/subjects/text-events-value");
        });
    }

    @Test
    void notFoundErrorsSayWhetherTheSchemaOrTheSubjectIsUnknown() {
        registry.respond(404, "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}")
                .respond(404, "{\"error_code\":40401,\"message\":\"Subject 'nope-value' not found.\"}");
        RegistryClient client = client();

        UnknownSchemaException schema = catchThrowableOfType(UnknownSchemaException.class, () -> client.schemaById(99));
        assertThat(schema.kind()).isEqualTo(UnknownSchemaException.Kind.SCHEMA_NOT_FOUND);
        assertThat(schema.status()).isEqualTo(404);
        assertThat(schema.errorCode()).hasValue(40403);
        assertThat(schema.serverMessage()).isEqualTo("Schema 99 not found");
        assertThat(schema).hasMessageContaining("GET /schemas/ids/99").hasMessageContaining("40403");

        UnknownSchemaException subject =
                catchThrowableOfType(UnknownSchemaException.class, () -> client.lookup("nope-value", SCHEMA));
        assertThat(subject.kind()).isEqualTo(UnknownSchemaException.Kind.SUBJECT_NOT_FOUND);
        assertThat(subject.errorCode()).hasValue(40401);

        assertThat(registry.requests()).as("404 is never retried").hasSize(2);
    }

    @Test
    void latestReturnsIdVersionAndParsedSchema() {
        registry.respond(
                200,
                "{\"subject\":\"" + SUBJECT + "\",\"id\":12,\"version\":4,\"schema\":"
                        + JSON.valueToTree(SCHEMA.toString()) + "}");

        SchemaVersion latest = client().latest(SUBJECT);

        assertThat(latest).isEqualTo(new SchemaVersion(SUBJECT, 12, 4, SCHEMA));
        assertThat(registry.lastRequest().path()).isEqualTo("/subjects/text-events-value/versions/latest");
    }

    @Test
    void subjectsAreListed() {
        registry.respond(200, "[\"text-events-value\",\"model-versions-value\"]");

        assertThat(client().subjects()).containsExactly("text-events-value", "model-versions-value");
        assertThat(registry.lastRequest().path()).isEqualTo("/subjects");
    }

    @Test
    void compatibilityCheckPostsTheSchemaAgainstTheLatestVersion() throws IOException {
        registry.respond(200, "{\"is_compatible\":true}").respond(200, "{\"is_compatible\":false}");
        RegistryClient client = client();

        assertThat(client.isCompatible(SUBJECT, SCHEMA)).isTrue();
        assertThat(client.isCompatible(SUBJECT, SCHEMA)).isFalse();

        FakeRegistryServer.Request request = registry.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/compatibility/subjects/text-events-value/versions/latest");
        assertThat(JSON.readTree(request.body()).get("schema").asText()).isEqualTo(SCHEMA.toString());
    }

    @Test
    void compatibilityLevelsAreReadAndWrittenGloballyAndPerSubject() throws IOException {
        registry.respond(200, "{\"compatibilityLevel\":\"FULL\"}")
                .respond(200, "{\"compatibilityLevel\":\"BACKWARD_TRANSITIVE\"}")
                .respond(200, "{\"compatibility\":\"FORWARD\"}")
                .respond(200, "{\"compatibility\":\"NONE\"}");
        RegistryClient client = client();

        assertThat(client.getCompatibility()).isEqualTo(CompatibilityLevel.FULL);
        assertThat(client.getCompatibility(SUBJECT)).isEqualTo(CompatibilityLevel.BACKWARD_TRANSITIVE);
        client.setCompatibility(SUBJECT, CompatibilityLevel.FORWARD);
        client.setCompatibility(CompatibilityLevel.NONE);

        var requests = registry.requests();
        assertThat(requests).extracting(FakeRegistryServer.Request::method).containsExactly("GET", "GET", "PUT", "PUT");
        assertThat(requests)
                .extracting(FakeRegistryServer.Request::path)
                .containsExactly("/config", "/config/text-events-value", "/config/text-events-value", "/config");
        assertThat(requests.get(1).query()).isEqualTo("defaultToGlobal=true");
        assertThat(JSON.readTree(requests.get(2).body()).get("compatibility").asText())
                .isEqualTo("FORWARD");
        assertThat(JSON.readTree(requests.get(3).body()).get("compatibility").asText())
                .isEqualTo("NONE");
    }

    @Test
    void subjectWithoutItsOwnLevelFallsBackToTheGlobalOne() {
        registry.respond(
                        404,
                        "{\"error_code\":40408,\"message\":\"Subject does not have subject-level compatibility configured\"}")
                .respond(200, "{\"compatibilityLevel\":\"BACKWARD\"}");

        assertThat(client().getCompatibility(SUBJECT)).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(registry.requests())
                .extracting(FakeRegistryServer.Request::path)
                .containsExactly("/config/text-events-value", "/config");
    }

    @Test
    void serverErrorsAreRetriedWithGrowingBackoffUntilSuccess() {
        registry.respond(503, "{\"error_code\":50003,\"message\":\"busy\"}")
                .respond(502, "Bad Gateway")
                .respond(200, "{\"id\":1}");
        RegistryClient client = RegistryClient.create(RegistryConfig.builder()
                .url(registry.url())
                .retries(3)
                .retryBackoff(Duration.ofMillis(50))
                .build());

        long start = System.nanoTime();
        assertThat(client.register(SUBJECT, SCHEMA)).isEqualTo(1);
        long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertThat(registry.requests()).hasSize(3);
        assertThat(elapsedMs).as("backoffs of 50 then 100 ms").isGreaterThanOrEqualTo(150);
    }

    @Test
    void serverErrorsSurfaceAfterTheLastRetry() {
        for (int i = 0; i < 3; i++) {
            registry.respond(500, "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}");
        }

        RegistryHttpException e =
                catchThrowableOfType(RegistryHttpException.class, () -> client().register(SUBJECT, SCHEMA));

        assertThat(e.status()).isEqualTo(500);
        assertThat(e.errorCode()).hasValue(50001);
        assertThat(e.serverMessage()).isEqualTo("Error in the backend data store");
        assertThat(registry.requests()).as("first attempt + 2 retries").hasSize(3);
    }

    @ParameterizedTest
    @CsvSource({
        "400, 400, io.streamguard.schemas.registry.RegistryHttpException",
        "401, 40101, io.streamguard.schemas.registry.RegistryAuthException",
        "403, 40301, io.streamguard.schemas.registry.RegistryAuthException",
        "409, 409, io.streamguard.schemas.registry.IncompatibleSchemaException",
        "422, 42201, io.streamguard.schemas.registry.InvalidSchemaException",
        "422, 42203, io.streamguard.schemas.registry.RegistryHttpException",
    })
    void clientErrorsAreTypedAndNeverRetried(int status, int errorCode, Class<?> expected) {
        registry.respond(status, "{\"error_code\":" + errorCode + ",\"message\":\"nope\"}");

        RegistryHttpException e =
                catchThrowableOfType(RegistryHttpException.class, () -> client().register(SUBJECT, SCHEMA));

        assertThat(e).isExactlyInstanceOf(expected);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.errorCode()).hasValue(errorCode);
        assertThat(e.serverMessage()).isEqualTo("nope");
        assertThat(registry.requests()).hasSize(1);
    }

    @Test
    void losingARaceToCreateTheSubjectRegistersAgain() {
        registry.respond(
                        409,
                        "{\"error_code\":409,\"message\":\"An artifact with ID 'text-events-value' in group"
                                + " 'null' already exists.\"}")
                .respond(200, "{\"id\":4}");

        assertThat(client().register(SUBJECT, SCHEMA)).isEqualTo(4);
        assertThat(registry.requests()).hasSize(2);
    }

    @Test
    void aRealIncompatibilityIsNotRegisteredAgain() {
        registry.respond(409, "{\"error_code\":409,\"message\":\"Incompatible schema\"}");

        assertThatThrownBy(() -> client().register(SUBJECT, SCHEMA)).isInstanceOf(IncompatibleSchemaException.class);
        assertThat(registry.requests()).hasSize(1);
    }

    @Test
    void nonJsonErrorBodyIsKeptAsTheMessage() {
        registry.respond(404, "<html><body>Not Found</body></html>");

        RegistryHttpException e = catchThrowableOfType(RegistryHttpException.class, () -> client().schemaById(1));

        assertThat(e).isExactlyInstanceOf(RegistryHttpException.class);
        assertThat(e.errorCode()).isEmpty();
        assertThat(e.serverMessage()).isEqualTo("<html><body>Not Found</body></html>");
    }

    @Test
    void malformedSuccessBodyIsAProtocolError() {
        registry.respond(200, "<html>login page</html>");

        assertThatThrownBy(() -> client().schemaById(1))
                .isExactlyInstanceOf(RegistryException.class)
                .hasMessageContaining("malformed response to GET /schemas/ids/1");
    }

    @Test
    void nonAvroSchemasAreRejected() {
        registry.respond(200, "{\"schema\":\"syntax = \\\"proto3\\\"; message M {}\",\"schemaType\":\"PROTOBUF\"}");

        assertThatThrownBy(() -> client().schemaById(5))
                .isInstanceOf(UnsupportedSchemaException.class)
                .hasMessageContaining("PROTOBUF");
    }

    @Test
    void basicAuthCredentialsAreSentWithEveryRequest() {
        registry.respond(200, "[]").respond(200, "{\"id\":1}");
        RegistryClient client = RegistryClient.create(RegistryConfig.fromMap(Map.of(
                RegistryConfig.URL, registry.url(),
                RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                RegistryConfig.BASIC_AUTH_USER_INFO, "alice:pa:ss")));

        client.subjects();
        client.register(SUBJECT, SCHEMA);

        String expected = "Basic " + Base64.getEncoder().encodeToString("alice:pa:ss".getBytes(StandardCharsets.UTF_8));
        assertThat(registry.requests())
                .extracting(r -> r.header("Authorization"))
                .containsOnly(expected);
    }

    @Test
    void noAuthorizationHeaderWithoutCredentials() {
        registry.respond(200, "[]");

        client().subjects();

        assertThat(registry.lastRequest().header("Authorization")).isNull();
    }

    @Test
    void pathPrefixOfTheBaseUrlIsKept() {
        registry.respond(200, "{\"id\":1}");

        client(RegistryConfig.builder().url(registry.url() + "/apis/ccompat/v7/"))
                .register(SUBJECT, SCHEMA);

        assertThat(registry.lastRequest().path()).isEqualTo("/apis/ccompat/v7/subjects/text-events-value/versions");
    }

    @Test
    void subjectIsEncodedAsOnePathSegment() {
        registry.respond(200, "{\"id\":1}");

        client().register("team a/events+x-value", SCHEMA);

        assertThat(registry.lastRequest().path()).isEqualTo("/subjects/team%20a%2Fevents%2Bx-value/versions");
    }

    @Test
    void unreachableRegistryIsReportedAfterRetries() throws IOException {
        String dead = deadUrl();

        RegistryUnreachableException e = catchThrowableOfType(
                RegistryUnreachableException.class,
                () -> client(RegistryConfig.builder().url(dead)).subjects());

        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e).hasMessageContaining("GET /subjects").hasMessageContaining(dead);
        assertThat(e.getCause()).isInstanceOf(ConnectException.class);
    }

    @Test
    void connectionFailureFailsOverToTheNextUrl() throws IOException {
        registry.respond(200, "[\"a\"]").respond(200, "[\"b\"]");
        RegistryClient client = RegistryClient.create(RegistryConfig.builder()
                .url(deadUrl() + ", " + registry.url())
                .retries(0)
                .build());

        assertThat(client.subjects()).containsExactly("a");
        assertThat(client.subjects()).containsExactly("b");
        assertThat(registry.requests()).hasSize(2);
    }

    /** A loopback URL nothing listens on. */
    private static String deadUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }
}
