package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.model.heads.Scores;
import io.streamguard.model.heads.Thresholds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The over-blocking arithmetic on made-up scores. */
class OverBlockingTest {

    private static final Map<String, Thresholds> THRESHOLDS = Map.of(
            "offensive", new Thresholds(0.5, 0.9),
            "spam", new Thresholds(0.7, 0.7));

    @Test
    void rateCountsScoresAtOrAboveEachThreshold() {
        OverBlocking.Rate rate = OverBlocking.rate(
                "offensive", "civil", new double[] {0.1, 0.5, 0.49, 0.9, 0.95}, THRESHOLDS.get("offensive"));

        assertThat(rate.texts()).isEqualTo(5);
        assertThat(rate.atReview()).isEqualTo(3); // 0.5, 0.9, 0.95: a score at the threshold reaches it
        assertThat(rate.atBlock()).isEqualTo(2);
        assertThat(rate.reviewShare()).isEqualTo(0.6);
        assertThat(rate.blockShare()).isEqualTo(0.4);
        assertThat(OverBlocking.rate("x", "none", new double[0], THRESHOLDS.get("spam"))
                        .reviewShare())
                .isZero();
    }

    @Test
    void measurePerLabelAnyLabelAndSmoke() {
        // "civil b" is benign for offensive and for spam; it reaches spam review only.
        Map<String, List<String>> byLabel = new LinkedHashMap<>();
        byLabel.put("offensive", List.of("civil a", "civil b", "civil c", "civil d"));
        byLabel.put("hate", List.of("no thresholds for me"));
        byLabel.put("spam", List.of("civil b", "ham a"));
        BenignSet set = BenignSet.of(byLabel);
        Map<String, double[]> fake = Map.of(
                "civil a",
                new double[] {0.95, 0.0},
                "civil b",
                new double[] {0.2, 0.75},
                "civil c",
                new double[] {0.6, 0.0},
                "civil d",
                new double[] {0.1, 0.1},
                "ham a",
                new double[] {0.0, 0.3},
                BenignSet.SMOKE.get(0),
                new double[] {0.92, 0.0},
                BenignSet.SMOKE.get(3),
                new double[] {0.6, 0.905});
        List<List<String>> calls = new ArrayList<>();

        OverBlocking result = OverBlocking.measure(set, THRESHOLDS, texts -> {
            calls.add(texts);
            return texts.stream()
                    .map(t -> scores(fake.getOrDefault(t, new double[] {0, 0})))
                    .toList();
        });

        assertThat(calls).hasSize(1);
        assertThat(calls.get(0))
                .doesNotHaveDuplicates()
                .containsAll(BenignSet.SMOKE)
                .contains("ham a");
        assertThat(result.rates())
                .extracting(
                        OverBlocking.Rate::label,
                        OverBlocking.Rate::texts,
                        OverBlocking.Rate::atReview,
                        OverBlocking.Rate::atBlock)
                .containsExactly(tuple("offensive", 4, 2, 1), tuple("spam", 2, 1, 1));
        // Distinct texts: civil a (offensive block), civil b (spam block), civil c (offensive review).
        assertThat(result.anyLabel().texts()).isEqualTo(5);
        assertThat(result.anyLabel().atReview()).isEqualTo(3);
        assertThat(result.anyLabel().atBlock()).isEqualTo(2);

        assertThat(result.smoke()).hasSize(BenignSet.SMOKE.size());
        assertThat(result.smoke().get(0).decision()).isEqualTo("block");
        assertThat(result.smoke().get(0).because()).isEqualTo("offensive 0.920");
        assertThat(result.smoke().get(3).decision()).isEqualTo("block");
        assertThat(result.smoke().get(3).because()).isEqualTo("offensive 0.600, spam 0.905");
        assertThat(result.smoke().get(1).decision()).isEqualTo("allow");
        assertThat(result.smoke().get(1).because()).isEmpty();
    }

    @Test
    void tableMarkdownAndJsonCarryTheShares() throws Exception {
        OverBlocking result = new OverBlocking(
                List.of(OverBlocking.rate(
                        "offensive",
                        "civil negatives",
                        new double[] {0.95, 0.6, 0.1, 0.2},
                        THRESHOLDS.get("offensive"))),
                new OverBlocking.Rate("any", "all", 4, null, 2, null, 1),
                List.of(OverBlocking.smoke("This movie was terrible", scores(new double[] {0.92, 0.0}), THRESHOLDS)));

        assertThat(result.toTable())
                .contains("offensive       4   0.5000      2  50.0 %   0.9000      1  25.0 %")
                .contains("BLOCK   This movie was terrible  (offensive 0.920)");
        assertThat(result.toMarkdown())
                .startsWith("## Over-blocking")
                .contains("- offensive: 4 civil negatives")
                .contains("| offensive | 4 | 0.5000 | 2 (50.0 %) | 0.9000 | 1 (25.0 %) |")
                .contains("| any | 4 | - | 2 (50.0 %) | - | 1 (25.0 %) |")
                .contains("| This movie was terrible | 0.920 | 0.000 | **block** |");
        JsonNode json = new ObjectMapper().readTree(result.toJson());
        assertThat(json.at("/rates/0/reviewShare").asDouble()).isEqualTo(0.5);
        assertThat(json.at("/rates/0/atBlock").asInt()).isEqualTo(1);
        assertThat(json.at("/anyLabel/review").isNull()).isTrue();
        assertThat(json.at("/smoke/0/decision").asText()).isEqualTo("block");
    }

    @Test
    void aScorerThatLosesTextsIsRefused() {
        BenignSet set = BenignSet.of(Map.of("offensive", List.of("a")));
        assertThatThrownBy(() -> OverBlocking.measure(set, THRESHOLDS, texts -> List.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    private static Scores scores(double[] offensiveSpam) {
        Map<String, Float> labels = new LinkedHashMap<>();
        labels.put("offensive", (float) offensiveSpam[0]);
        labels.put("spam", (float) offensiveSpam[1]);
        return new Scores(labels, Map.of());
    }
}
