package io.streamguard.retrainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.heads.Head;
import io.streamguard.model.training.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A candidate learns the verdicts' labels from the live version and leaves every other head as it was. */
class CandidateTrainerTest {

    private final TinyBase tiny = TinyBase.get();
    private final CandidateTrainer trainer = new CandidateTrainer(TinyBase.settings(10, Gate.defaults()));

    @Test
    void aCandidateKeepsItsParentsAdaptersSinceItsHeadsWereFitOnTheAdaptedEncoder() {
        io.streamguard.model.encoder.LowRankAdapters adapters = new io.streamguard.model.encoder.LowRankAdapters(
                1,
                2f,
                Map.of(
                        "encoder.layer.0.attention.self.query.weight",
                        new io.streamguard.model.encoder.LowRankAdapters.Pair(
                                2, 2, new float[] {0.5f, -0.5f}, new float[] {0.25f, 0.125f})));
        var parent = tiny.v1.withAdapters(adapters);
        List<FeedbackExample> notices = TinyBase.deliveryNotices(24);
        List<float[]> features = new FeedbackFeatures(tiny.encoder).of(parent, notices);

        CandidateTrainer.Candidate candidate =
                trainer.train(parent, "v2", tiny.base, notices, features, Map.of("parent", "v1"));

        assertThat(candidate.model().adapters()).isEqualTo(adapters);
        assertThat(candidate.model().adaptersFingerprint()).isEqualTo(parent.adaptersFingerprint());
    }

    @Test
    void onlyTheHeadsWithVerdictsAreRetrainedAndTheyLearnTheVerdicts() {
        List<FeedbackExample> notices = TinyBase.deliveryNotices(24);
        List<float[]> features = new FeedbackFeatures(tiny.encoder).of(tiny.v1, notices);
        CandidateTrainer.Candidate candidate =
                trainer.train(tiny.v1, "v2", tiny.base, notices, features, Map.of("parent", "v1"));

        assertThat(candidate.retrained()).containsExactly(Task.SPAM);
        assertThat(candidate.model().version()).isEqualTo("v2");
        assertThat(candidate.model().provenance().parentVersion()).isEqualTo("v1");
        assertThat(candidate.model().provenance().notes())
                .containsEntry("retrained", "spam")
                .containsEntry("parent", "v1");
        for (Head head : tiny.v1.heads()) {
            if (head.name().equals(Task.SPAM.headName())) {
                assertThat(candidate.model().head(head.name())).isNotSameAs(head);
            } else {
                assertThat(candidate.model().head(head.name())).as(head.name()).isSameAs(head);
            }
        }
        assertThat(candidate.model().thresholds().get("hate"))
                .isEqualTo(tiny.v1.thresholds().get("hate"));
        double before = Evaluation.feedback(tiny.v1, notices, features).accuracy();
        double after = Evaluation.feedback(candidate.model(), notices, features).accuracy();
        assertThat(after)
                .as("accuracy on the verdicts trained on, was %s", before)
                .isGreaterThan(before)
                .isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void trainingIsDeterministic() {
        List<FeedbackExample> notices = TinyBase.deliveryNotices(12);
        List<float[]> features = new FeedbackFeatures(tiny.encoder).of(tiny.v1, notices);
        Head first = trainer.train(tiny.v1, "v2", tiny.base, notices, features, Map.of())
                .model()
                .head("spam");
        Head second = trainer.train(tiny.v1, "v2", tiny.base, notices, features, Map.of())
                .model()
                .head("spam");
        for (float[] x : features) {
            assertThat(second.probabilities(x)).containsExactly(first.probabilities(x));
        }
    }

    @Test
    void verdictsOnLabelsTheModelCannotLearnRetrainNothing() {
        List<FeedbackExample> unknown = List.of(new FeedbackExample("e1", "some text", Map.of("violence", true), 0, 0));
        CandidateTrainer.Candidate candidate = trainer.train(
                tiny.v1, "v2", tiny.base, unknown, new FeedbackFeatures(tiny.encoder).of(tiny.v1, unknown), Map.of());
        assertThat(candidate.retrained()).isEmpty();
        assertThat(candidate.model().heads()).containsExactlyElementsOf(tiny.v1.heads());
    }

    @Test
    void theNextVersionFollowsTheHighestNumberedOne() {
        assertThat(CandidateTrainer.nextVersion(List.of("v1", "v10", "v3", "custom", "v2b")))
                .isEqualTo("v11");
        assertThat(CandidateTrainer.nextVersion(List.of())).isEqualTo("v1");
    }
}
