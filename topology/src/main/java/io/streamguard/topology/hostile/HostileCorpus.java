package io.streamguard.topology.hostile;

import static io.streamguard.topology.hostile.AvroBytes.bytesField;
import static io.streamguard.topology.hostile.AvroBytes.concat;
import static io.streamguard.topology.hostile.AvroBytes.nulls;
import static io.streamguard.topology.hostile.AvroBytes.str;
import static io.streamguard.topology.hostile.AvroBytes.varint;

import io.streamguard.avro.TextEvent;
import io.streamguard.topology.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The hand-written hostile corpus of issue 16: what a hostile or broken producer can put on {@code
 * text-events} beyond the everyday dead-letter classes, each with the outcomes the pipeline may answer
 * with. Shared by the topology test (TopologyTestDriver), {@code bench hostile} and its integration test
 * (worker JVMs on a real broker), so all three send the same bytes.
 */
public final class HostileCorpus {
    /** A text of one token, over any sane text limit, still under the broker's default 1 MiB record. */
    public static final int ONE_TOKEN_TEXT_BYTES = 1_000_000;

    static final int RANDOM_RECORDS = 50;
    static final int MAP_ENTRIES = 20_000;
    static final int HEADERS = 5_000;
    private static final long RANDOM_SEED = 16;

    private HostileCorpus() {}

    /**
     * The corpus, every id and key prefixed with {@code prefix} (so a second pass is told apart).
     *
     * @param serializer writes a valid {@code TextEvent} as the pipeline reads it (Confluent wire format
     *     under the registry in use); its first 5 bytes head the hand-made Avro bodies
     * @param maxTextBytes the workers' {@code streamguard.dlq.max.text.bytes}: a text of exactly this many
     *     bytes must be labeled
     */
    public static List<HostileRecord> records(String prefix, Function<TextEvent, byte[]> serializer, int maxTextBytes) {
        Builder b = new Builder(prefix, serializer);
        Random random = new Random(RANDOM_SEED);
        for (int i = 0; i < RANDOM_RECORDS; i++) {
            byte[] noise = new byte[random.nextInt(2_000)];
            random.nextBytes(noise);
            b.raw(
                    "random-" + i,
                    "random bytes",
                    noise,
                    reasons(
                            DeadLetterReason.BAD_MAGIC_BYTE,
                            DeadLetterReason.UNKNOWN_SCHEMA_ID,
                            DeadLetterReason.CORRUPT_AVRO));
        }
        byte[] header = b.header;
        Set<String> corrupt = reasons(DeadLetterReason.CORRUPT_AVRO);
        // A text claiming 2^30 bytes, a negative length, a map claiming 2^30 entries, blocks with lying sizes.
        b.raw(
                "string-length-lies",
                "lengths that lie",
                concat(header, str("lie"), varint(1L << 30), "abc".getBytes()),
                corrupt);
        b.raw("negative-length", "lengths that lie", concat(header, str("neg"), varint(-5), "abc".getBytes()), corrupt);
        b.raw(
                "map-count-lies",
                "lengths that lie",
                concat(header, str("map"), str("text"), nulls(4), varint(1L << 30)),
                corrupt);
        b.raw(
                "array-like-map-blocks",
                "lengths that lie",
                concat(header, str("blocks"), str("text"), nulls(4), varint(-(1L << 30)), varint(1L << 40)),
                corrupt);
        // Valid Avro, hostile text. Invalid bytes decode to U+FFFD, which the tokenizer drops.
        b.raw(
                "invalid-utf8",
                "invalid UTF-8 inside a text",
                concat(
                        header,
                        str(prefix + "invalid-utf8"),
                        bytesField(new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28, (byte) 0xFF}),
                        nulls(4),
                        varint(0)),
                Set.of(HostileRecord.LABELED));
        b.raw(
                "only-invalid-utf8",
                "only invalid UTF-8",
                concat(
                        header,
                        str(prefix + "only-invalid-utf8"),
                        bytesField(new byte[] {(byte) 0xFF, (byte) 0xFE}),
                        nulls(4),
                        varint(0)),
                reasons(DeadLetterReason.EMPTY_TEXT));
        b.labeled("lone-surrogate", "lone surrogates", "broken \uD800 pair \uDFFF here");
        b.labeled("zero-width", "zero-width controls", "h\u200Ba\u200Dt\u2060e");
        b.labeled("bidi", "bidi controls", "\u202Ehate\u202C \u2066quiet\u2069");
        b.event(
                "only-format-chars",
                "only format characters",
                "\u200B\u200C\u200D\u202E\uFEFF",
                reasons(DeadLetterReason.EMPTY_TEXT));
        b.event(
                "one-token-1mb",
                "1 MB text of one token",
                "a".repeat(ONE_TOKEN_TEXT_BYTES),
                reasons(DeadLetterReason.TEXT_TOO_LARGE));
        b.labeled("one-token-at-limit", "one token at the text limit", "a".repeat(maxTextBytes));
        b.add(
                "huge-map",
                "map of 20,000 attributes",
                b.key("huge-map"),
                serializer.apply(TextEvent.newBuilder()
                        .setId(prefix + "huge-map")
                        .setText("fine")
                        .setAttributes(attributes(MAP_ENTRIES))
                        .build()),
                List.of(),
                Set.of(HostileRecord.LABELED));
        b.raw("empty-body", "header without a body", Arrays.copyOf(header, 5), corrupt);
        b.raw("empty", "empty value", new byte[0], reasons(DeadLetterReason.BAD_MAGIC_BYTE));
        b.add(
                "null-key",
                "null key",
                null,
                b.bytes("null-key", "no key at all"),
                List.of(),
                Set.of(HostileRecord.LABELED));
        b.add(
                "empty-key",
                "empty key",
                "",
                b.bytes("empty-key", "empty key"),
                List.of(),
                Set.of(HostileRecord.LABELED));
        List<Header> many = new ArrayList<>(HEADERS);
        for (int i = 0; i < HEADERS; i++) {
            many.add(new RecordHeader("h" + i, ("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        b.add(
                "many-headers",
                "5,000 headers",
                b.key("many-headers"),
                b.bytes("many-headers", "headers"),
                many,
                Set.of(HostileRecord.LABELED));
        return List.copyOf(b.out);
    }

    /** {@code n} attributes {@code k<i> -> v<i>}. */
    static Map<String, String> attributes(int n) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            out.put("k" + i, "v" + i);
        }
        return out;
    }

    private static Set<String> reasons(DeadLetterReason... reasons) {
        return Arrays.stream(reasons).map(Enum::name).collect(Collectors.toUnmodifiableSet());
    }

    /** Collects the records of one corpus under one prefix. */
    private static final class Builder {
        final String prefix;
        final Function<TextEvent, byte[]> serializer;
        final byte[] header;
        final List<HostileRecord> out = new ArrayList<>();

        Builder(String prefix, Function<TextEvent, byte[]> serializer) {
            this.prefix = prefix;
            this.serializer = serializer;
            this.header = Arrays.copyOf(
                    serializer.apply(
                            TextEvent.newBuilder().setId("x").setText("y").build()),
                    5);
        }

        String key(String name) {
            return prefix + name;
        }

        byte[] bytes(String name, String text) {
            return serializer.apply(
                    TextEvent.newBuilder().setId(prefix + name).setText(text).build());
        }

        void raw(String name, String inputClass, byte[] value, Set<String> outcomes) {
            add(name, inputClass, key(name), value, List.of(), outcomes);
        }

        void event(String name, String inputClass, String text, Set<String> outcomes) {
            raw(name, inputClass, bytes(name, text), outcomes);
        }

        void labeled(String name, String inputClass, String text) {
            event(name, inputClass, text, Set.of(HostileRecord.LABELED));
        }

        void add(String name, String inputClass, String key, byte[] value, List<Header> headers, Set<String> outcomes) {
            out.add(new HostileRecord(prefix + name, inputClass, key, value, headers, outcomes));
        }
    }
}
