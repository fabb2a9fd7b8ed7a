package io.streamguard.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BasicTokenizerTest {

    private final BasicTokenizer uncased = new BasicTokenizer(true, true);
    private final BasicTokenizer cased = new BasicTokenizer(false, false);

    @Test
    void lowerCasesAndSplitsOnWhitespaceAndPunctuation() {
        // Google BERT's tokenization_test.py examples.
        assertThat(uncased.split(" \tHeLLo!how  \n Are yoU?  "))
                .containsExactly("hello", "!", "how", "are", "you", "?");
        assertThat(cased.split(" \tHeLLo!how  \n Are yoU?  ")).containsExactly("HeLLo", "!", "how", "Are", "yoU", "?");
        assertThat(uncased.split("UNwant\u00E9d,running")).containsExactly("unwanted", ",", "running");
    }

    @Test
    void stripsAccentsOnlyWhenAsked() {
        assertThat(uncased.split("Café naïve Ångström H\u00E9llo"))
                .containsExactly("cafe", "naive", "angstrom", "hello");
        assertThat(cased.split("Café naïve")).containsExactly("Café", "naïve");
        // Decomposed input (e + combining acute) normalises the same way as precomposed.
        assertThat(uncased.split("Cafe\u0301")).containsExactly("cafe");
        // Lower-casing without accent stripping keeps the accents, lower-cased.
        assertThat(new BasicTokenizer(true, false).split("CAFÉ")).containsExactly("café");
    }

    @Test
    void splitsEachCjkIdeographButNotKanaOrHangul() {
        assertThat(uncased.split("ah\u535A\u63A8zz")).containsExactly("ah", "\u535A", "\u63A8", "zz");
        assertThat(uncased.split("我爱北京")).containsExactly("我", "爱", "北", "京");
        assertThat(uncased.split("東京はすごい")).containsExactly("東", "京", "はすこい"); // NFD drops the dakuten
        assertThat(cased.split("東京はすごい")).containsExactly("東", "京", "はすごい");
        assertThat(uncased.split("안녕하세요 세계"))
                .containsExactly(
                        "\u110b\u1161\u11ab\u1102\u1167\u11bc\u1112\u1161\u1109\u1166\u110b\u116d",
                        "\u1109\u1166\u1100\u1168"); // NFD splits Hangul syllables into jamo, as the reference does
        // CJK compatibility ideographs are split too, then NFD maps them to the unified ideograph.
        assertThat(uncased.split("a\uF900b")).containsExactly("a", "\u8C48", "b");
    }

    @Test
    void punctuationIsBertsDefinition() {
        // ASCII symbols that are not Unicode P* ($, +, <, =, >, ^, `, |, ~) still split.
        assertThat(uncased.split("a$b+c<d=e>f^g`h|i~j"))
                .containsExactly(
                        "a", "$", "b", "+", "c", "<", "d", "=", "e", ">", "f", "^", "g", "`", "h", "|", "i", "~", "j");
        // Unicode punctuation splits, non-ASCII symbols (€, ©, emoji) do not.
        assertThat(uncased.split("«hi»—¿qué?…")).containsExactly("«", "hi", "»", "—", "¿", "que", "?", "…");
        assertThat(uncased.split("5€©x")).containsExactly("5€©x");
        assertThat(uncased.split("don't U.S.A.")).containsExactly("don", "'", "t", "u", ".", "s", ".", "a", ".");
        // Classified after normalisation: U+1FEF GREEK VARIA decomposes to '`'.
        assertThat(uncased.split("x\u1FEFy")).containsExactly("x", "`", "y");
        assertThat(cased.split("x\u1FEFy")).containsExactly("x\u1FEFy");
    }

    @Test
    void removesControlFormatAndPrivateUseCharacters() {
        assertThat(uncased.split("a\u0000b\u0007c\u001Bd\u007Fe\uFFFDf")).containsExactly("abcdef");
        assertThat(uncased.split("zero\u200Bwidth\u200Cnon\u200Djoin\uFEFFbom\u00ADshy"))
                .containsExactly("zerowidthnonjoinbomshy");
        assertThat(uncased.split("a\uE000b")).containsExactly("ab"); // private use
        assertThat(uncased.split("x\uD83Dy\uDC00z")).containsExactly("xyz"); // unpaired surrogates
        assertThat(uncased.split("a\u0378b")).containsExactly("a\u0378b"); // unassigned stays
        assertThat(uncased.split("\u0000\u200B")).isEmpty();
    }

    @Test
    void everyKindOfWhitespaceSeparatesWords() {
        assertThat(uncased.split("tab\there\u00A0nbsp\u3000ideo\u2028line\u2029para\u2003em\u202Fnarrow\r\nend"))
                .containsExactly("tab", "here", "nbsp", "ideo", "line", "para", "em", "narrow", "end");
        // Vertical tab and form feed are control characters: removed, not separators.
        assertThat(uncased.split("a\u000Bb\u000Cc")).containsExactly("abc");
        assertThat(uncased.split("")).isEmpty();
        assertThat(uncased.split(" \t\n\u3000 ")).isEmpty();
    }

    @Test
    void lowerCasesPerCodePoint() {
        // No context-sensitive final sigma, matching the reference.
        assertThat(uncased.split("ΟΔΟΣ")).containsExactly("οδοσ");
        // İ: NFD then lower case gives plain i; without stripping it keeps the combining dot.
        assertThat(uncased.split("İstanbul")).containsExactly("istanbul");
        assertThat(new BasicTokenizer(true, false).split("İ")).containsExactly("i\u0307");
        assertThat(uncased.split("ＡＢＣ")).containsExactly("ａｂｃ"); // full-width letters lower-case, no NFKC
    }

    @Test
    void keepsSupplementaryCharactersWhole() {
        assertThat(uncased.split("ok😀 🥰x")).containsExactly("ok😀", "🥰x");
        assertThat(uncased.split("𠀀a")).containsExactly("𠀀", "a"); // CJK extension B, a surrogate pair
    }

    @Test
    void stopsWhenTheSinkSaysSo() {
        List<String> seen = new ArrayList<>();
        boolean completed = uncased.split("one two three", new BasicTokenizer.Buffers(), (chars, length) -> {
            seen.add(new String(chars, 0, length));
            return seen.size() < 2;
        });
        assertThat(completed).isFalse();
        assertThat(seen).containsExactly("one", "two");
    }
}
