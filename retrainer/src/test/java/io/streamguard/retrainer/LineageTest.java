package io.streamguard.retrainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.training.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lineage a version record carries: the offsets codec round-trips, hashes name exactly the data used. */
class LineageTest {

    @Test
    void offsetsRoundTripInPartitionOrder() {
        Map<Integer, Long> offsets = Map.of(2, 7L, 0, 12L, 1, 0L);
        String text = Lineage.formatOffsets(offsets);
        assertThat(text).isEqualTo("0:0-12,1:0-0,2:0-7");
        assertThat(Lineage.parseOffsets(text)).isEqualTo(offsets);
        assertThat(Lineage.parseOffsets(" 3 : 0- 9 ")).isEqualTo(Map.of(3, 9L));
        assertThat(Lineage.parseOffsets("")).isEmpty();
        assertThat(Lineage.parseOffsets(null)).isEmpty();
    }

    @Test
    void theFeedbackHashChangesWithAnyTextVerdictOrOrder() {
        FeedbackExample a = new FeedbackExample("e1", "some text", Map.of("spam", true), 0, 1);
        FeedbackExample b = new FeedbackExample("e2", "other text", Map.of("hate", false), 0, 2);
        String ab = Lineage.sha256(List.of(a, b));
        assertThat(ab).hasSize(64).isEqualTo(Lineage.sha256(List.of(a, b)));
        assertThat(Lineage.sha256(List.of(b, a))).isNotEqualTo(ab);
        assertThat(Lineage.sha256(List.of(a, new FeedbackExample("e2", "other text", Map.of("hate", true), 0, 2))))
                .isNotEqualTo(ab);
        assertThat(Lineage.sha256(List.of()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void aLineageNamesParentOffsetsCountsAndEveryDataSplit() {
        TinyBase tiny = TinyBase.get();
        List<FeedbackExample> train = TinyBase.deliveryNotices(3);
        List<FeedbackExample> heldOut = TinyBase.deliveryNotices(4).subList(3, 4);
        RetrainerSettings settings = TinyBase.settings(10, Gate.defaults());
        Map<String, String> lineage = Lineage.of(tiny.v1, Map.of(0, 4L), train, heldOut, tiny.base, settings);
        assertThat(lineage)
                .containsEntry("parent", "v1")
                .containsEntry("feedback.topic", "feedback")
                .containsEntry(Lineage.FEEDBACK_OFFSETS, "0:0-4")
                .containsEntry("feedback.train", "3")
                .containsEntry("feedback.heldOut", "1")
                .containsEntry("feedback.sha256", Lineage.sha256(train))
                .containsEntry("sample.perTask", "1000")
                .containsEntry("seed", "42");
        for (Task task : Task.values()) {
            assertThat(lineage)
                    .containsEntry(
                            "data." + task.id() + ".train.sha256",
                            tiny.base.task(task).trainSha256());
            assertThat(lineage.get("data." + task.id() + ".validation.sha256")).hasSize(64);
        }
        assertThat(lineage.get("settings")).startsWith("weight=5 epochs=5 lr=0.01 holdout=25% gate=Gate[");
    }
}
