package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.model.heads.HeadKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void headsAndMetrics() {
        assertThat(Task.SENTIMENT.headKind()).isEqualTo(HeadKind.SOFTMAX);
        assertThat(Task.SENTIMENT.headLabels()).containsExactly("negative", "positive");
        assertThat(Task.HATE.headKind()).isEqualTo(HeadKind.SIGMOID);
        assertThat(Task.HATE.headLabels()).containsExactly("hate");
        assertThat(Task.SPAM.headName()).isEqualTo("spam");
        assertThat(List.of(Task.values()))
                .extracting(t -> t.primaryMetric().key())
                .containsExactly("accuracy", "macroF1", "macroF1", "f1");
    }

    @Test
    void labelsAreCaseInsensitiveAndPerTask() {
        assertThat(Task.SPAM.parseLabel(" HAM ")).isZero();
        assertThat(Task.SPAM.parseLabel("Spam")).isEqualTo(1);
        assertThat(Task.OFFENSIVE.parseLabel("not-offensive")).isZero();
        assertThat(Task.OFFENSIVE.parseLabel("hate")).isEqualTo(-1);
        assertThat(Task.SENTIMENT.parseLabel("1")).isEqualTo(1);
        assertThat(Task.SENTIMENT.parseLabel("01")).isEqualTo(-1);
        assertThat(Task.of("Hate")).isEqualTo(Task.HATE);
        assertThatThrownBy(() -> Task.of("toxicity")).hasMessageContaining("sentiment, offensive, hate, spam");
    }
}
