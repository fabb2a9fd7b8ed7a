package io.streamguard.retrainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.model.heads.Head;
import io.streamguard.model.language.Language;
import io.streamguard.model.training.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A retrainer of {@code bge-small-zh} keeps, trains and judges only the tasks Chinese has data for, on the
 * Chinese data (COLD, ChnSentiCorp), and never touches English files.
 */
class ChineseRetrainingTest {

    private final TinyChinese zh = TinyChinese.get();
    private final CandidateTrainer trainer = new CandidateTrainer(TinyBase.settings(10, Gate.defaults()));

    @Test
    void theBaseDataIsTheChineseValidationAndTrainingData() {
        assertThat(BaseData.tasksFor(zh.v1)).containsExactly(Task.OFFENSIVE, Task.SENTIMENT);
        assertThat(zh.base.language()).isEqualTo(Language.CHINESE);
        assertThat(zh.base.tasks()).containsExactly(Task.OFFENSIVE, Task.SENTIMENT);
        assertThat(zh.base.task(Task.HATE)).isNull();
        assertThat(zh.base.task(Task.SPAM)).isNull();
        BaseData.TaskData offensive = zh.base.task(Task.OFFENSIVE);
        assertThat(offensive.validationSha256())
                .isEqualTo(zh.datasets
                        .validation(Task.OFFENSIVE, Language.CHINESE)
                        .orElseThrow()
                        .sha256());
        assertThat(offensive.trainSha256())
                .isEqualTo(zh.datasets.train(Task.OFFENSIVE, Language.CHINESE).sha256());
        assertThat(offensive.validation().data().texts())
                .allMatch(t -> TextLanguage.DEFAULT.apply(t) == Language.CHINESE);
        assertThat(zh.base.task(Task.SENTIMENT).sample().data().texts())
                .hasSize(2 * io.streamguard.model.testing.TinyDatasets.TRAIN_PER_CLASS);
    }

    @Test
    void tasksWithoutChineseDataAreRefusedBeforeAnyEncoding() {
        assertThatThrownBy(() -> BaseData.load(
                        zh.encoder,
                        List.of(Task.OFFENSIVE, Task.SPAM),
                        zh.cache,
                        zh.datasets,
                        10,
                        1,
                        (done, total, elapsed) -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no Chinese data for task spam (Chinese has offensive, sentiment)");
    }

    @Test
    void chineseVerdictsRetrainTheOffensiveHeadOnChineseData() {
        List<FeedbackExample> teasing = TinyChinese.teasing(24);
        List<float[]> features = new FeedbackFeatures(zh.encoder).of(zh.v1, teasing);
        CandidateTrainer.Candidate candidate =
                trainer.train(zh.v1, "v2", zh.base, teasing, features, Map.of("parent", "v1"));

        assertThat(candidate.retrained()).containsExactly(Task.OFFENSIVE);
        assertThat(candidate.model().encoderId()).isEqualTo("bge-small-zh");
        assertThat(candidate.model().head("sentiment")).isSameAs(zh.v1.head("sentiment"));
        assertThat(candidate.model().head("offensive")).isNotSameAs(zh.v1.head("offensive"));
        double before = Evaluation.feedback(zh.v1, teasing, features).accuracy();
        double after = Evaluation.feedback(candidate.model(), teasing, features).accuracy();
        assertThat(after)
                .as("accuracy on the verdicts trained on, was %s", before)
                .isGreaterThan(before);

        assertThat(Evaluation.validation(candidate.model(), zh.base)).containsOnlyKeys(Task.OFFENSIVE, Task.SENTIMENT);
        Map<String, String> lineage =
                Lineage.of(zh.v1, Map.of(0, 24L), teasing, List.of(), zh.base, TinyBase.settings(10, Gate.defaults()));
        assertThat(lineage)
                .containsEntry("data.language", "zh")
                .containsKeys("data.offensive.train.sha256", "data.sentiment.validation.sha256")
                .doesNotContainKeys("data.hate.train.sha256", "data.spam.train.sha256");
    }

    @Test
    void verdictsOnLabelsChineseHasNoHeadOrDataForRetrainNothing() {
        List<FeedbackExample> spam = List.of(
                new FeedbackExample("e1", "恭喜你中奖了，请回复领取", Map.of("spam", true), 0, 0),
                new FeedbackExample("e2", "你们这些外地人都滚", Map.of("hate", true), 0, 1));
        CandidateTrainer.Candidate candidate =
                trainer.train(zh.v1, "v2", zh.base, spam, new FeedbackFeatures(zh.encoder).of(zh.v1, spam), Map.of());
        assertThat(candidate.retrained()).isEmpty();
        assertThat(candidate.model().heads()).extracting(Head::name).containsExactly("offensive", "sentiment");
    }
}
