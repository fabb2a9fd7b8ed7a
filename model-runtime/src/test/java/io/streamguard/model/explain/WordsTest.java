package io.streamguard.model.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordsTest {

    private static List<String> texts(List<Word> words) {
        return words.stream().map(Word::text).toList();
    }

    @Test
    void splitsWordsAndSymbolRunsWithOffsetsIntoTheOriginal() {
        String text = "  BUY cheap pills NOW!!! don't e-mail me, ok?";
        List<Word> words = Words.split(text);
        assertThat(texts(words))
                .containsExactly("BUY", "cheap", "pills", "NOW", "!!!", "don't", "e-mail", "me", ",", "ok", "?");
        for (Word w : words) {
            assertThat(text.substring(w.start(), w.end())).isEqualTo(w.text());
        }
        assertThat(words.get(0).start()).isEqualTo(2);
    }

    @Test
    void joinersOnlyJoinBetweenWordCharacters() {
        assertThat(texts(Words.split("'quoted' well- -so rock'n'roll")))
                .containsExactly("'", "quoted", "'", "well", "-", "-", "so", "rock'n'roll");
    }

    @Test
    void offsetsCountUtf16CharsAcrossSurrogatesAndAccents() {
        String text = "café 😡😡 naïve\u00a0x";
        List<Word> words = Words.split(text);
        assertThat(texts(words)).containsExactly("café", "😡😡", "naïve", "x");
        assertThat(words.get(1).start()).isEqualTo(5);
        assertThat(words.get(1).end()).isEqualTo(9);
        assertThat(Words.split(" \t\n")).isEmpty();
        assertThat(Words.split("")).isEmpty();
    }

    @Test
    void eachCjkIdeographIsAUnitOfItsOwnAsTheBertTokenizerSplitsThem() {
        String text = "你是个傻瓜！！滚开";
        List<Word> words = Words.split(text);
        assertThat(texts(words)).containsExactly("你", "是", "个", "傻", "瓜", "！！", "滚", "开");
        for (Word w : words) {
            assertThat(text.substring(w.start(), w.end())).isEqualTo(w.text());
        }
        assertThat(Words.without(text, words.get(3))).isEqualTo("你是个 瓜！！滚开");
    }

    @Test
    void ideographsEndWordsAndSymbolRunsButMixedTextKeepsItsEnglishWords() {
        assertThat(texts(Words.split("iPhone手机好用don't买!!便宜")))
                .containsExactly("iPhone", "手", "机", "好", "用", "don't", "买", "!!", "便", "宜");
        // a joiner before an ideograph joins nothing
        assertThat(texts(Words.split("e-中"))).containsExactly("e", "-", "中");
    }

    @Test
    void supplementaryIdeographsAreOneUnitWithUtf16Offsets() {
        String text = "a𠀀𠀁b"; // U+20000, U+20001: CJK Extension B, two chars each
        List<Word> words = Words.split(text);
        assertThat(texts(words)).containsExactly("a", "𠀀", "𠀁", "b");
        assertThat(words.get(1).start()).isEqualTo(1);
        assertThat(words.get(1).end()).isEqualTo(3);
        assertThat(words.get(3).start()).isEqualTo(5);
    }

    @Test
    void kanaAndHangulStayWordRuns() {
        // only Han ideographs are split, as the BERT tokenizer does; other scripts keep their runs
        assertThat(texts(Words.split("カタカナ 한국어"))).containsExactly("カタカナ", "한국어");
    }

    @Test
    void groupsLongTextsIntoAtMostMaxSpansAdjacentRuns() {
        String text = "a b c d e f g";
        List<Word> words = Words.split(text);
        assertThat(Words.group(text, words, 7)).isEqualTo(words);
        List<Word> spans = Words.group(text, words, 3);
        assertThat(texts(spans)).containsExactly("a b c", "d e f", "g");
        assertThat(spans.get(1).start()).isEqualTo(6);
        assertThat(spans.get(1).end()).isEqualTo(11);
        assertThat(Words.group(text, words, 1)).containsExactly(new Word(text, 0, text.length()));
        assertThatThrownBy(() -> Words.group(text, words, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void removingASpanLeavesASpaceSoNeighboursDoNotFuse() {
        String text = "stupid!idiot";
        List<Word> words = Words.split(text);
        assertThat(Words.without(text, words.get(1))).isEqualTo("stupid idiot");
        assertThat(Words.without(text, words.get(0))).isEqualTo(" !idiot");
    }
}
