package io.streamguard.retrainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hold-out keeps near-copies together and counts each held-back group once per label. */
class HoldoutTest {

    private final NearDuplicates nearDuplicates = new NearDuplicates(RetrainerSettings.NEAR_DUPLICATES);

    @Test
    void nearCopiesOfTrainingTextsAreNeverHeldBack() {
        // The batch: 20 near-copies of one template. Whichever side the group goes to, it goes whole.
        List<FeedbackExample> notices = TinyBase.deliveryNotices(20);
        for (int percent : new int[] {20, 50, 90}) {
            Holdout.Split split = Holdout.split(notices, percent, nearDuplicates);
            assertThat(split.train().isEmpty() || split.heldOut().isEmpty())
                    .as(percent + "%: " + split.train().size() + " trained, "
                            + split.heldOut().size() + " held back")
                    .isTrue();
            assertThat(split.evidence()).hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void distinctTextsSplitByTheirShareAndEachHeldBackGroupCountsOncePerLabel() {
        List<FeedbackExample> distinct = TinyBase.distinctNotices(49, Map.of("spam", false));
        Holdout.Split split = Holdout.split(distinct, 25, nearDuplicates);
        assertThat(split.heldOut()).hasSizeBetween(5, 20);
        assertThat(split.evidence()).isEqualTo(split.heldOut());
        assertThat(split.nearCopies()).isZero();
        assertThat(split.train().size() + split.heldOut().size()).isEqualTo(49);

        // A held-back text sent again (another id, other case and numbers) plus a hate verdict on the copy.
        FeedbackExample held = split.heldOut().get(0);
        List<FeedbackExample> withCopy = new ArrayList<>(distinct);
        withCopy.add(new FeedbackExample(
                "zz-copy", held.text().toUpperCase() + " 42", Map.of("spam", true, "hate", false), 0, 99));
        Holdout.Split again = Holdout.split(withCopy, 25, nearDuplicates);
        assertThat(again.heldOut()).hasSize(split.heldOut().size() + 1);
        assertThat(again.nearCopies()).as("the copy's spam verdict").isEqualTo(1);
        assertThat(again.evidence())
                .filteredOn(e -> e.eventId().equals("zz-copy"))
                .singleElement()
                .satisfies(e -> assertThat(e.verdicts()).isEqualTo(Map.of("hate", false)));
        assertThat(again.train()).isEqualTo(split.train());
    }

    @Test
    void theSplitDoesNotDependOnArrivalOrder() {
        List<FeedbackExample> examples = new ArrayList<>(TinyBase.distinctNotices(49, Map.of("spam", false)));
        examples.addAll(TinyBase.deliveryNotices(10));
        Holdout.Split split = Holdout.split(examples, 30, nearDuplicates);
        Collections.reverse(examples);
        Holdout.Split reversed = Holdout.split(examples, 30, nearDuplicates);
        assertThat(reversed.train()).containsExactlyInAnyOrderElementsOf(split.train());
        assertThat(reversed.evidence()).containsExactlyInAnyOrderElementsOf(split.evidence());
    }
}
