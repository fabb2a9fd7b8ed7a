package io.streamguard.retrainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.training.ClassificationReport;
import io.streamguard.model.training.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What the gate judges by: validation reports per task, and accuracy on held-back verdicts. */
class EvaluationTest {

    private final TinyBase tiny = TinyBase.get();

    @Test
    void everyTaskWithAHeadIsReportedOnItsValidationSplit() {
        Map<Task, ClassificationReport> reports = Evaluation.validation(tiny.v1, tiny.base);
        assertThat(reports).containsOnlyKeys(Task.values());
        Map<String, Double> primary = Evaluation.primary(reports);
        assertThat(primary).containsOnlyKeys("sentiment", "offensive", "hate", "spam");
        reports.forEach((task, report) -> assertThat(primary.get(task.id())).isEqualTo(report.primary(task)));
        // The tiny sets are easy: a model that learned them is far above chance.
        assertThat(primary.get("spam")).isGreaterThan(0.8);
        assertThat(primary.get("sentiment")).isGreaterThan(0.8);
    }

    @Test
    void aModelWithoutATasksHeadIsNotJudgedOnIt() {
        HeadsModel noSpam = new HeadsModel(
                "v-nospam",
                tiny.v1.encoderId(),
                tiny.v1.vocabHash(),
                tiny.v1.maxLength(),
                tiny.v1.feature(),
                tiny.v1.heads().stream()
                        .filter(h -> !h.name().equals(Task.SPAM.headName()))
                        .toList(),
                withoutSpam(tiny.v1.thresholds()),
                tiny.v1.metrics(),
                tiny.v1.provenance());
        assertThat(Evaluation.covers(tiny.v1, Task.SPAM)).isTrue();
        assertThat(Evaluation.covers(noSpam, Task.SPAM)).isFalse();
        assertThat(Evaluation.validation(noSpam, tiny.base))
                .doesNotContainKey(Task.SPAM)
                .containsKey(Task.HATE);
    }

    private static <V> Map<String, V> withoutSpam(Map<String, V> map) {
        Map<String, V> out = new TreeMap<>(map);
        out.remove("spam");
        return out;
    }

    @Test
    void feedbackAccuracyCountsTheVerdictsTheModelScoresAtItsReviewThreshold() {
        List<FeedbackExample> notices = TinyBase.deliveryNotices(8);
        List<float[]> features = new FeedbackFeatures(tiny.encoder).of(tiny.v1, notices);
        // Verdicts that agree with the model, then the opposite ones, plus one on a label it does not score.
        List<FeedbackExample> agreeing = new ArrayList<>();
        List<FeedbackExample> disagreeing = new ArrayList<>();
        for (int i = 0; i < notices.size(); i++) {
            FeedbackExample e = notices.get(i);
            boolean flagged = tiny.v1.score(features.get(i)).labels().get("spam")
                    >= tiny.v1.thresholds().get("spam").review();
            agreeing.add(new FeedbackExample(e.eventId(), e.text(), Map.of("spam", flagged, "violence", true), 0, i));
            disagreeing.add(new FeedbackExample(e.eventId(), e.text(), Map.of("spam", !flagged), 0, i));
        }
        assertThat(Evaluation.feedback(tiny.v1, agreeing, features))
                .isEqualTo(new Evaluation.FeedbackScore(1.0, notices.size()));
        assertThat(Evaluation.feedback(tiny.v1, disagreeing, features))
                .isEqualTo(new Evaluation.FeedbackScore(0.0, notices.size()));
        List<FeedbackExample> mixed = new ArrayList<>(agreeing.subList(0, 2));
        mixed.addAll(disagreeing.subList(2, 8));
        assertThat(Evaluation.feedback(tiny.v1, mixed, features).accuracy()).isEqualTo(0.25);
        assertThat(Evaluation.feedback(tiny.v1, List.of(), List.of())).isEqualTo(new Evaluation.FeedbackScore(0, 0));

        // Paired with itself: the same verdicts right, no disagreement; the accuracy is feedback()'s.
        Evaluation.Paired self = Evaluation.paired(tiny.v1, tiny.v1, mixed, features);
        assertThat(self).isEqualTo(new Evaluation.Paired(8, 2, 2, 0, 0));
        assertThat(self.candidateAccuracy()).isEqualTo(0.25);
    }
}
