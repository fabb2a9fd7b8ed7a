package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.model.heads.Activation;
import io.streamguard.model.heads.Float16;
import io.streamguard.model.heads.Head;
import io.streamguard.model.heads.HeadKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadTrainerTest {

    private static final double[] BALANCED = {0.5, 0.5};
    private static final HeadSpec SPAM = HeadSpec.binary("spam", "spam");
    /** Tests that compare the copied-out head with the TF graph keep the graph's own float32 weights. */
    private static final TrainingOptions FULL_PRECISION =
            TrainingOptions.defaults().withHalfPrecisionWeights(false);

    @Test
    void linearlySeparableBlobsAreLearnedAlmostPerfectly() {
        LabelledFeatures train = Synthetic.blobs(2000, 16, BALANCED, 8, 1);
        LabelledFeatures validation = Synthetic.blobs(500, 16, BALANCED, 8, 2);

        TrainingResult result = new HeadTrainer(
                        FULL_PRECISION.withLearningRate(1e-2f).withEpochs(10, 3))
                .train(SPAM, train, validation, ValidationMetric.accuracy(), stats -> {});

        assertThat(result.bestMetric()).isGreaterThanOrEqualTo(0.998);
        Head head = result.head();
        assertThat(head.kind()).isEqualTo(HeadKind.SIGMOID);
        assertThat(head.labels()).containsExactly("spam");
        assertThat(head.layers()).hasSize(1);
        assertThat(head.layers().get(0).outputs()).isEqualTo(1);
        assertMatchesGraph(result, validation);
    }

    @Test
    void standardisesWithTrainingMeanAndStd() {
        LabelledFeatures train = Synthetic.blobs(4000, 4, BALANCED, 0, 3); // all noise: mean 3, std 5

        Head head = new HeadTrainer(TrainingOptions.defaults().withEpochs(1, 1))
                .train(SPAM, train, Synthetic.blobs(100, 4, BALANCED, 0, 4))
                .head();

        for (int j = 0; j < 4; j++) {
            assertThat(head.inputMean()[j]).isCloseTo(3f, within(0.3f));
            assertThat(1 / head.inputScale()[j]).isCloseTo(5f, within(0.3f));
        }
    }

    @Test
    void constantFeatureIsCentredNotAmplified() {
        float[] x = {1, 7, 2, 7, 3, 7, 4, 7};
        LabelledFeatures data = new LabelledFeatures(x, new int[] {0, 1, 0, 1}, 2);
        float[] mean = new float[2];
        float[] scale = new float[2];

        HeadTrainer.standardisation(data, mean, scale);

        assertThat(mean).containsExactly(2.5f, 7f);
        assertThat(scale[0]).isCloseTo((float) (1 / Math.sqrt(1.25)), within(1e-6f));
        assertThat(scale[1]).isEqualTo(1 / HeadTrainer.MIN_STD);
    }

    @Test
    void classWeightingRaisesMinorityRecall() {
        double[] imbalanced = {0.9, 0.1};
        LabelledFeatures train = Synthetic.blobs(4000, 8, imbalanced, 1.0, 5);
        LabelledFeatures validation = Synthetic.blobs(2000, 8, imbalanced, 1.0, 6);
        TrainingOptions options =
                TrainingOptions.defaults().withLearningRate(1e-2f).withEpochs(5, 5);

        TrainingResult plain = new HeadTrainer(options.withClassWeighting(false)).train(SPAM, train, validation);
        TrainingResult weighted = new HeadTrainer(options.withClassWeighting(true)).train(SPAM, train, validation);

        double plainRecall = recallAtHalf(plain.validationProbabilities(), validation.y());
        double weightedRecall = recallAtHalf(weighted.validationProbabilities(), validation.y());
        // Unweighted, the 10 % class sits mostly below 0.5; weighted, classes count equally.
        assertThat(plainRecall).isLessThan(0.6);
        assertThat(weightedRecall).isGreaterThan(0.75).isGreaterThan(plainRecall + 0.2);
    }

    @Test
    void hiddenLayerLearnsXorWhereLogisticCannot() {
        LabelledFeatures train = Synthetic.xor(3000, 4, 7);
        LabelledFeatures validation = Synthetic.xor(1000, 4, 8);
        TrainingOptions options = FULL_PRECISION.withLearningRate(3e-3f).withEpochs(20, 5);

        TrainingResult logistic =
                new HeadTrainer(options).train(SPAM, train, validation, ValidationMetric.accuracy(), stats -> {});
        TrainingResult hidden = new HeadTrainer(options.withHiddenUnits(32))
                .train(SPAM, train, validation, ValidationMetric.accuracy(), stats -> {});

        assertThat(logistic.bestMetric()).isLessThan(0.65);
        assertThat(hidden.bestMetric()).isGreaterThan(0.93);
        assertThat(hidden.head().layers())
                .extracting(l -> l.activation())
                .containsExactly(Activation.RELU, Activation.NONE);
        assertThat(hidden.head().layers().get(0).outputs()).isEqualTo(32);
        assertMatchesGraph(hidden, validation);
    }

    @Test
    void earlyStoppingStopsPatienceEpochsAfterTheBestAndKeepsItsWeights() {
        // Pure noise: validation cannot keep improving, so patience must end the run.
        LabelledFeatures train = Synthetic.blobs(500, 32, BALANCED, 0, 9);
        LabelledFeatures validation = Synthetic.blobs(300, 32, BALANCED, 0, 10);
        List<EpochStats> reported = new ArrayList<>();

        TrainingResult result = new HeadTrainer(
                        FULL_PRECISION.withHiddenUnits(64).withEpochs(200, 3))
                .train(SPAM, train, validation, ValidationMetric.accuracy(), reported::add);

        assertThat(result.stoppedEarly()).isTrue();
        assertThat(result.history()).hasSize(result.bestEpoch() + 3).hasSizeLessThan(200);
        assertThat(reported).isEqualTo(result.history());
        EpochStats best = result.history().get(result.bestEpoch() - 1);
        assertThat(best.improved()).isTrue();
        assertThat(best.validationMetric()).isEqualTo(result.bestMetric());
        assertThat(result.history())
                .allSatisfy(s -> assertThat(s.validationMetric()).isLessThanOrEqualTo(result.bestMetric()));
        // The returned head is the best epoch's, not the last one's.
        assertThat(ValidationMetric.accuracy()
                        .evaluate(headProbabilities(result.head(), validation), validation.y(), 1))
                .isCloseTo(result.bestMetric(), within(1e-9));
        assertMatchesGraph(result, validation);
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsAndAnotherSeedDoesNot() {
        LabelledFeatures train = Synthetic.blobs(3000, 64, BALANCED, 1, 11);
        LabelledFeatures validation = Synthetic.blobs(500, 64, BALANCED, 1, 12);
        TrainingOptions options = TrainingOptions.defaults()
                .withHiddenUnits(48)
                .withDropout(0.1f, 0.2f)
                .withEpochs(3, 3)
                .withSeed(7);

        TrainingResult first = new HeadTrainer(options).train(SPAM, train, validation);
        TrainingResult second = new HeadTrainer(options).train(SPAM, train, validation);
        TrainingResult otherSeed = new HeadTrainer(options.withSeed(8)).train(SPAM, train, validation);

        assertThat(second.head()).isEqualTo(first.head());
        assertThat(second.history())
                .extracting(EpochStats::trainLoss)
                .isEqualTo(first.history().stream().map(EpochStats::trainLoss).toList());
        assertThat(otherSeed.head()).isNotEqualTo(first.head());
    }

    @Test
    void warmStartContinuesFromTheGivenWeights() {
        LabelledFeatures train = Synthetic.blobs(3000, 32, BALANCED, 1.2, 13);
        LabelledFeatures validation = Synthetic.blobs(500, 32, BALANCED, 1.2, 14);
        TrainingOptions options = TrainingOptions.defaults().withHiddenUnits(16).withEpochs(5, 5);
        Head previous = new HeadTrainer(options).train(SPAM, train, validation).head();

        TrainingResult scratch = new HeadTrainer(options.withSeed(99)).train(SPAM, train, validation);
        TrainingResult warm =
                new HeadTrainer(options.withSeed(99).withWarmStart(previous)).train(SPAM, train, validation);

        assertThat(warm.history().get(0).trainLoss())
                .isLessThan(scratch.history().get(0).trainLoss() - 0.05);
        // The normaliser is the previous head's, so its weights keep their meaning.
        assertThat(warm.head().inputMean()).isEqualTo(previous.inputMean());
        assertThat(warm.head().inputScale()).isEqualTo(previous.inputScale());
        assertThat(warm.head().layers().get(0).outputs()).isEqualTo(16);
    }

    @Test
    void warmStartFromAnotherShapeIsRefused() {
        LabelledFeatures data = Synthetic.blobs(200, 8, BALANCED, 3, 15);
        Head logistic = new HeadTrainer(TrainingOptions.defaults().withEpochs(1, 1))
                .train(SPAM, data, data)
                .head();

        HeadTrainer warm = new HeadTrainer(TrainingOptions.defaults().withWarmStart(logistic));
        LabelledFeatures wider = Synthetic.blobs(200, 9, BALANCED, 3, 16);
        assertThatThrownBy(() -> warm.train(SPAM, wider, wider))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot warm-start");
        assertThatThrownBy(() -> warm.train(HeadSpec.binary("spam", "ham"), data, data))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> TrainingOptions.defaults().withWarmStart(logistic).withHiddenUnits(8))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void softmaxOverThreeClasses() {
        double[] three = {0.5, 0.3, 0.2};
        LabelledFeatures train = Synthetic.blobs(3000, 12, three, 4, 17);
        LabelledFeatures validation = Synthetic.blobs(600, 12, three, 4, 18);
        HeadSpec sentiment = HeadSpec.softmax("sentiment", List.of("negative", "neutral", "positive"));

        TrainingResult result = new HeadTrainer(
                        FULL_PRECISION.withHiddenUnits(24).withEpochs(10, 3))
                .train(sentiment, train, validation);

        assertThat(result.bestMetric()).isGreaterThan(0.95); // default metric for softmax: accuracy
        assertThat(result.head().kind()).isEqualTo(HeadKind.SOFTMAX);
        assertThat(result.head().labels()).containsExactly("negative", "neutral", "positive");
        assertThat(result.validationProbabilities()).hasSize(600 * 3);
        for (int r = 0; r < 600; r++) {
            float sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += result.validationProbabilities()[r * 3 + c];
            }
            assertThat(sum).isCloseTo(1f, within(1e-5f));
        }
        assertMatchesGraph(result, validation);
    }

    @Test
    void labelsOutsideTheHeadsClassesAreRefused() {
        LabelledFeatures data = new LabelledFeatures(new float[] {1, 2, 3}, new int[] {0, 2, 1}, 1);
        HeadTrainer trainer = new HeadTrainer(TrainingOptions.defaults());

        assertThatThrownBy(() -> trainer.train(SPAM, data, data))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 2");
        LabelledFeatures onlyNegatives = new LabelledFeatures(new float[] {1, 2}, new int[] {0, 0}, 1);
        assertThatThrownBy(() -> trainer.train(SPAM, onlyNegatives, onlyNegatives))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no rows of class 1");
    }

    @Test
    void halfPrecisionKernelsAreWhatIsReturnedMeasuredAndStored() {
        LabelledFeatures train = Synthetic.blobs(2000, 32, BALANCED, 1, 21);
        LabelledFeatures validation = Synthetic.blobs(500, 32, BALANCED, 1, 22);
        TrainingOptions options = TrainingOptions.defaults().withHiddenUnits(24).withEpochs(8, 3);

        TrainingResult full = new HeadTrainer(options.withHalfPrecisionWeights(false)).train(SPAM, train, validation);
        TrainingResult half = new HeadTrainer(options).train(SPAM, train, validation);

        assertThat(half.bestEpoch()).as("the epoch is chosen at full precision").isEqualTo(full.bestEpoch());
        for (int l = 0; l < 2; l++) {
            assertThat(Float16.allExact(half.head().layers().get(l).weights()))
                    .as("layer %d kernel", l)
                    .isTrue();
            assertThat(Float16.allExact(full.head().layers().get(l).weights())).isFalse();
            assertThat(half.head().layers().get(l).bias())
                    .isEqualTo(full.head().layers().get(l).bias());
        }
        // Probabilities and metric are the rounded head's own, and rounding moves them only a little.
        float[] expected = headProbabilities(half.head(), validation);
        assertThat(half.validationProbabilities()).containsExactly(expected);
        assertThat(half.bestMetric())
                .isEqualTo(ValidationMetric.defaultFor(SPAM).evaluate(expected, validation.y(), SPAM.outputs()));
        for (int i = 0; i < expected.length; i++) {
            assertThat(expected[i]).isCloseTo(full.validationProbabilities()[i], within(5e-3f));
        }
    }

    /** The head copied out of TF computes what the graph computed on the validation rows. */
    private static void assertMatchesGraph(TrainingResult result, LabelledFeatures validation) {
        float[] java = headProbabilities(result.head(), validation);
        float[] graph = result.validationProbabilities();
        assertThat(java).hasSameSizeAs(graph);
        for (int i = 0; i < java.length; i++) {
            assertThat(java[i]).as("probability %d", i).isCloseTo(graph[i], within(1e-5f));
        }
    }

    private static float[] headProbabilities(Head head, LabelledFeatures data) {
        int outputs = head.labels().size();
        float[] out = new float[data.rows() * outputs];
        for (int r = 0; r < data.rows(); r++) {
            System.arraycopy(head.probabilities(data.row(r)), 0, out, r * outputs, outputs);
        }
        return out;
    }

    private static double recallAtHalf(float[] probabilities, int[] labels) {
        int positives = 0;
        int found = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 1) {
                positives++;
                if (probabilities[i] >= 0.5f) {
                    found++;
                }
            }
        }
        return (double) found / positives;
    }
}
