package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.avro.PendingInference;
import io.streamguard.avro.SourceRecord;
import io.streamguard.avro.TextEvent;
import io.streamguard.avro.TokenizedEvent;
import io.streamguard.avro.TokenizerRef;
import io.streamguard.schemas.testing.InMemoryRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * After a crash, Kafka Streams restores the buffer store from its changelog to the last committed
 * transaction and only then initializes the processor. These tests start the processor on such a
 * restored store: what it holds must be emitted, in order, with no input read again.
 */
class InferenceRestartTest {

    private final FakeScorer scorer = new FakeScorer(Harness.TOKENIZER).trigger("hate", "toxic", 0.95f);
    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    private final PipelineSerdes serdes = new PipelineSerdes(new InMemoryRegistry());
    private final KeyValueStore<Long, PendingInference> buffer = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(Stages.BUFFER_STORE), Serdes.Long(), serdes.pendingInference())
            .withLoggingDisabled()
            .build();
    private final KeyValueStore<String, ModerationPolicy> policies = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(Stages.POLICY_STORE), Serdes.String(), serdes.policy())
            .withLoggingDisabled()
            .build();
    private final InferenceProcessor processor = new InferenceProcessor(
            Scorers.single("minilm-l6", scorer),
            Harness.batch(8, 20, 8192),
            new PipelineMetrics(new SimpleMeterRegistry()),
            "w1",
            Stages.BUFFER_STORE,
            Stages.POLICY_STORE,
            "default");

    InferenceRestartTest() {
        buffer.init(context.getStateStoreContext(), buffer);
        policies.init(context.getStateStoreContext(), policies);
        context.addStateStore(buffer);
        context.addStateStore(policies);
        context.setCurrentSystemTimeMs(10_000);
    }

    @Test
    void entriesRestoredIntoTheBufferAreEmittedInOrderOnTheNextTick() {
        buffer.put(7L, pending("a", "hello", 9_990));
        buffer.put(8L, pending("b", "i hate it", 9_995));
        processor.init(context);

        context.setCurrentSystemTimeMs(10_010);
        fire(10_010);

        List<LabeledEvent> out = labeled();
        assertThat(out).extracting(LabeledEvent::getId).containsExactly("a", "b");
        assertThat(out.get(0).getTimings().getQueueWaitMs())
                .as("waited since before the crash")
                .isEqualTo(20);
        assertThat(out.get(1).getDecision()).hasToString("BLOCK");
        assertThat(count()).as("emitted and deleted").isZero();
    }

    @Test
    void restoredEntriesOfAnEncoderNoLongerServedAreDeadLetteredAndTheRestKeepTheirOrder() {
        buffer.put(1L, pending("a", "hello", 9_990));
        PendingInference chinese = pending("b", "你好", 9_991);
        chinese.getEvent().setTokenizer(new TokenizerRef("bge-small-zh", "zh-vocab", 16));
        chinese.getEvent().setLanguage("zh");
        buffer.put(2L, chinese);
        PendingInference japanese = pending("c", "テスト", 9_992);
        japanese.getEvent().setTokenizer(null);
        japanese.getEvent().setTokenIds(List.of());
        japanese.getEvent().setLanguage("ja");
        buffer.put(3L, japanese);
        processor.init(context); // after a restart without bge-small-zh

        fire(10_010);

        assertThat(labeled())
                .extracting(LabeledEvent::getId, LabeledEvent::getUnscoredReason)
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple("a", null),
                        org.assertj.core.api.Assertions.tuple("c", "unsupported language: ja"));
        List<RejectedRecordException> dead = new ArrayList<>();
        for (CapturedForward<? extends String, ?> f : context.forwarded()) {
            if (InferenceProcessor.DEAD_LETTERS.equals(f.childName().orElse(null))) {
                dead.add((RejectedRecordException) f.record().value());
            }
        }
        assertThat(dead)
                .extracting(RejectedRecordException::reason)
                .containsExactly(DeadLetterReason.ENCODER_NOT_SERVED);
        assertThat(scorer.batches).containsExactly(List.of("hello"));
        assertThat(count())
                .as("all three emitted or dead-lettered, and deleted")
                .isZero();
    }

    @Test
    void newRecordsQueueBehindRestoredOnesWithoutReusingTheirSequenceNumbers() {
        buffer.put(41L, pending("a", "first", 9_990));
        processor.init(context);

        processor.process(new Record<>("b", pending("b", "second", 0).getEvent(), 9_995));
        assertThat(buffer.get(41L).getEvent().getEvent().getId()).isEqualTo("a");
        assertThat(buffer.get(42L).getEvent().getEvent().getId()).isEqualTo("b");

        fire(10_010);
        assertThat(labeled()).extracting(LabeledEvent::getId).containsExactly("a", "b");
    }

    @Test
    void nothingIsEmittedBeforeTheOldestRestoredEntryHasWaited() {
        buffer.put(1L, pending("a", "hello", 9_995));
        processor.init(context);

        fire(10_010);
        assertThat(labeled()).isEmpty();
        fire(10_015);
        assertThat(labeled()).hasSize(1);
    }

    @Test
    void aBacklogStretchesTheWaitWhileTextsKeepArrivingUpToItsLimit() {
        processor.init(context);
        long cap = BatchClock.BACKLOG_WAIT_FACTOR * 20L;
        // Texts produced a second before they arrive: the task is reading a backlog.
        arrive("late-0", 10_000, 9_000);
        for (long t = 10_020; t < 10_000 + cap; t += 20) {
            fire(t);
            assertThat(labeled()).as("still arriving at %d", t).isEmpty();
            arrive("late-" + t, t + 1, t - 1_000);
        }
        fire(10_000 + cap);
        assertThat(labeled()).as("the oldest gathered %d ms, the limit", cap).hasSize(5);

        // A pause in the backlog closes the batch at the usual wait.
        context.resetForwards();
        arrive("late-x", 20_000, 19_000);
        fire(20_005);
        arrive("late-y", 20_006, 19_006);
        fire(20_020);
        assertThat(labeled()).as("still arriving").isEmpty();
        fire(20_025);
        assertThat(labeled()).extracting(LabeledEvent::getId).containsExactly("late-x", "late-y");
    }

    @Test
    void textsArrivingOnTimeCloseAtTheUsualWaitEvenWhileMoreKeepComing() {
        processor.init(context);
        arrive("t0", 10_000, 9_995);
        fire(10_010);
        arrive("t1", 10_011, 10_006);
        fire(10_020);
        assertThat(labeled()).extracting(LabeledEvent::getId).containsExactly("t0", "t1");
    }

    /**
     * Kafka Streams gives every record of a slice the time taken before the slice. After a batch closed
     * by size inside the slice, the rest of it arrived when the engine call ended, not before it.
     */
    @Test
    void recordsAfterASizeClosedBatchInOneSliceAreNotAgedByItsEngineTime() {
        FakeScorer slow = scorer.onTheSameThread().delay(200);
        InferenceProcessor sized = new InferenceProcessor(
                Scorers.single("minilm-l6", slow),
                Harness.batch(2, 20, 8192),
                new PipelineMetrics(new SimpleMeterRegistry()),
                "w1",
                Stages.BUFFER_STORE,
                Stages.POLICY_STORE,
                "default");
        sized.init(context);
        context.setCurrentSystemTimeMs(10_000); // one slice: the cached time does not move
        for (String id : List.of("a", "b", "c")) {
            sized.process(new Record<>(id, pending(id, "text " + id, 9_995).getEvent(), 9_995));
        }
        assertThat(slow.batchSizes).as("a and b closed by size").containsExactly(2);

        // c arrived at 10,200; at 10,020 it has not waited 20 ms, at 10,219 not quite.
        context.setCurrentSystemTimeMs(10_020);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(10_020);
        assertThat(slow.batchSizes).containsExactly(2);
        context.setCurrentSystemTimeMs(10_219);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(10_219);
        assertThat(slow.batchSizes).containsExactly(2);
        context.setCurrentSystemTimeMs(10_220);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(10_220);
        assertThat(slow.batchSizes).containsExactly(2, 1);
    }

    private void arrive(String id, long now, long timestamp) {
        context.setCurrentSystemTimeMs(now);
        processor.process(new Record<>(id, pending(id, "text " + id, timestamp).getEvent(), timestamp));
    }

    private void fire(long now) {
        context.setCurrentSystemTimeMs(now);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(now);
    }

    private List<LabeledEvent> labeled() {
        List<LabeledEvent> out = new ArrayList<>();
        for (CapturedForward<? extends String, ?> f : context.forwarded()) {
            if (InferenceProcessor.LABELED.equals(f.childName().orElse(null))) {
                out.add((LabeledEvent) f.record().value());
            }
        }
        return out;
    }

    private long count() {
        return buffer.approximateNumEntries();
    }

    private static PendingInference pending(String id, String text, long queuedAt) {
        var encoding = Harness.TOKENIZER.encode(text);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < encoding.length(); i++) {
            ids.add(encoding.ids()[i]);
        }
        TokenizedEvent event = TokenizedEvent.newBuilder()
                .setEvent(TextEvent.newBuilder().setId(id).setText(text).build())
                .setTokenIds(ids)
                .setTruncated(false)
                .setTokenizer(new TokenizerRef(
                        "minilm-l6", Harness.TOKENIZER.vocabulary().vocabHash(), 16))
                .setTokenizeMs(0.1)
                .setIngestTime(Instant.ofEpochMilli(queuedAt))
                .setSource(new SourceRecord("text-events", 0, 0L, Instant.ofEpochMilli(9_000), null, null))
                .build();
        return new PendingInference(id, Instant.ofEpochMilli(9_000), Instant.ofEpochMilli(queuedAt), event);
    }
}
