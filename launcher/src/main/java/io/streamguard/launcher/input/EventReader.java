package io.streamguard.launcher.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.streamguard.launcher.cli.Messages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Reads {@link InputEvent}s line by line from JSONL or TSV. Blank lines are skipped; any other line
 * that does not parse fails with an {@link InputFormatException} naming its line number, never
 * silently dropped. A missing or empty {@code id} gets a random UUID.
 *
 * <p>JSONL: {@code {"id":"e1","text":"hi","language":"en","source":"chat","author":"u7",
 * "eventTime":"2024-05-01T12:00:00Z","attributes":{"room":"42"}}} with only {@code text} required;
 * {@code eventTime} is an ISO-8601 instant/offset date-time or epoch milliseconds. Unknown fields
 * are rejected so a typo ({@code "txt"}) is not lost quietly.
 *
 * <p>TSV: {@code id<TAB>text}, split at the first tab.
 *
 * <p>A blank text is refused unless {@code allowEmpty}: from a file it is almost always a mistake, and the pipeline
 * would only dead-letter it ({@code EMPTY_TEXT}). After an {@link InputFormatException}, {@link #next()} goes on with
 * the following line, so a caller can gather every bad line of an input.
 */
public final class EventReader {
    static final Set<String> JSON_FIELDS =
            Set.of("id", "text", "language", "source", "author", "eventTime", "attributes");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final InputStream in;
    private final InputFormat format;
    private final Supplier<String> idGenerator;
    private final boolean allowEmpty;
    private final ByteArrayOutputStream lineBuffer = new ByteArrayOutputStream(256);
    private long lineNumber;

    /** Reads UTF-8 from {@code in} (not closed here); buffer it, reading is byte by byte. */
    public EventReader(InputStream in, InputFormat format) {
        this(in, format, false);
    }

    /** As {@link #EventReader(InputStream, InputFormat)}; {@code allowEmpty} accepts blank texts. */
    public EventReader(InputStream in, InputFormat format, boolean allowEmpty) {
        this(in, format, () -> UUID.randomUUID().toString(), allowEmpty);
    }

    EventReader(InputStream in, InputFormat format, Supplier<String> idGenerator) {
        this(in, format, idGenerator, false);
    }

    private EventReader(InputStream in, InputFormat format, Supplier<String> idGenerator, boolean allowEmpty) {
        this.in = Objects.requireNonNull(in, "in");
        this.format = Objects.requireNonNull(format, "format");
        this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
        this.allowEmpty = allowEmpty;
    }

    /**
     * The next event, or empty at end of input.
     *
     * @throws InputFormatException for a malformed line
     * @throws UncheckedIOException if reading fails
     */
    public Optional<InputEvent> next() {
        String line;
        try {
            while ((line = readLine()) != null) {
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // UTF-8 BOM written by some editors
                }
                if (!line.isBlank()) {
                    return Optional.of(format == InputFormat.TSV ? parseTsv(line) : parseJson(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading input failed after line " + lineNumber, e);
        }
        return Optional.empty();
    }

    /**
     * The next line without its terminator ({@code \n} or {@code \r\n}), or null at the end. Lines
     * are decoded one at a time (not through a read-ahead Reader) so that invalid UTF-8 is reported
     * with the right line number.
     */
    private String readLine() throws IOException {
        lineBuffer.reset();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            lineBuffer.write(b);
        }
        if (b == -1 && lineBuffer.size() == 0) {
            return null;
        }
        lineNumber++;
        byte[] bytes = lineBuffer.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InputFormatException(lineNumber, "not valid UTF-8");
        }
    }

    /** The number of the last line read (1-based; 0 before the first). */
    public long lineNumber() {
        return lineNumber;
    }

    private InputEvent parseTsv(String line) {
        int tab = line.indexOf('\t');
        if (tab < 0) {
            throw new InputFormatException(lineNumber, "expected id<TAB>text, found no tab");
        }
        String text = line.substring(tab + 1);
        requireText(text);
        return new InputEvent(
                idOrGenerated(line.substring(0, tab).strip()), text, null, null, null, null, Map.of(), lineNumber);
    }

    private InputEvent parseJson(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InputFormatException(lineNumber, "invalid JSON: " + oneLine(e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new InputFormatException(lineNumber, "expected a JSON object, found " + describe(node));
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!JSON_FIELDS.contains(name)) {
                throw new InputFormatException(
                        lineNumber,
                        "unknown field '"
                                + name
                                + "' (allowed: id, text, language, source, author, eventTime, attributes)");
            }
        }
        String text = optionalString(node, "text");
        if (text == null) {
            throw new InputFormatException(lineNumber, "missing required field 'text'");
        }
        requireText(text);
        return new InputEvent(
                idOrGenerated(Optional.ofNullable(optionalString(node, "id"))
                        .map(String::strip)
                        .orElse("")),
                text,
                optionalString(node, "language"),
                optionalString(node, "source"),
                optionalString(node, "author"),
                eventTime(node.get("eventTime")),
                attributes(node.get("attributes")),
                lineNumber);
    }

    private String optionalString(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InputFormatException(
                    lineNumber, "field '" + field + "' must be a string, found " + describe(value));
        }
        return value.textValue();
    }

    private Instant eventTime(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Instant.ofEpochMilli(value.longValue());
        }
        if (value.isTextual()) {
            try {
                return OffsetDateTime.parse(value.textValue()).toInstant(); // also accepts ...Z
            } catch (DateTimeParseException e) {
                throw new InputFormatException(
                        lineNumber,
                        "field 'eventTime' is not an ISO-8601 date-time with offset"
                                + " (e.g. 2024-05-01T12:00:00Z): '"
                                + value.textValue()
                                + "'");
            }
        }
        throw new InputFormatException(
                lineNumber,
                "field 'eventTime' must be an ISO-8601 string or epoch milliseconds, found " + describe(value));
    }

    private Map<String, String> attributes(JsonNode value) {
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw new InputFormatException(
                    lineNumber, "field 'attributes' must be an object, found " + describe(value));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            JsonNode v = e.getValue();
            // The schema has map<string>; numbers and booleans are taken verbatim, structures are
            // refused.
            if (!v.isValueNode() || v.isNull()) {
                throw new InputFormatException(
                        lineNumber,
                        "attribute '" + e.getKey() + "' must be a string, number or boolean, found " + describe(v));
            }
            out.put(e.getKey(), v.asText());
        }
        return out;
    }

    private void requireText(String text) {
        if (text.isBlank() && !allowEmpty) {
            throw new InputFormatException(lineNumber, "'text' is empty");
        }
    }

    private String idOrGenerated(String id) {
        return id.isEmpty() ? idGenerator.get() : id;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case STRING -> "a string";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String oneLine(String message) {
        return message == null ? "unparseable" : Messages.oneLine(message);
    }
}
