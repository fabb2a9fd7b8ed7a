package io.streamguard.topology;

import static io.streamguard.topology.Harness.batch;
import static io.streamguard.topology.Harness.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.streamguard.avro.Decision;
import io.streamguard.avro.LabelPolicy;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.avro.SourceRecord;
import io.streamguard.avro.TextEvent;
import io.streamguard.avro.TokenizedEvent;
import io.streamguard.avro.TokenizerRef;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.TokenizerOptions;
import io.streamguard.model.tokenizer.Vocabulary;
import io.streamguard.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each event goes to the model of its language: an English and a Chinese fake model on one worker, texts
 * routed by the producer's tag or their script, batches split by encoder, outputs in arrival order.
 */
class LanguageRoutingTest {

    static final String EN = "minilm-l6";
    static final String ZH = "bge-small-zh";

    /** A stand-in for bge-small-zh's tokenizer: a vocabulary of its own, with Chinese characters and a few words. */
    static final BertTokenizer ZH_TOKENIZER = BertTokenizer.create(
            Vocabulary.of(List.of(
                    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "这", "个", "产", "品", "很", "糟", "糕", "垃", "圾", "你", "好",
                    "北", "京", "app", "very", "bad", "hello", "world")),
            new TokenizerOptions(true, 16));

    @TempDir
    Path stateDir;

    private final FakeScorer english = new FakeScorer(Harness.TOKENIZER)
            .trigger("bad", "toxic", 0.6f)
            .model(new ModelInfo("en-3", FakeScorer.THRESHOLDS));
    private final FakeScorer chinese = english.onTheSameThread(ZH_TOKENIZER)
            .trigger("糟", "toxic", 0.6f)
            .trigger("bad", "toxic", 0.6f) // its vocabulary has English word pieces too
            .trigger("垃", "spam", 0.97f)
            .model(new ModelInfo("zh-1", FakeScorer.THRESHOLDS));
    private Harness h;

    private Harness start(int batchSize) {
        Map<String, BertTokenizer> tokenizers = new LinkedHashMap<>();
        tokenizers.put(EN, Harness.TOKENIZER);
        tokenizers.put(ZH, ZH_TOKENIZER);
        Map<String, BatchScorer> scorers = new LinkedHashMap<>();
        scorers.put(EN, english);
        scorers.put(ZH, chinese);
        h = new Harness(
                stateDir,
                self -> LabelingTopology.build(
                        Harness.settings(batch(batchSize, 20, 8192)),
                        self.serdes,
                        self.metrics,
                        Tokenizers.of(tokenizers),
                        Scorers.of(scorers)));
        return h;
    }

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private void send(String id, String text, String language) {
        h.send(TextEvent.newBuilder()
                .setId(id)
                .setText(text)
                .setLanguage(language)
                .build());
    }

    @Test
    void chineseGoesToTheChineseModelEnglishToTheEnglishAndMixedTextToTheChinese() {
        start(8);
        h.send("en", "what a lovely day");
        h.send("zh", "这个产品很糟糕");
        h.send("mixed", "这个 app very bad");
        h.advance(20);

        assertThat(h.labeled.readValuesToList())
                .extracting(
                        LabeledEvent::getId,
                        LabeledEvent::getLanguage,
                        LabeledEvent::getEncoderName,
                        LabeledEvent::getModelVersion,
                        LabeledEvent::getDecision)
                .containsExactly(
                        tuple("en", "en", EN, "en-3", Decision.ALLOW),
                        tuple("zh", "zh", ZH, "zh-1", Decision.REVIEW),
                        tuple("mixed", "zh", ZH, "zh-1", Decision.REVIEW));
        assertThat(english.batches).containsExactly(List.of("what a lovely day"));
        assertThat(chinese.batches).containsExactly(List.of("这 个 产 品 很 糟 糕", "这 个 app very bad"));
        assertThat(h.counter("streamguard.events.out", "language", "zh", "encoder", ZH))
                .isEqualTo(2);
        assertThat(h.counter("streamguard.events.out", "language", "en", "encoder", EN))
                .isEqualTo(1);
        assertThat(h.meters
                        .find("streamguard.batch.size")
                        .tags("encoder", ZH, "language", "zh")
                        .summary()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aBatchNeverMixesEncodersAndEventsLeaveInArrivalOrder() {
        start(5);
        h.send("e1", "a bad day");
        h.send("z1", "垃圾");
        h.send("e2", "hello there");
        h.send("z2", "你好北京");
        h.send("e3", "bye"); // the fifth text closes the batch

        assertThat(h.labeled.readKeyValuesToList())
                .extracting(kv -> kv.key)
                .containsExactly("e1", "z1", "e2", "z2", "e3");
        assertThat(english.batchSizes).containsExactly(3);
        assertThat(english.batches).containsExactly(List.of("a bad day", "hello there", "bye"));
        assertThat(chinese.batchSizes).containsExactly(2);
        assertThat(chinese.batches).containsExactly(List.of("垃 圾", "你 好 北 京"));
    }

    @Test
    void aLanguageWithoutAModelIsLabeledUnscoredForReviewInItsPlace() {
        start(4);
        h.send("e1", "a bad day");
        h.send("ja", "私は学生です");
        h.send("ru", "Привет, как дела?");
        h.send("e2", "hello there");

        List<LabeledEvent> out = h.labeled.readValuesToList();
        assertThat(out)
                .extracting(
                        LabeledEvent::getId,
                        LabeledEvent::getLanguage,
                        LabeledEvent::getEncoderName,
                        LabeledEvent::getUnscoredReason,
                        LabeledEvent::getDecision)
                .containsExactly(
                        tuple("e1", "en", EN, null, Decision.REVIEW),
                        tuple("ja", "ja", null, "unsupported language: ja", Decision.REVIEW),
                        tuple("ru", "ru", null, "unsupported language: ru", Decision.REVIEW),
                        tuple("e2", "en", EN, null, Decision.ALLOW));
        LabeledEvent ja = out.get(1);
        assertThat(ja.getScores()).isEmpty();
        assertThat(ja.getSentiment()).isNull();
        assertThat(ja.getTriggeredLabels()).isEmpty();
        assertThat(ja.getModelVersion()).isEqualTo("none");
        assertThat(ja.getPolicyVersion()).isEqualTo("model:none");
        assertThat(ja.getText()).isEqualTo("私は学生です");
        assertThat(ja.getTimings().getBatchSize()).isZero();
        assertThat(h.review.readValuesToList()).extracting(LabeledEvent::getId).containsExactly("e1", "ja", "ru");
        assertThat(english.batches).containsExactly(List.of("a bad day", "hello there"));
        assertThat(chinese.batches).isEmpty();
        assertThat(h.counter("streamguard.events.out", "decision", "REVIEW", "language", "ja", "encoder", "none"))
                .isEqualTo(1);
    }

    @Test
    void theProducersTagOverridesTheScript() {
        start(1);
        send("tagged-zh", "hello world", "zh-CN");
        send("tagged-en", "hello 你好", "en-GB");
        send("tagged-fr", "bonjour", "fr");
        send("zh-hant", "你好", "zh_Hant");

        assertThat(h.labeled.readValuesToList())
                .extracting(LabeledEvent::getId, LabeledEvent::getLanguage, LabeledEvent::getEncoderName)
                .containsExactly(
                        tuple("tagged-zh", "zh", ZH),
                        tuple("tagged-en", "en", EN),
                        tuple("tagged-fr", "fr", null),
                        tuple("zh-hant", "zh", ZH));
        assertThat(chinese.batches).containsExactly(List.of("hello world"), List.of("你 好"));
        assertThat(english.batches).containsExactly(List.of("hello [UNK] [UNK]"));
    }

    @Test
    void aTextWithoutLettersGoesToTheFirstEncodersModel() {
        start(1);
        h.send("digits", "12345 !!!");

        LabeledEvent out = h.labeled.readValue();
        assertThat(out.getLanguage()).isEqualTo("und");
        assertThat(out.getEncoderName()).isEqualTo(EN);
        assertThat(english.batches).containsExactly(List.of("123 ##45 ! ! !"));
    }

    @Test
    void thresholdsPerLanguageOverrideTheLabelsOverrideTheModel() {
        start(1);
        h.policy.pipeInput(
                "default",
                ModerationPolicy.newBuilder()
                        .setVersion("p1")
                        .setLabels(Map.of("toxic", new LabelPolicy(0.5, 0.9, true)))
                        .setLanguages(Map.of("zh", Map.of("toxic", new LabelPolicy(0.3, 0.5, true))))
                        .setUnsupportedLanguage(Decision.BLOCK)
                        .setUpdatedAt(Instant.EPOCH)
                        .setUpdatedBy("test")
                        .build());
        h.send("en", "a bad day"); // toxic 0.6
        h.send("zh", "很糟糕"); // toxic 0.6
        h.send("ja", "テスト");

        assertThat(h.labeled.readValuesToList())
                .extracting(LabeledEvent::getId, LabeledEvent::getDecision, LabeledEvent::getPolicyVersion)
                .containsExactly(
                        tuple("en", Decision.REVIEW, "p1"),
                        tuple("zh", Decision.BLOCK, "p1"),
                        tuple("ja", Decision.BLOCK, "p1"));
        assertThat(h.counter("streamguard.decisions", "decision", "BLOCK", "label", "toxic", "language", "zh"))
                .isEqualTo(1);
    }

    @Test
    void theTokenizerRecordsTheLanguageAndWhetherItWasDetected() {
        Map<String, BertTokenizer> tokenizers = new LinkedHashMap<>();
        tokenizers.put(EN, Harness.TOKENIZER);
        tokenizers.put(ZH, ZH_TOKENIZER);
        h = new Harness(
                stateDir,
                self -> TokenizeTopology.build(
                        Harness.settings(batch(1, 20, 8192)), self.serdes, self.metrics, Tokenizers.of(tokenizers)));
        h.send("zh", "你好");
        send("tagged", "hello", "zh-TW");
        h.send("ja", "私は学生です");

        List<TokenizedEvent> out = h.tokenizedOut.readValuesToList();
        assertThat(out)
                .extracting(TokenizedEvent::getLanguage, TokenizedEvent::getLanguageDetected)
                .containsExactly(tuple("zh", true), tuple("zh", false), tuple("ja", true));
        assertThat(out.get(0).getTokenizer().getEncoderId()).isEqualTo(ZH);
        assertThat(out.get(0).getTokenizer().getVocabHash())
                .isEqualTo(ZH_TOKENIZER.vocabulary().vocabHash());
        assertThat(out.get(2).getTokenizer()).as("no encoder reads ja").isNull();
        assertThat(out.get(2).getTokenIds()).isEmpty();
    }

    @Test
    void idsForAnEncoderThisWorkerDoesNotServeAreDeadLetteredAndNoTokenizerMeansUnscored() {
        h = new Harness(
                stateDir,
                self -> InferenceTopology.build(
                        Harness.settings(batch(1, 20, 8192)), self.serdes, self.metrics, Scorers.single(EN, english)));
        h.tokenized.pipeInput("z", bytes(tokenized("z", new TokenizerRef(ZH, "zh-vocab", 16), "zh", List.of(2, 5, 3))));
        h.tokenized.pipeInput("j", bytes(tokenized("j", null, "ja", List.of())));

        TestRecord<byte[], byte[]> dead = h.dlq.readRecord();
        assertThat(header(dead, DeadLetterReason.HEADER)).isEqualTo("ENCODER_NOT_SERVED");
        assertThat(header(dead, "__streams.errors.message"))
                .contains("tokenized for bge-small-zh (language zh), which this worker does not serve");
        assertThat(h.dlq.isEmpty()).isTrue();
        assertThat(h.labeled.readValuesToList())
                .extracting(LabeledEvent::getId, LabeledEvent::getUnscoredReason)
                .containsExactly(tuple("j", "unsupported language: ja"));
        assertThat(english.batches).isEmpty();
    }

    @Test
    void oneScorerForTwoEncodersOrTwoEncodersForOneLanguageAreRefused() {
        assertThatThrownBy(() -> Scorers.of(Map.of(EN, english, ZH, english)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("each encoder needs its own model");
        Map<String, BatchScorer> twoEnglish = new LinkedHashMap<>();
        twoEnglish.put(EN, english);
        twoEnglish.put("bert-base-uncased", chinese);
        assertThatThrownBy(() -> Scorers.of(twoEnglish))
                .hasMessage("encoders minilm-l6 and bert-base-uncased both read language en: configure one encoder"
                        + " per language");
        assertThatThrownBy(() -> Scorers.of(Map.of(EN, english, ZH, new FakeScorer(ZH_TOKENIZER))))
                .hasMessageContaining("different clocks");
    }

    private byte[] bytes(TokenizedEvent event) {
        return h.serdes.tokenizedEvent().serializer().serialize(Topics.TEXT_TOKENIZED, event);
    }

    private static TokenizedEvent tokenized(String id, TokenizerRef tokenizer, String language, List<Integer> ids) {
        return TokenizedEvent.newBuilder()
                .setEvent(Harness.event(id, "text of " + id))
                .setTokenIds(ids)
                .setTruncated(false)
                .setTokenizer(tokenizer)
                .setLanguage(language)
                .setLanguageDetected(true)
                .setTokenizeMs(0.1)
                .setIngestTime(Harness.START)
                .setSource(new SourceRecord(
                        Topics.TEXT_EVENTS, 0, 1L, Harness.START, null, ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1})))
                .build();
    }
}
