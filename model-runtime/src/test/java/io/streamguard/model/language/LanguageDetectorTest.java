package io.streamguard.model.language;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguageDetectorTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                // plain texts of one script
                "what a lovely day | en",
                "这个产品真的很糟糕，我要退货 | zh",
                "這個產品真的很糟糕 | zh",
                "ㄅㄆㄇㄈ | zh",
                "私は学生です | ja",
                "テスト | ja",
                "ラーメン | ja",
                "안녕하세요 만나서 반갑습니다 | ko",
                "Привет, как дела? | ru",
                "مرحبا كيف حالك | ar",
                "Καλημέρα κόσμε | el",
                "שלום עולם | he",
                "नमस्ते दुनिया | hi",
                "สวัสดีครับ | th",
                "Բարեւ աշխարհ | hy",
                // Latin script is English whatever the language: only a producer's tag tells
                "bonjour tout le monde | en",
                // mixed: Chinese with English words goes to the Chinese model
                "这个 app 真的 very bad | zh",
                "I love 北京 | zh",
                "淘宝 is great | zh",
                "check out this amazing deal at the 淘宝 store today | en",
                "our new 产品 is out now for everyone to buy | en",
                "Москва and London are big cities, Москва is colder | en",
                "Привет Привет Привет hello | ru",
                // a tie of words goes to Latin
                "hello Привет | en",
                // no letters at all
                "12345 !!! ??? | und",
                "😀😀🔥 | und",
                "' | und",
                // apostrophes and combining marks stay inside their word
                "don't won’t can't | en",
                "café naïve | en",
            })
    void detectsTheLanguageOfTheScriptThatDominates(String text, String language) {
        assertThat(LanguageDetector.detect(text)).isEqualTo(language);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                // exactly at the 30 % line: 3 Han among 10 units is Chinese, 2 among 9 is not
                "一二三 a b c d e f g | zh",
                "一二 a b c d e f g | en",
                // Chinese with one stray kana (の as 的, internet slang) stays Chinese past 10 characters
                "我的家在北京市朝阳区の附近 | zh",
                "我の家 | ja",
                // Han beyond the basic block (Extension A, Extension B as a surrogate pair)
                "㐀㐁 | zh",
                "\uD840\uDC00\uD840\uDC01 | zh",
                // a script mapped to no language
                "ᚠᚢᚦᚨᚱᚲ | mis",
            })
    void edges(String text, String language) {
        assertThat(LanguageDetector.detect(text)).isEqualTo(language);
    }

    @Test
    void emptyAndWhitespaceAreUndetermined() {
        assertThat(LanguageDetector.detect("")).isEqualTo("und");
        assertThat(LanguageDetector.detect(" \n\t ")).isEqualTo("und");
        assertThat(LanguageDetector.detect("\u200B\u200D")).isEqualTo("und");
    }

    @Test
    void aLoneSurrogateIsNoLetter() {
        assertThat(LanguageDetector.detect("\uD800 abc")).isEqualTo("en");
        assertThat(LanguageDetector.detect("\uDC00")).isEqualTo("und");
    }

    @Test
    void aLongTextIsReadQuickly() {
        String text = "这个产品 is bad ".repeat(4_000); // 64 KB, the largest text a worker accepts
        for (int i = 0; i < 50; i++) {
            LanguageDetector.detect(text); // warm up
        }
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            assertThat(LanguageDetector.detect(text)).isEqualTo("zh");
        }
        long perText = (System.nanoTime() - started) / 100;
        // About 0.1 ms on a 2-core CPU; the bound leaves room for a loaded build machine.
        assertThat(perText).isLessThan(20_000_000L);
    }
}
