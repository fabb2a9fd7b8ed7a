package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.IncompatibleHeadsException;
import io.streamguard.model.heads.Thresholds;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.Encoding;
import io.streamguard.topology.testing.SeededHeads;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Classifier adapter on the real MiniLM encoder with seeded (untrained) heads. */
class ClassifierScorerTest {

    private static final List<String> TEXTS = List.of(
            "what a lovely day", "BUY CHEAP PILLS NOW!!! click here", "you are an idiot and everyone knows it", "ok");

    @TempDir
    static Path dir;

    private static ClassifierScorer scorer;
    private static BertTokenizer tokenizer;

    @BeforeAll
    static void load() {
        Path heads = dir.resolve("heads.json");
        SeededHeads.minilm("seeded-1", 7, 128, heads);
        WorkerConfig config = WorkerConfig.of(Map.of(
                "bootstrap.servers",
                "unused:9092",
                WorkerConfig.MODEL_HEADS,
                heads.toString(),
                WorkerConfig.BATCH_MAX_SIZE,
                "3",
                WorkerConfig.BATCH_MAX_TOKENS,
                "1000"));
        scorer = ClassifierScorer.load(config);
        tokenizer = EncoderFactory.tokenizer(config.encoderConfig());
    }

    @AfterAll
    static void close() {
        scorer.close();
    }

    private static List<Encoding> encode(List<String> texts) {
        return texts.stream().map(tokenizer::encode).toList();
    }

    @Test
    void scoresABatchInInputOrderWithTheHeadsVersionAndThresholds() {
        List<ScoredText> batch = scorer.score(encode(TEXTS));

        assertThat(batch).hasSize(TEXTS.size());
        assertThat(scorer.batchPolicy().maxBatchSize())
                .as("the worker's batch settings")
                .isEqualTo(3);
        assertThat(scorer.batchPolicy().maxTokensPerBatch()).isEqualTo(1000);
        for (int i = 0; i < TEXTS.size(); i++) {
            ScoredText alone = scorer.score(encode(List.of(TEXTS.get(i)))).get(0);
            ScoredText inBatch = batch.get(i);
            assertThat(inBatch.model()).isEqualTo(new ModelInfo("seeded-1", SeededHeads.THRESHOLDS));
            assertThat(inBatch.scores().labels()).containsOnlyKeys("offensive", "hate", "spam");
            assertThat(inBatch.scores().classes()).containsKey("sentiment");
            // Length bucketing and padding must not mix up rows or change a text's scores.
            for (String label : List.of("offensive", "hate", "spam")) {
                assertThat(inBatch.scores().labels().get(label))
                        .as(TEXTS.get(i) + " " + label)
                        .isCloseTo(alone.scores().labels().get(label), within(1e-4f));
            }
        }
        assertThat(batch.get(0).scores().labels().get("spam"))
                .as("different texts score differently")
                .isNotEqualTo(batch.get(1).scores().labels().get("spam"));
        assertThat(scorer.vocabHash()).isEqualTo(tokenizer.vocabulary().vocabHash());
    }

    @Test
    void swappedHeadsScoreTheNextBatchWithTheirOwnVersionAndThresholds() {
        HeadsModel original = scorer.heads();
        HeadsModel next = SeededHeads.random(
                        "seeded-2", 8, EncoderConfig.MINILM_L6, scorer.vocabHash(), SeededHeads.MINILM_HIDDEN, 128)
                .withThresholds(Map.of(
                        "offensive",
                        new Thresholds(0.1, 0.2),
                        "hate",
                        new Thresholds(0.3, 0.4),
                        "spam",
                        new Thresholds(0.5, 0.6)));
        List<ScoredText> before = scorer.score(encode(TEXTS));
        try {
            assertThat(scorer.swapHeads(next).version()).isEqualTo("seeded-1");
            List<ScoredText> after = scorer.score(encode(TEXTS));

            assertThat(after).allSatisfy(s -> {
                assertThat(s.model().version()).isEqualTo("seeded-2");
                assertThat(s.model().thresholds().get("offensive")).isEqualTo(new Thresholds(0.1, 0.2));
            });
            assertThat(after.get(0).scores().labels())
                    .isNotEqualTo(before.get(0).scores().labels());
        } finally {
            scorer.swapHeads(original);
        }
        assertThat(scorer.score(encode(TEXTS)).get(0).model().version()).isEqualTo("seeded-1");
    }

    @Test
    void aVersionWithOtherAdaptersLoadsItsEncoderAndSwapsBetweenBatches() {
        HeadsModel original = scorer.heads();
        // A rank-1 adapter on layer 0's query kernel (384 x 384): a different encoder, the same heads.
        float[] a = new float[384];
        float[] b = new float[384];
        for (int i = 0; i < 384; i++) {
            a[i] = (i % 7 - 3) / 10f;
            b[i] = (i % 5 - 2) / 10f;
        }
        LowRankAdapters adapters = new LowRankAdapters(
                1, 8f, Map.of("encoder.layer.0.attention.self.query.weight", new LowRankAdapters.Pair(384, 384, a, b)));
        HeadsModel tuned = original.withAdapters(adapters).withVersion("seeded-tuned", original.provenance());
        List<ScoredText> before = scorer.score(encode(TEXTS));
        try {
            assertThat(scorer.swapHeads(tuned).version()).isEqualTo("seeded-1");
            List<ScoredText> after = scorer.score(encode(TEXTS));

            assertThat(after).allSatisfy(t -> assertThat(t.model().version()).isEqualTo("seeded-tuned"));
            assertThat(after.get(2).scores().labels().get("offensive"))
                    .as("the same heads on the adapted encoder")
                    .isNotCloseTo(before.get(2).scores().labels().get("offensive"), within(1e-4f));
        } finally {
            assertThat(scorer.swapHeads(original).version()).isEqualTo("seeded-tuned");
        }
        List<ScoredText> back = scorer.score(encode(TEXTS));
        assertThat(back.get(2).model().version()).isEqualTo("seeded-1");
        assertThat(back.get(2).scores().labels().get("offensive"))
                .as("back on the frozen encoder")
                .isCloseTo(before.get(2).scores().labels().get("offensive"), within(1e-5f));
    }

    @Test
    void headsOfAnotherEncoderAreRefusedWithOneLine() {
        HeadsModel bert = SeededHeads.random("bert-1", 9, EncoderConfig.BERT_BASE_UNCASED, "x".repeat(64), 768, 128);
        Path file = dir.resolve("bert.json");
        HeadsFile.write(bert, file);
        WorkerConfig config = WorkerConfig.of(Map.of(
                "bootstrap.servers",
                "unused:9092",
                WorkerConfig.MODEL_ENCODER,
                EncoderConfig.MINILM_L6,
                WorkerConfig.MODEL_HEADS,
                file.toString()));

        assertThatThrownBy(() -> ClassifierScorer.load(config))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("bert-base-uncased")
                .hasMessageContaining("minilm-l6")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> scorer.swapHeads(bert)).isInstanceOf(IncompatibleHeadsException.class);
        assertThat(scorer.heads().version())
                .as("a refused swap keeps the current heads")
                .isEqualTo("seeded-1");
    }

    @Test
    void aMissingHeadsFileIsNamed() {
        Path missing = dir.resolve("no-such-heads.json");
        WorkerConfig config = WorkerConfig.of(
                Map.of("bootstrap.servers", "unused:9092", WorkerConfig.MODEL_HEADS, missing.toString()));
        assertThatThrownBy(() -> ClassifierScorer.load(config)).hasMessageContaining(missing.toString());
        WorkerConfig none = WorkerConfig.of(Map.of("bootstrap.servers", "unused:9092"));
        assertThatThrownBy(() -> ClassifierScorer.load(none)).hasMessageContaining(WorkerConfig.MODEL_HEADS);
    }
}
