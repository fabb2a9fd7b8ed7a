package io.streamguard.model.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderInfo;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Construction rules of heads and models, and the encoder compatibility check. */
class HeadsModelTest {

    private static final Provenance PROVENANCE = new Provenance("now", null, 1, List.of(), Map.of());

    private static Head sigmoid(String name, int width, String... labels) {
        return new Head(
                name,
                HeadKind.SIGMOID,
                List.of(labels),
                new float[width],
                ones(width),
                List.of(new Dense(
                        width,
                        labels.length,
                        new float[width * labels.length],
                        new float[labels.length],
                        Activation.NONE)));
    }

    private static Head softmax(String name, int width, String... labels) {
        return new Head(
                name,
                HeadKind.SOFTMAX,
                List.of(labels),
                new float[width],
                ones(width),
                List.of(new Dense(
                        width,
                        labels.length,
                        new float[width * labels.length],
                        new float[labels.length],
                        Activation.NONE)));
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1);
        return v;
    }

    private static Map<String, Thresholds> thresholds(String... labels) {
        Map<String, Thresholds> t = new HashMap<>();
        for (String label : labels) {
            t.put(label, new Thresholds(0.5, 0.9));
        }
        return t;
    }

    private static HeadsModel model(List<Head> heads, Map<String, Thresholds> thresholds) {
        return new HeadsModel("v1", "minilm-l6", "hash", 128, Feature.MEAN, heads, thresholds, Map.of(), PROVENANCE);
    }

    @Test
    void aValidModelListsItsModerationLabelsInHeadOrder() {
        HeadsModel m = model(
                List.of(sigmoid("a", 4, "spam", "hate"), softmax("s", 4, "neg", "pos"), sigmoid("b", 4, "offensive")),
                thresholds("spam", "hate", "offensive"));
        assertThat(m.moderationLabels()).containsExactly("spam", "hate", "offensive");
        assertThat(m.head("s").kind()).isEqualTo(HeadKind.SOFTMAX);
        assertThatThrownBy(() -> m.head("x")).hasMessageContaining("no head x in model v1");
    }

    @Test
    void duplicateHeadNamesAreRefused() {
        assertThatThrownBy(() ->
                        model(List.of(sigmoid("a", 4, "spam"), sigmoid("a", 4, "hate")), thresholds("spam", "hate")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate head a");
    }

    @Test
    void aModerationLabelInTwoHeadsIsRefused() {
        assertThatThrownBy(() -> model(List.of(sigmoid("a", 4, "spam"), sigmoid("b", 4, "spam")), thresholds("spam")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label spam is in two heads");
    }

    @Test
    void duplicateLabelsWithinAHeadAreRefused() {
        assertThatThrownBy(() -> sigmoid("a", 4, "spam", "spam"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distinct labels");
    }

    @Test
    void thresholdsMustCoverExactlyTheModerationLabels() {
        List<Head> heads = List.of(sigmoid("a", 4, "spam", "hate"), softmax("s", 4, "neg", "pos"));
        assertThatThrownBy(() -> model(heads, thresholds("spam")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must cover exactly");
        assertThatThrownBy(() -> model(heads, thresholds("spam", "hate", "neg")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must cover exactly");
        assertThatCode(() -> model(heads, thresholds("spam", "hate"))).doesNotThrowAnyException();
    }

    @Test
    void headsMustReadTheSameFeatureWidth() {
        assertThatThrownBy(() ->
                        model(List.of(sigmoid("a", 4, "spam"), softmax("s", 5, "neg", "pos")), thresholds("spam")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("head s reads 5 features, head a reads 4");
    }

    @Test
    void layerWidthsMustChain() {
        Dense in = new Dense(4, 3, new float[12], new float[3], Activation.RELU);
        Dense out = new Dense(2, 1, new float[2], new float[1], Activation.NONE);
        assertThatThrownBy(() -> new Head("h", HeadKind.SIGMOID, List.of("x"), new float[4], ones(4), List.of(in, out)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 1 takes 2 inputs but layer 0 emits 3");
        Dense last = new Dense(3, 1, new float[3], new float[1], Activation.NONE);
        assertThatThrownBy(
                        () -> new Head("h", HeadKind.SIGMOID, List.of("x"), new float[5], ones(5), List.of(in, last)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("normaliser has 5/5 dimensions, first layer takes 4");
        assertThatThrownBy(() ->
                        new Head("h", HeadKind.SIGMOID, List.of("x", "y"), new float[4], ones(4), List.of(in, last)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("last layer must emit 2 logits");
        // The last layer emits logits: an activation there would distort the probabilities.
        Dense reluLast = new Dense(3, 1, new float[3], new float[1], Activation.RELU);
        assertThatThrownBy(() ->
                        new Head("h", HeadKind.SIGMOID, List.of("x"), new float[4], ones(4), List.of(in, reluLast)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without activation");
    }

    @Test
    void aSoftmaxHeadNeedsTwoClasses() {
        assertThatThrownBy(() -> softmax("s", 4, "only"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 classes");
    }

    @Test
    void weightCountsAndValuesAreChecked() {
        assertThatThrownBy(() -> new Dense(4, 3, new float[11], new float[3], Activation.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 4x3 weights, got 11");
        assertThatThrownBy(() -> new Dense(4, 3, new float[12], new float[2], Activation.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 3 biases, got 2");
        float[] w = new float[12];
        w[5] = Float.NaN;
        assertThatThrownBy(() -> new Dense(4, 3, w, new float[3], Activation.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite weight");
        float[] scale = ones(4);
        scale[2] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> new Head(
                        "h",
                        HeadKind.SIGMOID,
                        List.of("x"),
                        new float[4],
                        scale,
                        List.of(new Dense(4, 1, new float[4], new float[1], Activation.NONE))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite normaliser at dimension 2");
    }

    @Test
    void reviewMayNotExceedBlock() {
        assertThatThrownBy(() -> new Thresholds(0.9, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("review threshold 0.9 is above block");
        assertThatThrownBy(() -> new Thresholds(Double.NaN, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Thresholds(0.1, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Thresholds(0.7, 0.7).block()).isEqualTo(0.7);
    }

    @Test
    void nonFiniteMetricsAreRefusedSinceJsonCannotHoldThem() {
        assertThatThrownBy(() -> new HeadsModel(
                        "v1",
                        "minilm-l6",
                        "hash",
                        128,
                        Feature.MEAN,
                        List.of(sigmoid("a", 4, "spam")),
                        thresholds("spam"),
                        Map.of("spam", Map.of("f1", Double.NaN)),
                        PROVENANCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metric spam.f1 is NaN");
    }

    @Test
    void compatibleOnlyWithTheEncoderVocabularyAndWidthItWasTrainedOn() {
        HeadsModel m = new HeadsModel(
                "v7",
                "minilm-l6",
                "abc",
                128,
                Feature.MEAN,
                List.of(sigmoid("a", 384, "spam")),
                thresholds("spam"),
                Map.of(),
                PROVENANCE);
        assertThatCode(() -> m.checkCompatible(new EncoderInfo("minilm-l6", 384, 512, "abc", Device.CPU)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> m.checkCompatible(new EncoderInfo("bert-base-uncased", 384, 512, "abc", Device.CPU)))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("v7 was trained on encoder minilm-l6, not bert-base-uncased");
        assertThatThrownBy(() -> m.checkCompatible(new EncoderInfo("minilm-l6", 384, 512, "def", Device.CPU)))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("vocabulary abc");
        assertThatThrownBy(() -> m.checkCompatible(new EncoderInfo("minilm-l6", 768, 512, "abc", Device.CPU)))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("heads read 384 features");
        HeadsModel both = new HeadsModel(
                "v8",
                "minilm-l6",
                "abc",
                128,
                Feature.POOLED_AND_MEAN,
                List.of(sigmoid("a", 384, "spam")),
                thresholds("spam"),
                Map.of(),
                PROVENANCE);
        assertThatThrownBy(() -> both.checkCompatible(new EncoderInfo("minilm-l6", 384, 512, "abc", Device.CPU)))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("POOLED_AND_MEAN");
    }

    @Test
    void withVersionAndThresholdsKeepTheWeights() {
        HeadsModel m = TestHeads.random("v1", 3, "minilm-l6", "abc", 8, Feature.MEAN, 128);
        HeadsModel next = m.withVersion("v2", new Provenance("later", "v1", 4, List.of(), Map.of()));
        assertThat(next.version()).isEqualTo("v2");
        assertThat(next.heads()).isEqualTo(m.heads());
        assertThat(next.provenance().parentVersion()).isEqualTo("v1");
        Map<String, Thresholds> t = thresholds("offensive", "hate", "spam");
        assertThat(m.withThresholds(t).thresholds()).isEqualTo(t);
        assertThatThrownBy(() -> m.withThresholds(thresholds("spam"))).isInstanceOf(IllegalArgumentException.class);
    }
}
