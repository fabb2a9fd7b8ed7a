package io.streamguard.topology;

import static io.streamguard.topology.Harness.batch;
import static io.streamguard.topology.Harness.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.avro.LabeledEvent;
import io.streamguard.topology.hostile.HostileCorpus;
import io.streamguard.topology.hostile.HostileRecord;
import io.streamguard.topology.hostile.Mutants;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
                        settings,
                        self.serdes,
                        self.metrics,
                        Tokenizers.single("minilm-l6", Harness.TOKENIZER),
                        Scorers.single("minilm-l6", scorer)));
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
        List<HostileRecord> corpus = HostileCorpus.records("", h::bytes, PipelineSettings.DEFAULT_MAX_TEXT_BYTES);
        for (HostileRecord r : corpus) {
            h.textEvents.pipeInput(new TestRecord<>(r.key(), r.value(), new RecordHeaders(r.headers())));
        }
        h.advance(100); // flush the last partial batch
        h.advance(100);

        List<TestRecord<String, LabeledEvent>> labeled = h.labeled.readRecordsToList();
        List<TestRecord<byte[], byte[]>> dead = h.dlq.readRecordsToList();
        // Keyed records by key; a null or empty key by the id inside the value.
        Map<String, String> outcome = new TreeMap<>();
        labeled.forEach(r -> outcome.merge(
                r.key() == null || r.key().isEmpty() ? r.value().getId() : r.key(),
                HostileRecord.LABELED,
                (a, b) -> a + "+" + b));
        dead.forEach(r -> outcome.merge(
                r.key() == null ? "<null key>" : new String(r.key(), StandardCharsets.UTF_8),
                header(r, DeadLetterReason.HEADER),
                (a, b) -> a + "+" + b));
        System.out.println("HostileInputTest: "
                + outcome.entrySet().stream()
                        .filter(e -> !e.getKey().startsWith("random-"))
                        .toList());

        assertThat(labeled.size() + dead.size()).as("each record once").isEqualTo(corpus.size());
        assertThat(dead)
                .allSatisfy(r -> assertThat(header(r, DeadLetterReason.HEADER)).isNotBlank());
        for (HostileRecord r : corpus) {
            assertThat(outcome.get(r.id())).as(r.id()).isIn(r.outcomes());
        }
        assertThat(outcome)
                .containsEntry("string-length-lies", "CORRUPT_AVRO")
                .containsEntry(
                        "invalid-utf8", "LABELED") // the invalid bytes decode to U+FFFD, which the tokenizer drops
                .containsEntry("only-invalid-utf8", "EMPTY_TEXT")
                .containsEntry("only-format-chars", "EMPTY_TEXT") // nothing readable is left
                .containsEntry("one-token-1mb", "TEXT_TOO_LARGE")
                .containsEntry("one-token-at-limit", "LABELED")
                .containsEntry("huge-map", "LABELED")
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
        Mutants mutants = Mutants.of(Mutants.DEFAULT_SEED, h::bytes);
        int n = 10_000;
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long heapBefore = runtime.totalMemory() - runtime.freeMemory();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String key = "fuzz-" + i;
            keys.add(key);
            h.textEvents.pipeInput(key, mutants.next());
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
}
