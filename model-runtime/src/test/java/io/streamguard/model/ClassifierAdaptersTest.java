package io.streamguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.model.batch.BatchPolicy;
import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.encoder.TestAdapters;
import io.streamguard.model.encoder.UnsupportedEncoderException;
import io.streamguard.model.encoder.onnx.OnnxBertEncoder;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.Float16;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.IncompatibleHeadsException;
import io.streamguard.model.heads.Scores;
import io.streamguard.model.heads.TestHeads;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heads that carry adapters, on the real MiniLM: {@link Classifier#load} merges them, and only heads with the
 * same adapters can be swapped onto that encoder. Loads MiniLM three times in all: plain, tuned (the reference)
 * and through the classifier.
 */
class ClassifierAdaptersTest {

    private static final EncoderConfig CONFIG = EncoderConfig.of(EncoderConfig.MINILM_L6);
    private static final List<String> TEXTS = List.of(
            "you are an idiot", "what a lovely day", "BUY CHEAP PILLS NOW!!! click here", "the film was fine", "ok");

    /** Small nonzero factors on two layers, stored as halves as a trained model would be. */
    private static final LowRankAdapters ADAPTERS = Float16.round(TestAdapters.miniLm(2, 2, 0.05f, 11));

    private static LoadedEncoder plain;
    private static LoadedEncoder tuned;
    private static Classifier classifier;
    private static HeadsModel heads;

    @BeforeAll
    static void load(@TempDir Path dir) {
        plain = EncoderFactory.create(CONFIG);
        tuned = OnnxBertEncoder.create(CONFIG, ADAPTERS);
        heads = heads("v1", 1, ADAPTERS);
        Path file = dir.resolve("heads-v1.json");
        HeadsFile.write(heads, file);
        classifier = Classifier.load(CONFIG, file, BatchPolicy.DEFAULT);
    }

    @AfterAll
    static void close() {
        if (classifier != null) {
            classifier.close();
        }
        plain.close();
        tuned.close();
    }

    private static HeadsModel heads(String version, long seed, LowRankAdapters adapters) {
        EncoderInfo info = plain.encoder().info();
        return TestHeads.random(
                        version,
                        seed,
                        info.id(),
                        info.vocabHash(),
                        info.hidden(),
                        Feature.MEAN,
                        plain.tokenizer().options().maxLength())
                .withAdapters(adapters);
    }

    private static Embeddings encode(LoadedEncoder encoder) {
        return encoder.encoder().encode(encoder.tokenizer().encodeBatch(TEXTS));
    }

    @Test
    void theLoadedEncoderRecordsItsAdapters() {
        assertThat(tuned.adaptersFingerprint()).isEqualTo(ADAPTERS.fingerprint());
        assertThat(plain.adapters()).isNull();
        assertThat(classifier.adaptersFingerprint()).contains(ADAPTERS.fingerprint());
    }

    @Test
    void loadMergesTheHeadsAdapters() {
        Embeddings frozen = encode(plain);
        Embeddings reference = encode(tuned);
        double largest = 0;
        for (int i = 0; i < frozen.mean().length; i++) {
            largest = Math.max(largest, Math.abs(frozen.mean()[i] - reference.mean()[i]));
        }
        assertThat(largest).as("the adapters change the features").isGreaterThan(1e-2);

        List<Prediction> predictions = classifier.classify(TEXTS);
        List<Scores> expected = heads.score(reference);
        List<Scores> ifFrozen = heads.score(frozen);
        double frozenGap = 0;
        for (int row = 0; row < TEXTS.size(); row++) {
            Scores actual = predictions.get(row).scores();
            for (String label : TestHeads.MODERATION) {
                assertThat((double) actual.label(label))
                        .as(TEXTS.get(row) + " " + label)
                        .isCloseTo(expected.get(row).label(label), within(1e-4));
                frozenGap = Math.max(
                        frozenGap,
                        Math.abs(actual.label(label) - ifFrozen.get(row).label(label)));
            }
        }
        assertThat(frozenGap).as("scores differ from the frozen encoder's").isGreaterThan(1e-3);
    }

    @Test
    void headsWithTheSameAdaptersSwapOthersAreRefused() {
        // Same content, another instance (as read from the next version's file): accepted.
        HeadsModel sameAdapters = HeadsFile.fromJson(
                HeadsFile.toJson(heads("v2", 2, Float16.round(TestAdapters.miniLm(2, 2, 0.05f, 11)))));
        HeadsModel otherAdapters = heads("v3", 3, Float16.round(TestAdapters.miniLm(2, 2, 0.05f, 12)));
        HeadsModel noAdapters = heads("v4", 4, null);

        HeadsModel before = classifier.heads();
        assertThatThrownBy(() -> classifier.swapHeads(otherAdapters))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("heads v3")
                .hasMessageContaining("must reload the encoder");
        assertThatThrownBy(() -> classifier.swapHeads(noAdapters))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("no adapters");
        assertThat(classifier.heads()).isSameAs(before);

        assertThat(classifier.swapHeads(sameAdapters)).isSameAs(before);
        assertThat(classifier.classify(List.of("ok")).get(0).modelVersion()).isEqualTo("v2");
        classifier.swapHeads(before);
    }

    @Test
    void createRefusesAnEncoderWithOtherAdapters() {
        // Classifier.create takes ownership only on success, so a refused encoder stays open for the other tests.
        assertThatThrownBy(() -> Classifier.create(plain, heads, BatchPolicy.DEFAULT))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("this encoder was loaded with no adapters");
        assertThatThrownBy(() -> Classifier.create(tuned, heads("v5", 5, null), BatchPolicy.DEFAULT))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("need the encoder with no adapters");
    }

    @Test
    void bertBaseRefusesAdaptersBeforeLoadingAnything() {
        assertThatThrownBy(() -> EncoderFactory.create(
                        EncoderConfig.of(EncoderConfig.BERT_BASE_UNCASED).withCacheDir(Path.of("target/unused")),
                        ADAPTERS))
                .isInstanceOf(UnsupportedEncoderException.class)
                .hasMessageContaining("cannot load fine-tuned adapters");
    }
}
