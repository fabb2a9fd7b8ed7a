package io.streamguard.retrainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.language.Language;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedbackLogTest {

    private static final FeedbackRouting MINILM = FeedbackRouting.of(EncoderConfig.MINILM_L6);
    private static final FeedbackRouting BGE = FeedbackRouting.of(EncoderConfig.BGE_SMALL_ZH);

    private final FeedbackLog log = new FeedbackLog(Duration.ofMinutes(10), 3, MINILM);

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

        FeedbackLog restarted = new FeedbackLog(Duration.ofMinutes(10), 3, MINILM);
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

    @Test
    void onlyVerdictsOnEventsThisEncoderScoredCount() {
        FeedbackLog zh = new FeedbackLog(Duration.ofMinutes(10), 10, BGE);
        zh.addText("en", "you are an idiot", EncoderConfig.MINILM_L6, "en", 1_000);
        zh.addText("zh", "你是个白痴", EncoderConfig.BGE_SMALL_ZH, "zh", 1_000);
        // The encoder decides, not the text: a Chinese-looking text scored by MiniLM is MiniLM's.
        zh.addText("mixed", "白痴白痴白痴", EncoderConfig.MINILM_L6, null, 1_000);
        zh.addFeedback("en", Map.of("offensive", true), null, 0, 0, 1_000);
        zh.addFeedback("zh", Map.of("offensive", true), null, 0, 1, 1_000);
        zh.addFeedback("mixed", Map.of("offensive", true), null, 0, 2, 1_000);
        zh.addFeedback("late", Map.of("offensive", false), null, 0, 3, 1_000);
        zh.addText("late", "this movie was fine", EncoderConfig.MINILM_L6, "en", 2_000);

        assertThat(zh.examples()).extracting(FeedbackExample::eventId).containsExactly("zh");
        assertThat(zh.newVerdicts()).isEqualTo(1);
        assertThat(zh.otherVerdicts()).isEqualTo(3);
        assertThat(zh.pendingVerdicts()).isZero();
        assertThat(zh.consumedOffsets())
                .as("skipped verdicts are still consumed: a restart does not count them again")
                .containsEntry(0, 4L);
    }

    @Test
    void withoutAnEncoderNameTheEventsLanguageDecidesThenTheTextsLanguage() {
        FeedbackLog en = new FeedbackLog(Duration.ofMinutes(10), 10, MINILM);
        en.addText("tagged-zh", "whatever the text says", null, "zh-CN", 1_000);
        en.addText("tagged-en", "这部电影很好", null, "en-US", 1_000);
        en.addText("untagged-zh", "这部电影很糟糕，浪费时间", null, null, 1_000);
        en.addText("untagged-en", "a dreadful film", null, "und", 1_000);
        for (String id : List.of("tagged-zh", "tagged-en", "untagged-zh", "untagged-en")) {
            en.addFeedback(
                    id,
                    Map.of("offensive", false),
                    null,
                    0,
                    en.consumedOffsets().getOrDefault(0, 0L),
                    1_000);
        }
        // A verdict whose event is unknown, with its own text: routed by that text.
        en.addFeedback("unknown-zh", Map.of("offensive", true), "滚开，你这个废物", 0, 4, 1_000);
        en.addFeedback("unknown-en", Map.of("offensive", true), "get lost, loser", 0, 5, 1_000);

        assertThat(en.examples())
                .extracting(FeedbackExample::eventId)
                .containsExactly("tagged-en", "untagged-en", "unknown-en");
        assertThat(en.otherVerdicts()).isEqualTo(3);
        assertThat(en.newVerdicts()).isEqualTo(3);
    }

    @Test
    void aVerdictRoutedByItsTextIsRoutedAgainWhenItsEventSaysOtherwise() {
        FeedbackLog zh = new FeedbackLog(Duration.ofMinutes(10), 10, BGE);
        // Chinese by its text, but the pipeline scored it with MiniLM.
        zh.addFeedback("e1", Map.of("offensive", true), "垃圾 OK", 0, 0, 1_000);
        // English by its text, but the pipeline scored it with bge-small-zh.
        zh.addFeedback("e2", Map.of("offensive", true), "lol 2333", 0, 1, 1_000);
        assertThat(zh.examples()).extracting(FeedbackExample::eventId).containsExactly("e1");
        assertThat(zh.newVerdicts()).isEqualTo(1);

        zh.addText("e1", "垃圾 OK", EncoderConfig.MINILM_L6, "zh", 2_000);
        zh.addText("e2", "lol 2333", EncoderConfig.BGE_SMALL_ZH, "zh", 2_000);

        assertThat(zh.examples()).extracting(FeedbackExample::eventId).containsExactly("e2");
        assertThat(zh.newVerdicts()).isEqualTo(1);
        assertThat(zh.otherVerdicts()).isEqualTo(1);
    }

    @Test
    void aCustomDetectorReplacesTheDefaultGuess() {
        FeedbackLog zh = new FeedbackLog(
                Duration.ofMinutes(10), 10, new FeedbackRouting(EncoderConfig.BGE_SMALL_ZH, text -> Language.CHINESE));
        zh.addFeedback("e1", Map.of("offensive", true), "plain English", 0, 0, 1_000);
        assertThat(zh.newVerdicts()).isEqualTo(1);
    }

    @Test
    void theDefaultGuessIsThePipelinesDetector() {
        assertThat(TextLanguage.DEFAULT.apply("这部电影很好")).isEqualTo(Language.CHINESE);
        // One Han character weighs one English word: 2 of 4 units.
        assertThat(TextLanguage.DEFAULT.apply("great film 很好")).isEqualTo(Language.CHINESE);
        assertThat(TextLanguage.DEFAULT.apply("what a great film, really 好"))
                .as("1 of 6")
                .isEqualTo(Language.ENGLISH);
        assertThat(TextLanguage.DEFAULT.apply("12345 !!!"))
                .as("no letters: the first encoder's")
                .isEqualTo(Language.ENGLISH);
        assertThat(TextLanguage.DEFAULT.apply("")).isEqualTo(Language.ENGLISH);
        assertThat(TextLanguage.DEFAULT.apply("これは日本語の文です"))
                .as("no encoder reads Japanese")
                .isNull();
        assertThat(TextLanguage.DEFAULT.apply("Это русский текст")).isNull();
    }

    @Test
    void languageTagsAreReadByTheirPrimarySubtag() {
        assertThat(FeedbackRouting.parse("zh-Hans-CN")).isEqualTo(Language.CHINESE);
        assertThat(FeedbackRouting.parse("EN_gb")).isEqualTo(Language.ENGLISH);
        assertThat(FeedbackRouting.parse("fr")).isNull();
        assertThat(FeedbackRouting.parse(" ")).isNull();
        assertThat(MINILM.byEvent(null, "fr"))
                .as("a language no encoder is for says nothing")
                .isNull();
        assertThat(MINILM.byEvent("", "en")).isTrue();
        assertThat(MINILM.byEvent(EncoderConfig.BERT_BASE_UNCASED, "en"))
                .as("another English encoder scored it")
                .isFalse();
    }
}
