package io.streamguard.topology;

import static io.streamguard.topology.Harness.batch;
import static io.streamguard.topology.Harness.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.TextEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile records through {@code --role all} (issue 16): whatever arrives on {@code text-events}, the
 * topology keeps running and every record is either labeled or dead-lettered with a reason, each exactly
 * once. Runs at_least_once: the driver drops the deserialization handler's dead letters under
 * exactly_once_v2 (see {@link Harness}); PipelineIT covers that handler on a real broker.
 */
class HostileInputTest {

    @TempDir
    Path stateDir;

    private final FakeScorer scorer = new FakeScorer(Harness.TOKENIZER).trigger("hate", "toxic", 0.95f);
    private Harness h;

    private void start() {
        PipelineSettings settings = new PipelineSettings(
                "worker-test",
                PipelineSettings.DEFAULT_MAX_TEXT_BYTES,
                batch(32, 20, 8192),
                PipelineSettings.DEFAULT_POLICY_KEY);
        h = new Harness(
                stateDir,
                StreamsConfig.AT_LEAST_ONCE,
                self -> LabelingTopology.build(
                        settings, self.serdes, self.metrics, "minilm-l6", Harness.TOKENIZER, scorer));
    }

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void everyHostileRecordIsLabeledOrDeadLetteredWithItsReasonAndThePipelineGoesOn() {
        start();
        byte[] header = Arrays.copyOf(h.bytes(Harness.event("x", "y")), 5); // magic byte + schema id
        Map<String, byte[]> corpus = new java.util.LinkedHashMap<>();
        Random random = new Random(16);
        for (int i = 0; i < 50; i++) {
            byte[] noise = new byte[random.nextInt(2_000)];
            random.nextBytes(noise);
            corpus.put("random-" + i, noise);
        }
        // Lengths that lie: a text claiming 2^30 bytes, a map claiming 2^30 entries, negative lengths.
        corpus.put("string-length-lies", concat(header, str("lie"), varint(1L << 30), "abc".getBytes()));
        corpus.put("negative-length", concat(header, str("neg"), varint(-5), "abc".getBytes()));
        corpus.put("map-count-lies", concat(header, str("map"), str("text"), nulls(4), varint(1L << 30)));
        corpus.put(
                "array-like-map-blocks",
                concat(header, str("blocks"), str("text"), nulls(4), varint(-(1L << 30)), varint(1L << 40)));
        // Valid Avro, hostile text.
        corpus.put(
                "invalid-utf8",
                concat(
                        header,
                        str("utf8"),
                        bytesField(new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28, (byte) 0xFF}),
                        nulls(4),
                        varint(0)));
        corpus.put(
                "only-invalid-utf8",
                concat(header, str("utf8b"), bytesField(new byte[] {(byte) 0xFF, (byte) 0xFE}), nulls(4), varint(0)));
        corpus.put("lone-surrogate", h.bytes(Harness.event("lone-surrogate", "broken \uD800 pair \uDFFF here")));
        corpus.put("zero-width", h.bytes(Harness.event("zero-width", "h\u200Ba\u200Dt\u2060e")));
        corpus.put("bidi", h.bytes(Harness.event("bidi", "\u202Ehate\u202C \u2066quiet\u2069")));
        corpus.put("only-format-chars", h.bytes(Harness.event("only-format-chars", "\u200B\u200C\u200D\u202E\uFEFF")));
        corpus.put("one-token-1mb", h.bytes(Harness.event("one-token-1mb", "a".repeat(1 << 20))));
        corpus.put(
                "one-token-64kb",
                h.bytes(Harness.event("one-token-64kb", "a".repeat(PipelineSettings.DEFAULT_MAX_TEXT_BYTES))));
        corpus.put(
                "huge-attributes",
                h.bytes(TextEvent.newBuilder()
                        .setId("huge-attributes")
                        .setText("fine")
                        .setAttributes(attributes(20_000))
                        .build()));
        corpus.put("empty-body", Arrays.copyOf(header, 5));
        corpus.put("empty", new byte[0]);

        for (Map.Entry<String, byte[]> e : corpus.entrySet()) {
            h.textEvents.pipeInput(e.getKey(), e.getValue());
        }
        // Null and empty keys, thousands of headers.
        h.textEvents.pipeInput(null, h.bytes(Harness.event("null-key", "no key at all")));
        h.textEvents.pipeInput("", h.bytes(Harness.event("empty-key", "empty key")));
        RecordHeaders many = new RecordHeaders();
        for (int i = 0; i < 5_000; i++) {
            many.add("h" + i, ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        h.textEvents.pipeInput(
                new TestRecord<>("many-headers", h.bytes(Harness.event("many-headers", "headers")), many));
        h.advance(100); // flush the last partial batch
        h.advance(100);

        List<TestRecord<String, LabeledEvent>> labeled = h.labeled.readRecordsToList();
        List<TestRecord<byte[], byte[]>> dead = h.dlq.readRecordsToList();
        Map<String, String> outcome = new TreeMap<>();
        labeled.forEach(r -> outcome.merge(r.value().getId(), "LABELED", (a, b) -> a + "+" + b));
        dead.forEach(r -> outcome.merge(
                r.key() == null ? "<null key>" : new String(r.key(), StandardCharsets.UTF_8),
                header(r, DeadLetterReason.HEADER),
                (a, b) -> a + "+" + b));
        System.out.println("HostileInputTest: "
                + outcome.entrySet().stream()
                        .filter(e -> !e.getKey().startsWith("random-"))
                        .toList());

        assertThat(labeled.size() + dead.size()).as("each record once").isEqualTo(corpus.size() + 3);
        assertThat(dead)
                .allSatisfy(r -> assertThat(header(r, DeadLetterReason.HEADER)).isNotBlank());
        for (int i = 0; i < 50; i++) {
            assertThat(outcome.get("random-" + i)).isIn("BAD_MAGIC_BYTE", "UNKNOWN_SCHEMA_ID", "CORRUPT_AVRO");
        }
        assertThat(outcome)
                .containsEntry("string-length-lies", "CORRUPT_AVRO")
                .containsEntry("negative-length", "CORRUPT_AVRO")
                .containsEntry("map-count-lies", "CORRUPT_AVRO")
                .containsEntry("array-like-map-blocks", "CORRUPT_AVRO")
                .containsEntry("utf8", "LABELED") // the invalid bytes decode to U+FFFD, which the tokenizer drops
                .containsEntry("only-invalid-utf8", "EMPTY_TEXT")
                .containsEntry("lone-surrogate", "LABELED")
                .containsEntry("zero-width", "LABELED")
                .containsEntry("bidi", "LABELED")
                .containsEntry("only-format-chars", "EMPTY_TEXT") // nothing readable is left
                .containsEntry("one-token-1mb", "TEXT_TOO_LARGE")
                .containsEntry("one-token-64kb", "LABELED")
                .containsEntry("huge-attributes", "LABELED")
                .containsEntry("empty-body", "CORRUPT_AVRO")
                .containsEntry("empty", "BAD_MAGIC_BYTE")
                .containsEntry("null-key", "LABELED")
                .containsEntry("empty-key", "LABELED")
                .containsEntry("many-headers", "LABELED");
        // Zero-width and bidi controls cannot hide a word: the tokenizer deletes format characters.
        for (String id : List.of("zero-width", "bidi")) {
            LabeledEvent event = labeled.stream()
                    .map(TestRecord::value)
                    .filter(e -> e.getId().equals(id))
                    .findFirst()
                    .orElseThrow();
            assertThat(event.getScores()).as(id).containsEntry("toxic", (double) 0.95f);
        }

        // And the pipeline goes on.
        h.send("after", "still running");
        h.advance(100);
        assertThat(h.labeled.readValuesToList()).extracting(LabeledEvent::getId).containsExactly("after");
    }

    @Test
    void tenThousandMutationsOfValidRecordsAreEachLabeledOrDeadLetteredOnce() {
        start();
        Random random = new Random(1616);
        List<byte[]> valid = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            valid.add(h.bytes(TextEvent.newBuilder()
                    .setId("valid-" + i)
                    .setText("the hate of " + i + " quiet words " + "x".repeat(i * 7))
                    .setLanguage(i % 2 == 0 ? "en" : null)
                    .setAttributes(attributes(i % 4))
                    .build()));
        }
        int n = 10_000;
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long heapBefore = runtime.totalMemory() - runtime.freeMemory();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String key = "fuzz-" + i;
            keys.add(key);
            h.textEvents.pipeInput(key, mutate(valid.get(random.nextInt(valid.size())), random));
            if (i % 500 == 499) {
                h.advance(50);
            }
        }
        h.advance(100);
        h.advance(100);

        // A mutant that still decodes carries its own id (maybe mutated too): match by record key.
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        for (TestRecord<String, LabeledEvent> r : h.labeled.readRecordsToList()) {
            seen.merge(r.key(), 1, Integer::sum);
            reasons.merge("LABELED", 1, Integer::sum);
        }
        for (TestRecord<byte[], byte[]> r : h.dlq.readRecordsToList()) {
            seen.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
            reasons.merge(header(r, DeadLetterReason.HEADER), 1, Integer::sum);
        }
        System.gc();
        long heapAfter = runtime.totalMemory() - runtime.freeMemory();
        System.out.printf(
                "HostileInputTest: %d mutants -> %s; heap %d MB before, %d MB after%n",
                n, reasons, heapBefore >> 20, heapAfter >> 20);

        assertThat(seen.keySet()).isEqualTo(keys);
        assertThat(seen.values()).as("once each").containsOnly(1);
        assertThat(reasons).containsKeys("LABELED", "CORRUPT_AVRO");
        assertThat(reasons.keySet()).doesNotContain("PROCESSING_FAILED", "DESERIALIZATION_FAILED", "INFERENCE_FAILED");
        h.send("after", "still running");
        h.advance(100);
        assertThat(h.labeled.readValuesToList()).extracting(LabeledEvent::getId).containsExactly("after");
    }

    /** One of: flip bits, overwrite, insert or delete bytes, truncate, duplicate a slice. */
    private static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        switch (random.nextInt(6)) {
            case 0 -> {
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    int i = random.nextInt(b.length);
                    b[i] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            }
            case 1 -> {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                return b;
            }
            case 2 -> {
                int at = random.nextInt(b.length + 1);
                byte[] extra = new byte[1 + random.nextInt(8)];
                random.nextBytes(extra);
                return concat(Arrays.copyOf(b, at), extra, Arrays.copyOfRange(b, at, b.length));
            }
            case 3 -> {
                int at = random.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + random.nextInt(8));
                return concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + len, b.length));
            }
            case 4 -> {
                return Arrays.copyOf(b, random.nextInt(b.length));
            }
            default -> {
                int at = random.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + random.nextInt(16));
                return concat(Arrays.copyOf(b, at + len), Arrays.copyOfRange(b, at, b.length));
            }
        }
    }

    private static Map<String, String> attributes(int n) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            out.put("k" + i, "v" + i);
        }
        return out;
    }

    /** Avro's zig-zag varint of {@code n}. */
    private static byte[] varint(long n) {
        long z = (n << 1) ^ (n >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
        return out.toByteArray();
    }

    private static byte[] str(String s) {
        return bytesField(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytesField(byte[] b) {
        return concat(varint(b.length), b);
    }

    /** {@code count} nullable fields set to null (union branch 0). */
    private static byte[] nulls(int count) {
        return new byte[count];
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
