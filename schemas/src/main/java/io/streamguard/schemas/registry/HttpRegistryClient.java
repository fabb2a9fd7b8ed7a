package io.streamguard.schemas.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link RegistryClient} over the JDK HTTP client; obtain one through {@link RegistryClient#create}. */
final class HttpRegistryClient implements RegistryClient {

    private static final Logger log = LoggerFactory.getLogger(HttpRegistryClient.class);

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    // What Confluent's own client sends: prefer the versioned type, accept plain JSON from proxies.
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final int MAX_ERROR_BODY_CHARS = 500;
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final RegistryConfig config;
    private final HttpClient http;
    private final Optional<String> authorization;
    /** Index of the URL that last answered, so a failed-over client stays on the healthy one. */
    private final AtomicInteger preferredUrl = new AtomicInteger();

    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

    HttpRegistryClient(RegistryConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        HttpClient.Builder builder = HttpClient.newBuilder()
                // Registries and their proxies speak HTTP/1.1; skipping the h2c upgrade avoids surprises.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        TlsContexts.from(config).ifPresent(builder::sslContext);
        this.http = builder.build();
        this.authorization = config.basicAuth()
                .map(auth -> "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (auth.username() + ":" + auth.password()).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public int register(String subject, Schema schema) {
        Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        String path = "/subjects/" + segment(subject) + "/versions";
        IdResponse response;
        try {
            response = call("POST", path, schemaBody(schema), IdResponse.class);
        } catch (IncompatibleSchemaException e) {
            if (!lostFirstRegistrationRace(e)) {
                throw e;
            }
            // Apicurio answers 409 "artifact ... already exists" to the loser when two clients register a new
            // subject at once (two workers starting together do). The subject exists now: asking again returns
            // the id, or a genuine incompatibility.
            response = call("POST", path, schemaBody(schema), IdResponse.class);
        }
        int id = required(response.id(), "id", path);
        remember(subject, schema, id);
        return id;
    }

    private static boolean lostFirstRegistrationRace(IncompatibleSchemaException e) {
        return e.serverMessage() != null && e.serverMessage().contains("already exists");
    }

    @Override
    public int lookup(String subject, Schema schema) {
        Integer cached = cachedId(subject, schema);
        if (cached != null) {
            return cached;
        }
        String path = "/subjects/" + segment(subject);
        SubjectVersionResponse response = call("POST", path, schemaBody(schema), SubjectVersionResponse.class);
        int id = required(response.id(), "id", path);
        remember(subject, schema, id);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        String path = "/schemas/ids/" + id;
        SchemaResponse response = call("GET", path, null, SchemaResponse.class);
        Schema schema = parse(response.schemaType(), required(response.schema(), "schema", path), "id " + id);
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @Override
    public SchemaVersion latest(String subject) {
        String path = "/subjects/" + segment(subject) + "/versions/latest";
        SubjectVersionResponse response = call("GET", path, null, SubjectVersionResponse.class);
        int id = required(response.id(), "id", path);
        Schema schema = parse(
                response.schemaType(),
                required(response.schema(), "schema", path),
                "subject " + subject + " (id " + id + ")");
        schemasById.putIfAbsent(id, schema);
        return new SchemaVersion(subject, id, required(response.version(), "version", path), schema);
    }

    @Override
    public List<String> subjects() {
        return List.of(call("GET", "/subjects", null, String[].class));
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        String path = "/compatibility/subjects/" + segment(subject) + "/versions/latest";
        CompatibilityResponse response = call("POST", path, schemaBody(schema), CompatibilityResponse.class);
        return required(response.isCompatible(), "is_compatible", path);
    }

    @Override
    public CompatibilityLevel getCompatibility() {
        return call("GET", "/config", null, ConfigResponse.class).level("/config");
    }

    @Override
    public CompatibilityLevel getCompatibility(String subject) {
        String path = "/config/" + segment(subject);
        try {
            return call("GET", path + "?defaultToGlobal=true", null, ConfigResponse.class)
                    .level(path);
        } catch (RegistryHttpException e) {
            // Registries that ignore defaultToGlobal answer 40401 (unknown subject) or 40408 (no
            // subject-level config); either way the global level is the one in effect.
            int code = e.errorCode().orElse(-1);
            if (e.status() == 404 && (code == 40401 || code == 40408)) {
                return getCompatibility();
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(CompatibilityLevel level) {
        call("PUT", "/config", json(Map.of("compatibility", level.name())), JsonNode.class);
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        call("PUT", "/config/" + segment(subject), json(Map.of("compatibility", level.name())), JsonNode.class);
    }

    @Override
    public String toString() {
        return "HttpRegistryClient" + config.urls();
    }

    // ---- caching ----

    private Integer cachedId(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        Map<Schema, Integer> ids = idsBySubject.get(subject);
        return ids == null ? null : ids.get(schema);
    }

    private void remember(String subject, Schema schema, int id) {
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).putIfAbsent(schema, id);
        schemasById.putIfAbsent(id, schema);
    }

    // ---- HTTP with failover and retries ----

    private <T> T call(String method, String pathAndQuery, byte[] body, Class<T> type) {
        byte[] response = send(method, pathAndQuery, body);
        try {
            T value = JSON.readValue(response, type);
            if (value == null) {
                throw new RegistryException("empty response to " + method + " " + pathAndQuery);
            }
            return value;
        } catch (IOException e) {
            throw new RegistryException(
                    "malformed response to " + method + " " + pathAndQuery + ": " + e.getMessage(), e);
        }
    }

    private byte[] send(String method, String pathAndQuery, byte[] body) {
        String request = method + " " + pathAndQuery;
        int maxAttempts = config.retries() + 1;
        for (int attempt = 1; ; attempt++) {
            RegistryException failure;
            try {
                HttpResponse<byte[]> response = sendToFirstReachable(method, pathAndQuery, body);
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response.body();
                }
                RegistryHttpException error = toException(status, response.body(), request);
                if (status < 500) {
                    throw error; // the request itself is wrong; repeating it cannot help
                }
                failure = error;
            } catch (IOException e) {
                failure = new RegistryUnreachableException(
                        "no schema registry reachable for " + request + " after " + attempt + " attempt(s) (tried "
                                + config.urls() + "): " + e,
                        attempt,
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("interrupted during " + request, e);
            }
            if (attempt >= maxAttempts) {
                throw failure;
            }
            Duration backoff = backoff(attempt);
            log.warn(
                    "Schema registry {} failed (attempt {}/{}), retrying in {} ms: {}",
                    request,
                    attempt,
                    maxAttempts,
                    backoff.toMillis(),
                    failure.getMessage());
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("interrupted while retrying " + request, e);
            }
        }
    }

    /** Tries each URL once, starting with the preferred one; throws the last I/O error if none answers. */
    private HttpResponse<byte[]> sendToFirstReachable(String method, String pathAndQuery, byte[] body)
            throws IOException, InterruptedException {
        List<URI> urls = config.urls();
        int start = preferredUrl.get();
        IOException last = null;
        for (int i = 0; i < urls.size(); i++) {
            int index = (start + i) % urls.size();
            URI uri = URI.create(urls.get(index) + pathAndQuery);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(config.requestTimeout())
                    .header("Accept", ACCEPT)
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
            }
            authorization.ifPresent(value -> request.header("Authorization", value));
            try {
                HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                preferredUrl.set(index);
                return response;
            } catch (IOException e) {
                log.debug("Schema registry {} unreachable: {}", urls.get(index), e.toString());
                if (last != null) {
                    e.addSuppressed(last);
                }
                last = e;
            }
        }
        throw last;
    }

    private Duration backoff(int attempt) {
        long millis = config.retryBackoff().toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    static RegistryHttpException toException(int status, byte[] body, String request) {
        OptionalInt code = OptionalInt.empty();
        String message = new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8).strip();
        try {
            JsonNode node = JSON.readTree(message);
            if (node != null && node.isObject()) {
                if (node.path("error_code").canConvertToInt()) {
                    code = OptionalInt.of(node.path("error_code").intValue());
                }
                if (node.path("message").isTextual()) {
                    message = node.path("message").textValue();
                }
            }
        } catch (JsonProcessingException notJson) {
            // A proxy or wrong URL answered with HTML/text; keep it (truncated) as the message.
        }
        if (message.length() > MAX_ERROR_BODY_CHARS) {
            message = message.substring(0, MAX_ERROR_BODY_CHARS) + "...";
        }
        switch (status) {
            case 401, 403:
                return new RegistryAuthException(status, code, message, request);
            case 404:
                if (code.isPresent()) {
                    Optional<UnknownSchemaException.Kind> kind = UnknownSchemaException.Kind.of(code.getAsInt());
                    if (kind.isPresent()) {
                        return new UnknownSchemaException(kind.get(), message, request);
                    }
                }
                return new RegistryHttpException(status, code, message, request);
            case 409:
                return new IncompatibleSchemaException(code, message, request);
            case 422:
                // 42202/42203/42204 are an invalid version, compatibility level or mode: not the schema.
                int c = code.orElse(42201);
                if (c == 42202 || c == 42203 || c == 42204) {
                    return new RegistryHttpException(status, code, message, request);
                }
                return new InvalidSchemaException(code, message, request);
            default:
                return new RegistryHttpException(status, code, message, request);
        }
    }

    // ---- JSON and schema helpers ----

    private static byte[] schemaBody(Schema schema) {
        // schemaType omitted: AVRO is the default everywhere, and older registries reject the field.
        return json(Map.of("schema", schema.toString()));
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode request body", e);
        }
    }

    private static Schema parse(String schemaType, String text, String what) {
        if (schemaType != null && !"AVRO".equalsIgnoreCase(schemaType)) {
            throw new UnsupportedSchemaException(
                    "registry schema for " + what + " is of type " + schemaType + "; only AVRO is supported");
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new UnsupportedSchemaException(
                    "registry schema for " + what + " is not a parseable Avro schema: " + e.getMessage(), e);
        }
    }

    private static <T> T required(T value, String field, String path) {
        if (value == null) {
            throw new RegistryException("response to " + path + " lacks '" + field + "'");
        }
        return value;
    }

    /** Encodes a subject as one path segment (URLEncoder targets forms: '+' must become %20). */
    private static String segment(String subject) {
        Objects.requireNonNull(subject, "subject");
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    record IdResponse(Integer id) {}

    record SchemaResponse(String schema, String schemaType) {}

    record SubjectVersionResponse(String subject, Integer id, Integer version, String schema, String schemaType) {}

    record CompatibilityResponse(
            @JsonProperty("is_compatible") Boolean isCompatible) {}

    /** Confluent answers GET with "compatibilityLevel" and PUT with "compatibility". */
    record ConfigResponse(String compatibilityLevel, String compatibility) {

        CompatibilityLevel level(String path) {
            String value = compatibilityLevel != null ? compatibilityLevel : compatibility;
            if (value == null) {
                throw new RegistryException("response to " + path + " lacks 'compatibilityLevel'");
            }
            try {
                return CompatibilityLevel.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RegistryException("unknown compatibility level '" + value + "' from " + path, e);
            }
        }
    }
}
