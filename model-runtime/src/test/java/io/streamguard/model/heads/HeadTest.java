package io.streamguard.model.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.model.encoder.Embeddings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Head arithmetic against values worked out by hand. */
class HeadTest {

    private static final float EPS = 1e-6f;

    /** Two inputs straight through to two logits: logits are the normalised feature. */
    private static Head identity(HeadKind kind, float[] mean, float[] scale) {
        return new Head(
                "h",
                kind,
                List.of("a", "b"),
                mean,
                scale,
                List.of(new Dense(2, 2, new float[] {1, 0, 0, 1}, new float[] {0, 0}, Activation.NONE)));
    }

    @Test
    void normaliserSubtractsTheMeanThenMultipliesByTheScale() {
        Head head = identity(HeadKind.SIGMOID, new float[] {1, 2}, new float[] {0.5f, 2});
        // (3 - 1) * 0.5 = 1, (1 - 2) * 2 = -2
        assertThat(head.logits(new float[] {3, 1})).containsExactly(new float[] {1, -2}, within(EPS));
    }

    @Test
    void denseLayersApplyRowMajorWeightsBiasAndRelu() {
        // x W for W = [[1, -1, 2], [0, 1, -1]] (inputs x outputs) plus bias, then ReLU.
        Dense hidden = new Dense(2, 3, new float[] {1, -1, 2, 0, 1, -1}, new float[] {0, 0.5f, -1}, Activation.RELU);
        Dense out = new Dense(3, 2, new float[] {1, 0, 1, 1, 0, -1}, new float[] {0.25f, 0}, Activation.NONE);
        Head head = new Head(
                "h", HeadKind.SIGMOID, List.of("a", "b"), new float[2], new float[] {1, 1}, List.of(hidden, out));
        // x = [2, 1]: hidden pre-activation [2, -0.5, 2] -> ReLU [2, 0, 2]; out [2 + 0 + 0 + 0.25, 0 + 0 - 2] = [2.25,
        // -2]
        assertThat(head.logits(new float[] {2, 1})).containsExactly(new float[] {2.25f, -2}, within(EPS));
        // x = [0, 0] (the zero-skipping path): hidden = ReLU(bias) = [0, 0.5, 0]; out [0.5 + 0.25, 0.5]
        assertThat(head.logits(new float[] {0, 0})).containsExactly(new float[] {0.75f, 0.5f}, within(EPS));
    }

    @Test
    void sigmoidGivesEachLabelItsOwnProbability() {
        Head head = new Head(
                "h",
                HeadKind.SIGMOID,
                List.of("a", "b", "c"),
                new float[1],
                new float[] {1},
                List.of(new Dense(
                        1,
                        3,
                        new float[] {0, (float) Math.log(3), (float) -Math.log(3)},
                        new float[3],
                        Activation.NONE)));
        // logits [0, ln 3, -ln 3] -> [1/2, 3/4, 1/4]: independent, so they need not sum to 1
        float[] p = head.probabilities(new float[] {1});
        assertThat(p).containsExactly(new float[] {0.5f, 0.75f, 0.25f}, within(EPS));
        assertThat(p[0] + p[1] + p[2]).isNotCloseTo(1f, within(0.1f));
        // Saturates without NaN at extreme logits.
        assertThat(head.probabilities(new float[] {1e4f})).containsExactly(new float[] {0.5f, 1f, 0f}, within(EPS));
    }

    @Test
    void softmaxIsADistributionEvenForHugeLogits() {
        Head head = new Head(
                "h",
                HeadKind.SOFTMAX,
                List.of("a", "b", "c"),
                new float[1],
                new float[] {1},
                List.of(new Dense(
                        1, 3, new float[] {0, 0, 0}, new float[] {0, (float) Math.log(3), 0}, Activation.NONE)));
        // logits [0, ln 3, 0] -> [1/5, 3/5, 1/5]
        assertThat(head.probabilities(new float[] {0})).containsExactly(new float[] {0.2f, 0.6f, 0.2f}, within(EPS));

        Head wide = new Head(
                "h",
                HeadKind.SOFTMAX,
                List.of("a", "b", "c"),
                new float[1],
                new float[] {1},
                List.of(new Dense(1, 3, new float[] {1000, 1001, 999}, new float[3], Activation.NONE)));
        // exp(1000) overflows a double; shifted by the max it is softmax([1, 2, 0]).
        float[] p = wide.probabilities(new float[] {1});
        double z = Math.exp(1) + Math.exp(2) + Math.exp(0);
        assertThat(p)
                .containsExactly(
                        new float[] {(float) (Math.exp(1) / z), (float) (Math.exp(2) / z), (float) (1 / z)},
                        within(EPS));
        assertThat(p[0] + p[1] + p[2]).isCloseTo(1f, within(EPS));
        // And far below zero.
        assertThat(wide.probabilities(new float[] {-1}))
                .containsExactly(
                        new float[] {(float) (Math.exp(1) / z), (float) (1 / z), (float) (Math.exp(2) / z)},
                        within(EPS));
    }

    @Test
    void aFeatureOfTheWrongWidthIsRefused() {
        Head head = identity(HeadKind.SIGMOID, new float[2], new float[] {1, 1});
        assertThatThrownBy(() -> head.logits(new float[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes 2 features, got 3");
    }

    @Test
    void modelScoresEveryHeadFromOneFeatureVector() {
        Head moderation = new Head(
                "moderation",
                HeadKind.SIGMOID,
                List.of("spam", "hate"),
                new float[2],
                new float[] {1, 1},
                List.of(new Dense(2, 2, new float[] {1, 0, 0, 1}, new float[2], Activation.NONE)));
        Head sentiment = new Head(
                "sentiment",
                HeadKind.SOFTMAX,
                List.of("negative", "positive"),
                new float[2],
                new float[] {1, 1},
                List.of(new Dense(2, 2, new float[] {1, 0, 0, 1}, new float[2], Activation.NONE)));
        HeadsModel model = new HeadsModel(
                "v1",
                "enc",
                "hash",
                128,
                Feature.MEAN,
                List.of(moderation, sentiment),
                Map.of("spam", new Thresholds(0.5, 0.9), "hate", new Thresholds(0.5, 0.9)),
                Map.of(),
                new Provenance("now", null, 1, List.of(), Map.of()));
        float ln3 = (float) Math.log(3);
        Scores s = model.score(new float[] {ln3, 0});
        assertThat(s.labels().keySet()).containsExactly("spam", "hate"); // head order, not alphabetical
        assertThat(s.label("spam")).isCloseTo(0.75f, within(EPS));
        assertThat(s.label("hate")).isCloseTo(0.5f, within(EPS));
        Classification c = s.classes().get("sentiment");
        assertThat(c.label()).isEqualTo("negative");
        assertThat(c.score()).isCloseTo(0.75f, within(EPS));
        assertThat(c.probabilities()).containsOnlyKeys("negative", "positive");
        assertThatThrownBy(() -> s.label("sentiment")).hasMessageContaining("no label sentiment");

        // Rows of an Embeddings batch are scored independently and in order.
        Embeddings e = new Embeddings(2, 2, new float[4], new float[] {ln3, 0, 0, ln3});
        List<Scores> rows = model.score(e);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).isEqualTo(s);
        assertThat(rows.get(1).label("hate")).isCloseTo(0.75f, within(EPS));
        assertThat(rows.get(1).classes().get("sentiment").label()).isEqualTo("positive");
    }

    @Test
    void featuresPickTheirPartOfTheEmbeddings() {
        Embeddings e = new Embeddings(2, 2, new float[] {1, 2, 3, 4}, new float[] {5, 6, 7, 8});
        assertThat(Feature.POOLED.extract(e, 1)).containsExactly(3, 4);
        assertThat(Feature.MEAN.extract(e, 1)).containsExactly(7, 8);
        assertThat(Feature.POOLED_AND_MEAN.extract(e, 1)).containsExactly(3, 4, 7, 8);
        assertThat(Feature.POOLED_AND_MEAN.width(384)).isEqualTo(768);
    }
}
