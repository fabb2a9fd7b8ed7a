package io.streamguard.model.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.model.ClassifiedBatch;
import io.streamguard.model.Prediction;
import io.streamguard.model.heads.Classification;
import io.streamguard.model.heads.Scores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The occlusion arithmetic against a fake scorer whose scores depend only on which words are present. */
class OcclusionTest {

    /** Every call's texts. */
    private final List<List<String>> calls = new ArrayList<>();

    /** offensive reacts to "idiot", spam to each "!!!", sentiment turns negative on "idiot". */
    private ClassifiedBatch fake(List<String> texts) {
        calls.add(List.copyOf(texts));
        List<Prediction> predictions = new ArrayList<>();
        for (String text : texts) {
            List<String> words = Words.split(text).stream().map(Word::text).toList();
            boolean idiot = words.contains("idiot");
            long bangs = words.stream().filter("!!!"::equals).count();
            Map<String, Float> labels = new LinkedHashMap<>();
            labels.put("offensive", idiot ? 0.9f : 0.1f);
            labels.put("spam", 0.2f + 0.3f * bangs);
            float negative = idiot ? 0.7f : 0.3f;
            Map<String, Float> probabilities = new LinkedHashMap<>();
            probabilities.put("negative", negative);
            probabilities.put("positive", 1 - negative);
            Classification sentiment = new Classification(
                    negative > 0.5f ? "negative" : "positive", Math.max(negative, 1 - negative), probabilities);
            predictions.add(
                    new Prediction(new Scores(labels, Map.of("sentiment", sentiment)), false, words.size() + 2, "v7"));
        }
        return new ClassifiedBatch(predictions, "v7", 2, 100, 3_000_000, 1_000_000);
    }

    private static List<String> words(List<WordWeight> weights) {
        return weights.stream().map(w -> w.word().text()).toList();
    }

    @Test
    void weighsEachWordByTheDropInEveryScoreWhenItIsRemoved() {
        String text = "you idiot !!! buy now !!!";
        Explanation e = new Occlusion(this::fake).explain(text);

        assertThat(calls).hasSize(1);
        assertThat(calls.get(0))
                .containsExactly(
                        text,
                        "  idiot !!! buy now !!!",
                        "you   !!! buy now !!!",
                        "you idiot   buy now !!!",
                        "you idiot !!!   now !!!",
                        "you idiot !!! buy   !!!",
                        "you idiot !!! buy now  ");
        assertThat(e.labels().keySet()).containsExactly("offensive", "spam");
        List<WordWeight> offensive = e.labels().get("offensive");
        assertThat(words(offensive)).containsExactly("you", "idiot", "!!!", "buy", "now", "!!!");
        assertThat(offensive.get(1).weight()).isCloseTo(0.8, within(1e-6));
        assertThat(offensive.get(1).word()).isEqualTo(new Word("idiot", 4, 9));
        assertThat(offensive.stream().filter(w -> w.weight() != 0)).hasSize(1);
        assertThat(e.labels().get("spam").get(2).weight()).isCloseTo(0.3, within(1e-6));
        assertThat(e.labels().get("spam").get(5).word().start()).isEqualTo(22);
        assertThat(e.classes().get("sentiment").get("negative").get(1).weight()).isCloseTo(0.4, within(1e-6));
        assertThat(e.classes().get("sentiment").get("positive").get(1).weight()).isCloseTo(-0.4, within(1e-6));

        assertThat(words(e.top("offensive", 3, 0.05))).containsExactly("idiot");
        assertThat(words(e.top("spam", 1, 0.05))).containsExactly("!!!");
        assertThatThrownBy(() -> e.top("hate", 3, 0)).isInstanceOf(IllegalArgumentException.class);

        assertThat(e.modelVersion()).isEqualTo("v7");
        assertThat(e.original().scores().label("offensive")).isEqualTo(0.9f);
        assertThat(e.cost().texts()).isEqualTo(7);
        assertThat(e.cost().encoderCalls()).isEqualTo(2);
        assertThat(e.cost().engineMillis()).isEqualTo(4.0);
        assertThat(e.cost().wallNanos()).isPositive();
    }

    @Test
    void longTextsAreOccludedInGroupsSoOneItemCostsAtMostMaxSpansPlusOneTexts() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            text.append(i == 57 ? "idiot" : "w" + i).append(' ');
        }
        Explanation e = new Occlusion(this::fake, 64).explain(text.toString());

        assertThat(calls.get(0)).hasSize(51); // 100 words in 50 pairs
        assertThat(e.spans()).hasSize(50);
        assertThat(e.cost().texts()).isEqualTo(51);
        List<WordWeight> top = e.top("offensive", 1, 0.5);
        assertThat(words(top)).containsExactly("w56 idiot");
        assertThat(text.substring(top.get(0).word().start(), top.get(0).word().end()))
                .isEqualTo("w56 idiot");
    }

    @Test
    void aTextWithoutWordsScoresOnlyTheOriginal() {
        Explanation e = new Occlusion(this::fake).explain("   ");
        assertThat(calls.get(0)).containsExactly("   ");
        assertThat(e.spans()).isEmpty();
        assertThat(e.labels().get("offensive")).isEmpty();
        assertThat(e.top("spam", 5, Double.NEGATIVE_INFINITY)).isEmpty();
    }

    @Test
    void aScorerThatLosesTextsIsRefused() {
        Occlusion occlusion = new Occlusion(texts -> fake(texts.subList(0, 1)));
        assertThatThrownBy(() -> occlusion.explain("you idiot"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 predictions for 3 texts");
        assertThatThrownBy(() -> new Occlusion(this::fake, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
