package io.streamguard.topology;

import static io.streamguard.topology.Harness.batch;
import static io.streamguard.topology.Harness.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.SourceRecord;
import io.streamguard.avro.TokenizedEvent;
import io.streamguard.avro.TokenizerRef;
import io.streamguard.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --role tokenizer} and {@code --role inference}, connected by text-tokenized. */
class SplitTopologiesTest {

    @TempDir
    Path stateDir;

    private final FakeScorer scorer = new FakeScorer(Harness.TOKENIZER).poison("volcano");

    @Test
    void tokenizerWritesIdsTokenizerIdentityAndTheSourceRecord() {
        try (Harness h = tokenizer()) {
            byte[] bytes = h.send("e1", "Hello world, unbelievable!");
            h.textEvents.pipeInput("empty", h.bytes(Harness.event("empty", "")));

            TestRecord<String, TokenizedEvent> out = h.tokenizedOut.readRecord();
            TokenizedEvent t = out.value();
            assertThat(out.key()).isEqualTo("e1");
            assertThat(t.getEvent().getText()).isEqualTo("Hello world, unbelievable!");
            int[] expected =
                    Harness.TOKENIZER.encode("Hello world, unbelievable!").ids();
            assertThat(t.getTokenIds())
                    .containsExactly(Arrays.stream(expected).boxed().toArray(Integer[]::new));
            assertThat(t.getTruncated()).isFalse();
            assertThat(t.getTokenizer())
                    .isEqualTo(new TokenizerRef(
                            "minilm-l6", Harness.TOKENIZER.vocabulary().vocabHash(), 16));
            assertThat(t.getIngestTime()).isEqualTo(Harness.START);
            assertThat(t.getSource().getTopic()).isEqualTo(Topics.TEXT_EVENTS);
            assertThat(t.getSource().getOffset()).isZero();
            assertThat(t.getSource().getTimestamp()).isEqualTo(Harness.START.minusMillis(Harness.SEND_AGE_MS));
            assertThat(t.getSource().getValue()).isEqualTo(ByteBuffer.wrap(bytes));
            assertThat(out.timestamp())
                    .isEqualTo(Harness.START.minusMillis(Harness.SEND_AGE_MS).toEpochMilli());
            assertThat(h.tokenizedOut.isEmpty()).isTrue();
            assertThat(header(h.dlq.readRecord(), DeadLetterReason.HEADER)).isEqualTo("EMPTY_TEXT");
        }
    }

    @Test
    void inferenceDeadLettersFailuresAsTheOriginalTextEventsRecord() {
        byte[] original;
        List<TestRecord<String, TokenizedEvent>> handedOver;
        try (Harness tok = tokenizer()) {
            tok.send("a", "calm seas");
            original = tok.send("b", "volcano");
            handedOver = tok.tokenizedOut.readRecordsToList();
        }
        try (Harness inf = new Harness(
                stateDir.resolve("inf"),
                self -> InferenceTopology.build(
                        Harness.settings(batch(4, 20, 8192)),
                        self.serdes,
                        self.metrics,
                        Scorers.single("minilm-l6", scorer)))) {
            for (TestRecord<String, TokenizedEvent> r : handedOver) {
                inf.tokenized.pipeInput(new TestRecord<>(
                        r.key(),
                        inf.serdes.tokenizedEvent().serializer().serialize(Topics.TEXT_TOKENIZED, r.value()),
                        null,
                        r.timestamp()));
            }
            inf.advance(20);

            assertThat(inf.labeled.readValuesToList())
                    .extracting(LabeledEvent::getId)
                    .containsExactly("a");
            TestRecord<byte[], byte[]> dead = inf.dlq.readRecord();
            assertThat(dead.value())
                    .as("the text-events bytes, not the text-tokenized ones")
                    .isEqualTo(original);
            assertThat(header(dead, "__streams.errors.topic")).isEqualTo(Topics.TEXT_EVENTS);
            assertThat(header(dead, "__streams.errors.offset")).isEqualTo("1");
            assertThat(header(dead, DeadLetterReason.HEADER)).isEqualTo("INFERENCE_FAILED");
        }
    }

    @Test
    void idsFromAnotherVocabularyAreRejectedNotScored() {
        try (Harness inf = new Harness(
                stateDir,
                self -> InferenceTopology.build(
                        Harness.settings(batch(1, 20, 8192)),
                        self.serdes,
                        self.metrics,
                        Scorers.single("minilm-l6", scorer)))) {
            TokenizedEvent foreign = TokenizedEvent.newBuilder()
                    .setEvent(Harness.event("f", "hi"))
                    .setTokenIds(List.of(101, 7592, 102))
                    .setTruncated(false)
                    .setTokenizer(new TokenizerRef("other-model", "not-our-vocabulary", 16))
                    .setTokenizeMs(0.1)
                    .setIngestTime(Harness.START)
                    .setSource(new SourceRecord(
                            Topics.TEXT_EVENTS, 2, 40L, Harness.START, null, ByteBuffer.wrap(new byte[] {
                                0, 0, 0, 0, 1, 2
                            })))
                    .build();
            inf.tokenized.pipeInput(
                    "f", inf.serdes.tokenizedEvent().serializer().serialize(Topics.TEXT_TOKENIZED, foreign));

            TestRecord<byte[], byte[]> dead = inf.dlq.readRecord();
            assertThat(header(dead, DeadLetterReason.HEADER)).isEqualTo("TOKENIZER_MISMATCH");
            assertThat(header(dead, "__streams.errors.partition")).isEqualTo("2");
            assertThat(dead.value()).containsExactly(0, 0, 0, 0, 1, 2);
            assertThat(scorer.batchSizes).isEmpty();
            assertThat(inf.labeled.isEmpty()).isTrue();
        }
    }

    private Harness tokenizer() {
        return new Harness(
                stateDir.resolve("tok"),
                self -> TokenizeTopology.build(
                        Harness.settings(batch(1, 20, 8192)),
                        self.serdes,
                        self.metrics,
                        Tokenizers.single("minilm-l6", Harness.TOKENIZER)));
    }
}
