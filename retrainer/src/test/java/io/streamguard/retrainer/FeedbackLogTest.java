package io.streamguard.retrainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedbackLogTest {

    private final FeedbackLog log = new FeedbackLog(Duration.ofMinutes(10), 3);

    @Test
    void aVerdictWithoutTextJoinsTheLabeledEventBeforeOrAfterIt() {
        log.addText("e1", "known text", 1_000);
        log.addFeedback("e1", Map.of("spam", true), null, 0, 0, 1_000);
        log.addFeedback("e2", Map.of("spam", false), null, 0, 1, 1_000);
        assertThat(log.examples()).extracting(FeedbackExample::text).containsExactly("known text");
        assertThat(log.pendingVerdicts()).isEqualTo(1);
        log.addText("e2", "late text", 2_000);
        assertThat(log.examples()).extracting(FeedbackExample::text).containsExactly("known text", "late text");
        assertThat(log.newVerdicts()).isEqualTo(2);
    }

    @Test
    void theFeedbacksOwnTextWinsAndTheLatestVerdictPerEventCountsOnce() {
        log.addText("e1", "labeled text", 1_000);
        log.addFeedback("e1", Map.of("spam", true), "moderator text", 0, 0, 1_000);
        log.addFeedback("e1", Map.of("spam", false), "moderator text", 0, 1, 2_000);
        assertThat(log.examples()).singleElement().satisfies(e -> {
            assertThat(e.text()).isEqualTo("moderator text");
            assertThat(e.verdicts()).containsEntry("spam", false);
            assertThat(e.offset()).isEqualTo(1);
        });
    }

    @Test
    void onlyVerdictsAfterTheLastRetrainAreNewAndOffsetsAreRemembered() {
        log.addFeedback("e1", Map.of("spam", true), "a", 0, 0, 0);
        log.addFeedback("e2", Map.of("spam", true), "b", 1, 4, 0);
        log.markRetrained();
        assertThat(log.newVerdicts()).isZero();
        assertThat(log.consumedOffsets()).containsEntry(0, 1L).containsEntry(1, 5L);
        log.addFeedback("e3", Map.of("spam", true), "c", 0, 1, 0);
        assertThat(log.newVerdicts()).isEqualTo(1);
        assertThat(log.examples()).hasSize(3);

        FeedbackLog restarted = new FeedbackLog(Duration.ofMinutes(10), 3);
        restarted.usedUpTo(Lineage.parseOffsets(Lineage.formatOffsets(Map.of(0, 1L, 1, 5L))));
        restarted.addFeedback("e1", Map.of("spam", true), "a", 0, 0, 0);
        restarted.addFeedback("e2", Map.of("spam", true), "b", 1, 4, 0);
        restarted.addFeedback("e3", Map.of("spam", true), "c", 0, 1, 0);
        assertThat(restarted.newVerdicts()).as("only e3 is new after a restart").isEqualTo(1);
    }

    @Test
    void textsAndWaitingVerdictsExpireAndTheTextStoreIsBounded() {
        log.addText("old", "old text", 0);
        log.addFeedback("orphan", Map.of("spam", true), null, 0, 0, 0);
        log.expire(Duration.ofMinutes(11).toMillis());
        assertThat(log.knownTexts()).isZero();
        assertThat(log.pendingVerdicts()).isZero();
        for (int i = 0; i < 5; i++) {
            log.addText("e" + i, "t" + i, 1_000);
        }
        assertThat(log.knownTexts()).isEqualTo(3);
        log.addFeedback("e0", Map.of("spam", true), null, 0, 1, 1_000);
        assertThat(log.examples()).as("e0 was evicted as the oldest").isEmpty();
    }

    @Test
    void theHoldoutIsStableAndRoughlyItsShare() {
        int held = 0;
        for (int i = 0; i < 10_000; i++) {
            if (Holdout.heldOut("event-" + i, 20)) {
                held++;
            }
        }
        assertThat(held).isBetween(1_800, 2_200);
        assertThat(Holdout.heldOut("event-42", 20)).isEqualTo(Holdout.heldOut("event-42", 20));
    }
}
