package io.streamguard.launcher.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.console.web.Explainer;
import io.streamguard.model.ClassifiedBatch;
import io.streamguard.model.Prediction;
import io.streamguard.model.explain.Scorer;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.Scores;
import io.streamguard.model.heads.TestHeads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One scorer per encoder: an item is explained by the model of its own encoder at its own version, never by
 * another encoder's same-named version; rows without an encoder go by the text's language.
 */
class ServingModelTest {
    private static final String EN = "minilm-l6";
    private static final String ZH = "bge-small-zh";

    /** Which encoder each call went to, and the texts. */
    private final List<String> calls = new ArrayList<>();

    private final AtomicReference<HeadsModel> english = new AtomicReference<>(heads("v1", EN));
    private final AtomicReference<HeadsModel> chinese = new AtomicReference<>(heads("v1", ZH));
    private final ServingModel model = ServingModel.of(
            ServingModel.Served.scoring(english::get, fake(EN, english)),
            ServingModel.Served.scoring(chinese::get, fake(ZH, chinese)));

    private static HeadsModel heads(String version, String encoder) {
        return TestHeads.random(version, 7, encoder, "vocab-" + encoder, 8, Feature.MEAN, 128);
    }

    /** offensive is 0.9 while the text holds "傻" or "idiot", else 0.1; batches name the heads in use. */
    private Scorer fake(String encoder, AtomicReference<HeadsModel> heads) {
        return texts -> {
            calls.add(encoder + ":" + texts.get(0));
            List<Prediction> predictions = texts.stream()
                    .map(t -> new Prediction(
                            new Scores(
                                    Map.of("offensive", t.contains("傻") || t.contains("idiot") ? 0.9f : 0.1f),
                                    Map.of()),
                            false,
                            t.length(),
                            heads.get().version()))
                    .toList();
            return new ClassifiedBatch(predictions, heads.get().version(), 1, 10, 1_000, 1_000);
        };
    }

    @Test
    void anItemIsExplainedByTheScorerOfItsEncoderEvenWhenBothAreAtTheSameVersion() {
        Explainer.Explanation zh = model.explain("你是傻瓜", "v1", Optional.of(ZH)).orElseThrow();
        Explainer.Explanation en =
                model.explain("you idiot", "v1", Optional.of(EN)).orElseThrow();

        assertThat(calls).containsExactly(ZH + ":你是傻瓜", EN + ":you idiot");
        // one unit per ideograph: 傻 (offset 2) is what drove offensive
        assertThat(zh.labels().get("offensive"))
                .hasSize(4)
                .filteredOn(s -> s.weight() > 0.5)
                .extracting(Explainer.Span::start, Explainer.Span::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 3));
        assertThat(zh.texts()).isEqualTo(5);
        assertThat(en.labels().get("offensive"))
                .filteredOn(s -> s.weight() > 0.5)
                .extracting(Explainer.Span::start)
                .containsExactly(4);
    }

    @Test
    void noExplanationFromAnotherVersionOfTheItemsEncoderNorForAnEncoderNotServed() {
        english.set(heads("v2", EN));

        assertThat(model.explain("you idiot", "v1", Optional.of(EN))).isEmpty(); // English moved on to v2
        assertThat(model.explain("你是傻瓜", "v2", Optional.of(ZH))).isEmpty(); // v2 is English's, not Chinese's
        assertThat(model.explain("you idiot", "v1", Optional.of("bert-base"))).isEmpty();
        assertThat(model.explain("ばかやろう", "none", Optional.empty())).isEmpty(); // unscored
        assertThat(calls).isEmpty();
        assertThat(model.explain("你是傻瓜", "v1", Optional.of(ZH))).isPresent();
    }

    @Test
    void rowsWithoutAnEncoderAreExplainedByTheEncoderOfTheirTextsLanguage() {
        assertThat(model.explain("你是傻瓜", "v1", Optional.empty())).isPresent();
        assertThat(model.explain("you idiot", "v1", Optional.empty())).isPresent();
        assertThat(model.explain("!!! 123", "v1", Optional.empty())).isPresent(); // no letters: the first encoder
        assertThat(model.explain("Ты идиот", "v1", Optional.empty())).isEmpty(); // Russian: no encoder reads it

        assertThat(calls).containsExactly(ZH + ":你是傻瓜", EN + ":you idiot", EN + ":!!! 123");
    }

    @Test
    void aSwapWhileExplainingGivesNoExplanation() {
        AtomicReference<HeadsModel> heads = new AtomicReference<>(heads("v1", EN));
        ServingModel swapping = ServingModel.of(ServingModel.Served.scoring(heads::get, texts -> {
            heads.set(heads("v2", EN)); // published between the check and the batch
            return fake(EN, heads).score(texts);
        }));

        assertThat(swapping.explain("you idiot", "v1", Optional.of(EN))).isEmpty();
    }

    @Test
    void versionsArePerEncoderAndTheFirstIsTheDefault() {
        english.set(heads("v2", EN));

        assertThat(model.version()).contains("minilm-l6 v2, bge-small-zh v1");
        assertThat(model.version(Optional.of(ZH))).contains("v1");
        assertThat(model.version(Optional.of(EN))).contains("v2");
        assertThat(model.version(Optional.empty())).contains("v2");
        assertThat(model.version(Optional.of("bert-base"))).isEmpty();
        assertThat(model.encoderIds()).containsExactly(EN, ZH);
        assertThat(model.thresholds()).isEqualTo(TestHeads.THRESHOLDS);
    }

    @Test
    void oneEncoderShowsItsPlainVersionAndTwoScorersOfOneEncoderAreRefused() {
        ServingModel one = ServingModel.headsOnly(heads("v3", EN));
        assertThat(one.version()).contains("v3");
        assertThat(one.explain("you idiot", "v3", Optional.of(EN))).isEmpty(); // no engine

        assertThatThrownBy(() -> ServingModel.of(
                        ServingModel.Served.scoring(english::get, fake(EN, english)),
                        ServingModel.Served.scoring(english::get, fake(EN, english))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two scorers of encoder minilm-l6");
    }
}
