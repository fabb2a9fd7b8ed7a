package io.streamguard.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LookAlikesTest {

    @Test
    void fullWidthAndMathematicalLettersBecomeAscii() {
        assertThat(LookAlikes.fold("you \uFF49\uFF44\uFF49\uFF4F\uFF54")).isEqualTo("you idiot");
        assertThat(LookAlikes.fold("\uD835\uDC22\uD835\uDC1D\uD835\uDC22\uD835\uDC28\uD835\uDC2D"))
                .isEqualTo("idiot");
    }

    @Test
    void cyrillicAndGreekLookAlikesAreFoldedOnlyInsideLatinWords() {
        assertThat(LookAlikes.fold("\u0456d\u0456\u043Et")).isEqualTo("idiot"); // Cyrillic і, о
        assertThat(LookAlikes.fold("stup\u03B9d")).isEqualTo("stupid"); // Greek ι
        // Words of those languages stay as written, also beside a Latin word.
        assertThat(LookAlikes.fold("\u043F\u0440\u0438\u0432\u0435\u0442 world"))
                .isEqualTo("\u043F\u0440\u0438\u0432\u0435\u0442 world");
        assertThat(LookAlikes.fold("\u03BA\u03B1\u03BB\u03B7\u03BC\u03AD\u03C1\u03B1"))
                .isEqualTo("\u03BA\u03B1\u03BB\u03B7\u03BC\u03AD\u03C1\u03B1");
    }

    @Test
    void ordinaryTextIsReturnedAsItIs() {
        String english = "This movie was terrible… total waste of money™";
        assertThat(LookAlikes.fold(english)).isSameAs(english);
        // Chinese text's full-width punctuation and digits are its ordinary spelling.
        String chinese = "\u5546\u54C1\u4E0D\u9519\uFF0C\uFF12\uFF10\uFF10\uFF11\u5E74\uFF01";
        assertThat(LookAlikes.fold(chinese)).isSameAs(chinese);
        String emoji = "great \uD83D\uDE00";
        assertThat(LookAlikes.fold(emoji)).isEqualTo(emoji);
    }
}
