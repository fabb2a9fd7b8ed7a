package io.streamguard.topology;

import static io.streamguard.topology.Harness.batch;
import static io.streamguard.topology.Harness.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.streamguard.avro.Decision;
import io.streamguard.avro.LabelPolicy;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.avro.PendingInference;
import io.streamguard.avro.TextEvent;
import io.streamguard.schemas.Topics;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --role all}: text-events to labeled events in one topology. */
class LabelingTopologyTest {

    @TempDir
    Path stateDir;

    private final FakeScorer scorer = new FakeScorer(Harness.TOKENIZER)
            .trigger("hate", "toxic", 0.95f)
            .trigger("bad", "toxic", 0.6f)
            .trigger("prize", "spam", 0.97f)
            .trigger("offer", "spam", 0.7f);
    private Harness h;

    private Harness start(BatchSettings batch) {
        return start(batch, StreamsConfig.EXACTLY_ONCE_V2);
    }

    private Harness start(BatchSettings batch, String guarantee) {
        h = new Harness(
                stateDir,
                guarantee,
                self -> LabelingTopology.build(
                        Harness.settings(batch),
                        self.serdes,
                        self.metrics,
                        Tokenizers.single("minilm-l6", Harness.TOKENIZER),
                        Scorers.single("minilm-l6", scorer)));
        return h;
    }

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void languageSourceAndAuthorOfTheTextEventAreCarriedSoASinkTableNeedsNoJoin() {
        start(batch(1, 20, 8192));
        h.send(TextEvent.newBuilder()
                .setId("comments:42")
                .setText("what a lovely day")
                .setLanguage("en")
                .setSource("comments")
                .setAuthor("mia")
                .build());
        h.send("e2", "no metadata");

        List<LabeledEvent> out = h.labeled.readValuesToList();
        assertThat(out)
                .extracting(
                        LabeledEvent::getId,
                        LabeledEvent::getLanguage,
                        LabeledEvent::getSource,
                        LabeledEvent::getAuthor)
                .containsExactly(tuple("comments:42", "en", "comments", "mia"), tuple("e2", "en", null, null));
    }

    @Test
    void everyEventIsLabeledWithScoresDecisionVersionsAndTimings() {
        start(batch(2, 20, 8192));
        h.send("e1", "what a lovely day");
        h.advance(5);
        h.send("e2", "i hate this so much");

        List<TestRecord<String, LabeledEvent>> out = h.labeled.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly("e1", "e2");
        LabeledEvent first = out.get(0).value();
        assertThat(first.getId()).isEqualTo("e1");
        assertThat(first.getScores()).containsOnlyKeys("toxic", "spam");
        assertThat(first.getDecision()).isEqualTo(Decision.ALLOW);
        assertThat(first.getTriggeredLabels()).isEmpty();
        assertThat(first.getSentiment().getLabel()).isEqualTo("positive");
        assertThat(first.getModelVersion()).isEqualTo("fake-1");
        assertThat(first.getPolicyVersion()).isEqualTo("model:fake-1");
        assertThat(first.getTruncated()).isFalse();
        assertThat(first.getWorkerId()).isEqualTo("worker-test");
        assertThat(first.getText()).isEqualTo("what a lovely day");
        assertThat(first.getEventTime()).isEqualTo(Harness.START.minusMillis(Harness.SEND_AGE_MS));
        assertThat(first.getTimings().getBatchSize()).isEqualTo(2);
        assertThat(first.getTimings().getQueueWaitMs()).isEqualTo(5);
        assertThat(first.getTimings().getEndToEndMs()).isEqualTo(Harness.SEND_AGE_MS + 5);
        assertThat(first.getTimings().getTokenizeMs()).isPositive();
        assertThat(first.getTimings().getModelMs()).isPositive();
        assertThat(out.get(0).timestamp())
                .isEqualTo(Harness.START.minusMillis(Harness.SEND_AGE_MS).toEpochMilli());
        assertThat(first.getLabeledAt().toEpochMilli())
                .isEqualTo(out.get(0).timestamp() + first.getTimings().getEndToEndMs());

        LabeledEvent second = out.get(1).value();
        assertThat(second.getDecision()).isEqualTo(Decision.BLOCK);
        assertThat(second.getTriggeredLabels()).containsExactly("toxic");
        assertThat(second.getScores().get("toxic")).isCloseTo(0.95, Offset.offset(1e-6));
        assertThat(second.getSentiment().getLabel()).isEqualTo("negative");
        assertThat(second.getTimings().getQueueWaitMs()).isZero();
        assertThat(h.counter("streamguard.events.out", "decision", "BLOCK")).isEqualTo(1);
        assertThat(h.counter("streamguard.decisions", "decision", "BLOCK", "label", "toxic"))
                .isEqualTo(1);
        assertThat(h.meters.find("streamguard.batch.size").summary().count()).isEqualTo(1);
    }

    @Test
    void longTextsAreMarkedTruncated() {
        start(batch(1, 20, 8192));
        h.send("long", "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen");

        assertThat(h.labeled.readValue().getTruncated()).isTrue();
    }

    @Test
    void decisionsRouteCopiesToReviewAndBlocked() {
        start(batch(8, 20, 8192));
        h.send("allow", "nice weather");
        h.send("review", "that was bad");
        h.send("block", "win a prize now");
        h.send("both", "bad offer");
        h.advance(20);

        assertThat(h.labeled.readValuesToList())
                .extracting(LabeledEvent::getDecision)
                .containsExactly(Decision.ALLOW, Decision.REVIEW, Decision.BLOCK, Decision.REVIEW);
        List<LabeledEvent> review = h.review.readValuesToList();
        assertThat(review).extracting(LabeledEvent::getId).containsExactly("review", "both");
        assertThat(review.get(1).getTriggeredLabels()).as("highest score first").containsExactly("spam", "toxic");
        assertThat(h.blocked.readValuesToList()).extracting(LabeledEvent::getId).containsExactly("block");
    }

    @Test
    void batchesCloseAtTheSizeLimit() {
        start(batch(4, 20, 8192));
        for (int i = 0; i < 10; i++) {
            h.send("k" + i, "message number " + i);
        }
        assertThat(scorer.batchSizes).containsExactly(4, 4);
        assertThat(h.labeled.getQueueSize()).isEqualTo(8);

        h.advance(20);
        assertThat(scorer.batchSizes).containsExactly(4, 4, 2);
        assertThat(h.labeled.readValuesToList())
                .extracting(LabeledEvent::getId)
                .containsExactly("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9");
    }

    @Test
    void aPartialBatchWaitsAtMostTheMaximumWait() {
        start(batch(32, 20, 8192));
        h.send("a", "hello there");
        h.advance(10);
        h.send("b", "general kenobi");
        h.advance(5);
        assertThat(h.labeled.isEmpty()).as("oldest waited 15 of 20 ms").isTrue();

        h.advance(5);
        List<LabeledEvent> out = h.labeled.readValuesToList();
        assertThat(out).extracting(LabeledEvent::getId).containsExactly("a", "b");
        assertThat(out).extracting(e -> e.getTimings().getQueueWaitMs()).containsExactly(20L, 10L);
        assertThat(out).extracting(e -> e.getTimings().getBatchSize()).containsExactly(2, 2);
        assertThat(scorer.batchSizes).containsExactly(2);
    }

    /**
     * Two drivers on one thread stand for two tasks of one stream thread: while the other task's batch
     * holds the thread in the engine, nothing can be polled, so that time does not count as waiting.
     */
    @Test
    void timeTheThreadSpendsInTheEngineDoesNotCountAsWaiting(@TempDir Path otherStateDir) {
        start(batch(32, 20, 8192));
        FakeScorer slow = scorer.onTheSameThread().delay(300);
        try (Harness other = new Harness(
                otherStateDir,
                StreamsConfig.EXACTLY_ONCE_V2,
                self -> LabelingTopology.build(
                        Harness.settings(batch(1, 20, 8192)),
                        self.serdes,
                        self.metrics,
                        Tokenizers.single("minilm-l6", Harness.TOKENIZER),
                        Scorers.single("minilm-l6", slow)))) {
            h.send("a", "hello there");
            other.send("x", "a batch of one, closed by size, 300 ms in the engine");
            assertThat(slow.batchSizes).containsExactly(1);

            // 20 ms of the clock have passed, but the thread was in the engine for 300 of them.
            h.advance(20);
            assertThat(h.labeled.isEmpty())
                    .as("engine time is not waiting time")
                    .isTrue();
            h.advance(299);
            assertThat(h.labeled.isEmpty()).as("gathered 19 of 20 ms").isTrue();
            h.advance(1);
            assertThat(h.labeled.readValuesToList())
                    .extracting(LabeledEvent::getId)
                    .containsExactly("a");
        }
    }

    @Test
    void aTextThatWouldOverflowTheTokenBudgetClosesTheBatchFirst() {
        // "a b c d e f" is 8 tokens with [CLS] and [SEP]; 3 x 8 = 24 > 20.
        start(batch(32, 20, 20));
        h.send("t1", "a b c d e f");
        h.send("t2", "a b c d e f");
        assertThat(scorer.batchSizes).isEmpty();
        h.send("t3", "a b c d e f");
        assertThat(scorer.batchSizes).containsExactly(2);

        // 15 tokens: 2 x 15 > 20, so t3 runs alone and t4 waits for its own batch.
        h.send("t4", "one two three four five six seven eight nine ten eleven twelve thirteen");
        assertThat(scorer.batchSizes).containsExactly(2, 1);
        h.advance(20);
        assertThat(scorer.batchSizes).containsExactly(2, 1, 1);
        assertThat(h.labeled.readValuesToList())
                .extracting(LabeledEvent::getId)
                .containsExactly("t1", "t2", "t3", "t4");
    }

    @Test
    void perKeyOrderIsKeptAcrossBatches() {
        start(batch(3, 20, 8192));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String key = "user-" + (i % 3);
            String id = key + "#" + i;
            h.textEvents.pipeInput(new TestRecord<>(key, h.bytes(Harness.event(id, "text " + i)), h.wallClock()));
            sent.add(id);
        }
        h.advance(20);

        List<TestRecord<String, LabeledEvent>> out = h.labeled.readRecordsToList();
        assertThat(out).extracting(r -> r.value().getId()).containsExactlyElementsOf(sent);
        assertThat(out).allSatisfy(r -> assertThat(r.value().getId()).startsWith(r.key() + "#"));
    }

    @Test
    void policyIsHotReloadedAndItsVersionRecorded() {
        start(batch(1, 20, 8192));
        h.send("before", "that was bad");
        assertThat(h.labeled.readValue()).satisfies(e -> {
            assertThat(e.getDecision()).isEqualTo(Decision.REVIEW);
            assertThat(e.getPolicyVersion()).isEqualTo("model:fake-1");
        });

        h.policy.pipeInput("default", policy("v1", Map.of("toxic", rule(0.3, 0.5, true))));
        h.send("v1", "that was bad");
        assertThat(h.labeled.readValue()).satisfies(e -> {
            assertThat(e.getDecision()).isEqualTo(Decision.BLOCK);
            assertThat(e.getPolicyVersion()).isEqualTo("v1");
        });

        h.policy.pipeInput("default", policy("v2", Map.of("toxic", rule(0.3, 0.5, false))));
        h.send("v2", "that was bad, win a prize");
        assertThat(h.labeled.readValue())
                .as("disabled toxic; spam falls back to the model's thresholds")
                .satisfies(e -> {
                    assertThat(e.getDecision()).isEqualTo(Decision.BLOCK);
                    assertThat(e.getTriggeredLabels()).containsExactly("spam");
                    assertThat(e.getPolicyVersion()).isEqualTo("v2");
                });

        h.policy.pipeInput("default", policy("v3-broken", Map.of("toxic", rule(0.9, 0.2, true))));
        h.send("v3", "that was bad");
        assertThat(h.labeled.readValue().getPolicyVersion())
                .as("invalid policy ignored, v2 stays")
                .isEqualTo("v2");

        h.policy.pipeInput("other-policy", policy("x", Map.of()));
        h.policy.pipeInput("default", null);
        h.send("gone", "that was bad");
        assertThat(h.labeled.readValue().getPolicyVersion()).isEqualTo("model:fake-1");
    }

    @Test
    void badBytesAreDeadLetteredByTheDeserializationHandler() {
        start(batch(1, 20, 8192), StreamsConfig.AT_LEAST_ONCE);
        byte[] good = h.bytes(Harness.event("x", "fine text"));
        byte[] badMagic = good.clone();
        badMagic[0] = 7;
        byte[] unknownId = good.clone();
        unknownId[4] = 99;
        byte[] truncated = Arrays.copyOf(good, good.length - 3);

        h.textEvents.pipeInput("bad-magic", badMagic);
        h.textEvents.pipeInput("unknown-id", unknownId);
        h.textEvents.pipeInput("truncated", truncated);
        h.textEvents.pipeInput("x", good);

        List<TestRecord<byte[], byte[]>> dead = h.dlq.readRecordsToList();
        assertThat(dead)
                .extracting(r -> header(r, DeadLetterReason.HEADER))
                .containsExactly("BAD_MAGIC_BYTE", "UNKNOWN_SCHEMA_ID", "CORRUPT_AVRO");
        assertThat(dead).extracting(TestRecord::value).containsExactly(badMagic, unknownId, truncated);
        assertThat(dead).extracting(r -> new String(r.key())).containsExactly("bad-magic", "unknown-id", "truncated");
        assertThat(dead).extracting(r -> header(r, "__streams.errors.topic")).containsOnly(Topics.TEXT_EVENTS);
        assertThat(dead).extracting(r -> header(r, "__streams.errors.offset")).containsExactly("0", "1", "2");
        assertThat(header(dead.get(0), "__streams.errors.exception"))
                .isEqualTo("io.streamguard.schemas.serde.WireFormatException");
        assertThat(h.labeled.readValuesToList()).extracting(LabeledEvent::getId).containsExactly("x");
        assertThat(h.counter("streamguard.dlq.records", "reason", "CORRUPT_AVRO"))
                .isEqualTo(1);
    }

    @Test
    void invalidEventsAreDeadLetteredByTheProcessingHandler() {
        start(batch(1, 20, 8192));
        h.textEvents.pipeInput("tombstone", (byte[]) null);
        byte[] empty = h.send("empty", "   ");
        byte[] large = h.send("large", "x".repeat(201));
        h.send("ok", "x".repeat(200));

        List<TestRecord<byte[], byte[]>> dead = h.dlq.readRecordsToList();
        assertThat(dead)
                .extracting(r -> header(r, DeadLetterReason.HEADER))
                .containsExactly("NULL_VALUE", "EMPTY_TEXT", "TEXT_TOO_LARGE");
        assertThat(dead.get(0).value()).isNull();
        assertThat(dead.get(1).value()).isEqualTo(empty);
        assertThat(dead.get(2).value()).isEqualTo(large);
        assertThat(header(dead.get(2), "__streams.errors.message")).contains("more than 200 bytes");
        assertThat(header(dead.get(2), "__streams.errors.exception"))
                .isEqualTo(RejectedRecordException.class.getName());
        assertThat(h.labeled.readValuesToList()).extracting(LabeledEvent::getId).containsExactly("ok");
        assertThat(h.counter("streamguard.dlq.records", "reason", "TEXT_TOO_LARGE"))
                .isEqualTo(1);
    }

    @Test
    void aFailedBatchIsRetriedTextByText() {
        scorer.failBatches();
        start(batch(3, 20, 8192));
        h.send("a", "one");
        h.send("b", "two");
        h.send("c", "three");

        assertThat(scorer.batchSizes).containsExactly(3, 1, 1, 1);
        assertThat(h.labeled.readValuesToList()).extracting(LabeledEvent::getId).containsExactly("a", "b", "c");
        assertThat(h.dlq.isEmpty()).isTrue();
        assertThat(h.counter("streamguard.batch.failures")).isEqualTo(1);
    }

    @Test
    void aTextTheModelFailsOnIsDeadLetteredWithItsOriginalBytesAndOthersKeepTheirOrder() {
        scorer.poison("volcano");
        start(batch(3, 20, 8192));
        h.send("a", "one");
        h.advance(1);
        byte[] poisoned = h.send("b", "the volcano erupts");
        h.send("c", "three");

        assertThat(h.labeled.readValuesToList()).extracting(LabeledEvent::getId).containsExactly("a", "c");
        TestRecord<byte[], byte[]> dead = h.dlq.readRecord();
        assertThat(dead.value()).isEqualTo(poisoned);
        assertThat(new String(dead.key())).isEqualTo("b");
        assertThat(header(dead, DeadLetterReason.HEADER)).isEqualTo("INFERENCE_FAILED");
        assertThat(header(dead, "__streams.errors.topic")).isEqualTo(Topics.TEXT_EVENTS);
        assertThat(header(dead, "__streams.errors.partition")).isEqualTo("0");
        assertThat(header(dead, "__streams.errors.offset")).isEqualTo("1");
        assertThat(header(dead, "__streams.errors.message")).contains("event b").contains("simulated engine failure");
        assertThat(dead.timestamp())
                .isEqualTo(Harness.START
                        .plusMillis(1)
                        .minusMillis(Harness.SEND_AGE_MS)
                        .toEpochMilli());
        assertThat(h.counter("streamguard.dlq.records", "reason", "INFERENCE_FAILED"))
                .isEqualTo(1);
    }

    @Test
    void aFailureInATimedFlushIsDeadLetteredToo() {
        scorer.poison("volcano");
        start(batch(8, 20, 8192));
        byte[] poisoned = h.send("p", "volcano");
        h.send("q", "calm");
        h.advance(20); // flushed from the wall-clock punctuator, not from process()

        assertThat(h.labeled.readValuesToList()).extracting(LabeledEvent::getId).containsExactly("q");
        TestRecord<byte[], byte[]> dead = h.dlq.readRecord();
        assertThat(dead.value()).isEqualTo(poisoned);
        assertThat(header(dead, "__streams.errors.offset")).isEqualTo("0");
    }

    @Test
    void bufferedRecordsLiveInTheChangeloggedStoreUntilEmitted() {
        start(batch(8, 20, 8192));
        h.send("a", "one");
        h.send("b", "two");

        KeyValueStore<Long, PendingInference> buffer = h.driver.getKeyValueStore(Stages.BUFFER_STORE);
        assertThat(entries(buffer))
                .extracting(kv -> kv.value.getEvent().getEvent().getId())
                .containsExactly("a", "b");
        assertThat(h.labeled.isEmpty()).isTrue();

        h.advance(20);
        assertThat(h.labeled.getQueueSize()).isEqualTo(2);
        assertThat(entries(buffer))
                .as("emitted and deleted in the same transaction")
                .isEmpty();
    }

    private static List<KeyValue<Long, PendingInference>> entries(KeyValueStore<Long, PendingInference> store) {
        List<KeyValue<Long, PendingInference>> out = new ArrayList<>();
        try (KeyValueIterator<Long, PendingInference> it = store.all()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    static ModerationPolicy policy(String version, Map<String, LabelPolicy> labels) {
        return ModerationPolicy.newBuilder()
                .setVersion(version)
                .setLabels(labels)
                .setUpdatedAt(Instant.EPOCH)
                .setUpdatedBy("test")
                .build();
    }

    static LabelPolicy rule(double review, double block, boolean enabled) {
        return LabelPolicy.newBuilder()
                .setReview(review)
                .setBlock(block)
                .setEnabled(enabled)
                .build();
    }
}
