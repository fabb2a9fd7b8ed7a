package io.streamguard.model.tokenizer;

import static io.streamguard.model.tokenizer.HuggingFaceParity.column;
import static io.streamguard.model.tokenizer.HuggingFaceParity.csvColumn;
import static io.streamguard.model.tokenizer.HuggingFaceParity.hex;
import static io.streamguard.model.tokenizer.HuggingFaceParity.truncatedCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token-for-token parity with the HuggingFace {@code tokenizers} library on BAAI bge-small-zh-v1.5's
 * {@code tokenizer.json} (bert-base-chinese's 21,128-token vocabulary; BertNormalizer with
 * {@code lowercase: false} and {@code strip_accents: null}, so neither lower-casing nor accent
 * stripping): Chinese sentences from COLD and ChnSentiCorp, mixed-script and emoji cases, random
 * Unicode soup and every code point. The comparison itself is {@link HuggingFaceParity}'s, as for
 * MiniLM in {@link HuggingFaceParityTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChineseHuggingFaceParityTest {

    /** Shipped at the root of dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15-q. */
    static final String BGE_SMALL_ZH_TOKENIZER_JSON = "bge-small-zh-v1.5-q-tokenizer.json";

    private HuggingFaceParity parity;
    private BertTokenizer ours128;

    @BeforeAll
    void loadBothTokenizers() throws IOException {
        parity = new HuggingFaceParity(BGE_SMALL_ZH_TOKENIZER_JSON);
        ours128 = parity.ours128;
    }

    @AfterAll
    void close() {
        parity.close();
    }

    @Test
    void readsTheBgeSmallZhConfiguration() {
        Vocabulary vocab = ours128.vocabulary();
        assertThat(vocab.size()).isEqualTo(21_128);
        assertThat(vocab.id("[PAD]")).hasValue(0);
        assertThat(vocab.id("[UNK]")).hasValue(100);
        assertThat(vocab.id("[CLS]")).hasValue(101);
        assertThat(vocab.id("[SEP]")).hasValue(102);
        // The file says lowercase false, strip_accents null (= lowercase): both off.
        assertThat(ours128.options()).isEqualTo(new TokenizerOptions(false, false, 128));
        // So case and accents reach WordPiece as written, on both sides.
        assertThat(ours128.tokenize("我爱Python")).isEqualTo(parity.hfTokens("我爱Python"));
        assertThat(ours128.tokenize("Python")).isNotEqualTo(ours128.tokenize("python"));
        assertThat(ours128.tokenize("中国人")).containsExactly("中", "国", "人");
    }

    @Test
    void vocabularyKeepsItsLineSeparatorTokens(@TempDir Path dir) throws IOException {
        Vocabulary vocab = ours128.vocabulary();
        assertThat(vocab.token(343)).isEqualTo("\u2028");
        assertThat(vocab.token(13502)).isEqualTo("##\u2028");
        // The same vocabulary written as vocab.txt reads back identically (and hashes the same).
        Path vocabTxt = dir.resolve("vocab.txt");
        Files.write(vocabTxt, vocab.tokens(), StandardCharsets.UTF_8);
        assertThat(Vocabulary.fromVocabTxt(vocabTxt)).isEqualTo(vocab);
    }

    @Test
    void realChineseSentencesFromTheDatasets() throws IOException {
        Path datasets = HuggingFaceParity.datasetsDir();
        Path cold = datasets.resolve("cold/dev.csv");
        Path chnSentiCorp = datasets.resolve("chnsenticorp/dev.tsv");
        assumeTrue(
                Files.isRegularFile(cold) && Files.isRegularFile(chnSentiCorp),
                "COLD or ChnSentiCorp absent under " + datasets.toAbsolutePath()
                        + ": Chinese real-sentence parity not checked");
        List<String> coldTexts = csvColumn(cold, 4, 400);
        List<String> chnSentiCorpTexts = column(chnSentiCorp, true, 400);
        List<String> texts = new ArrayList<>(coldTexts);
        texts.addAll(chnSentiCorpTexts);
        assertThat(texts).hasSize(800).doesNotContainNull().allMatch(text -> text.codePoints()
                .anyMatch(BasicTokenizer::isChineseCharacter));

        List<String> mismatches = parity.compareAll(texts);
        int truncated128 = truncatedCount(texts, ours128);
        int truncatedShort = truncatedCount(texts, parity.oursShort);
        System.out.printf(
                "tokenizer parity, bge-small-zh, Chinese sentences: %d texts (COLD %d, ChnSentiCorp %d), "
                        + "each at maxLength 128 (%d truncated) and %d (%d truncated): %d mismatches%n",
                texts.size(),
                coldTexts.size(),
                chnSentiCorpTexts.size(),
                truncated128,
                HuggingFaceParity.SHORT_MAX_LENGTH,
                truncatedShort,
                mismatches.size());
        assertThat(mismatches).isEmpty();
        assertThat(truncated128)
                .as("ChnSentiCorp's long reviews exceed 128 tokens")
                .isGreaterThan(20);
        assertThat(truncatedShort)
                .as("the short max length exercises truncation")
                .isGreaterThan(600);
    }

    @Test
    void hardCases() {
        Map<String, List<String>> groups = hardCaseGroups();
        List<String> texts = groups.values().stream().flatMap(List::stream).toList();
        List<String> mismatches = parity.compareAll(texts);
        StringBuilder counts = new StringBuilder();
        groups.forEach((group, cases) -> counts.append(counts.isEmpty() ? "" : ", ")
                .append(group)
                .append(' ')
                .append(cases.size()));
        System.out.printf(
                "tokenizer parity, bge-small-zh, hard cases: %d texts (%s): %d mismatches%n",
                texts.size(), counts, mismatches.size());
        assertThat(mismatches).isEmpty();
        // The cases really exercise truncation, both sides of the CJK ranges, and kept case.
        assertThat(ours128.encode("好".repeat(127)).truncated()).isTrue();
        assertThat(ours128.encode("好".repeat(126)).truncated()).isFalse();
        assertThat(ours128.tokenize("\uD869\uDF00\uD869\uDF00")).hasSize(2); // U+2A700, extension C: split
        assertThat(ours128.tokenize("\uD86E\uDC20\uD86E\uDC20")).hasSize(1); // U+2B820: not in HuggingFace's ranges
    }

    @Test
    void randomUnicodeSoup() {
        List<String> texts = HuggingFaceParity.randomUnicodeTexts(20_261_207L, 3000);
        List<String> mismatches = parity.compareAll(texts);
        System.out.printf(
                "tokenizer parity, bge-small-zh, random Unicode: %d texts: %d mismatches%n",
                texts.size(), mismatches.size());
        assertThat(mismatches).isEmpty();
    }

    /**
     * Without accent stripping fewer code points can differ than for MiniLM (a combining mark new
     * since Unicode 8.0 stays in its word on both sides), but none beyond the documented drift.
     */
    @Test
    void everyCodePointDiffersAtMostByUnicodeVersionDrift() throws IOException {
        BitSet drift = new BitSet();
        int checked = parity.sweepCodePoints(drift);
        BitSet unexpected = (BitSet) drift.clone();
        unexpected.andNot(HuggingFaceParity.readDrift());
        System.out.printf(
                "tokenizer parity, bge-small-zh, code point sweep: %d texts: %d code points differ, all in "
                        + "the documented Unicode 8.0 drift list: %b%n",
                checked, drift.cardinality(), unexpected.isEmpty());
        assertThat(hex(unexpected))
                .as("code points differing from HuggingFace beyond hf-unicode8-category-drift.txt")
                .isEmpty();
    }

    private static Map<String, List<String>> hardCaseGroups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put(
                "Chinese",
                List.of(
                        "我爱北京天安门",
                        "今天天气很好，我们去公园散步吧。",
                        "这部电影太无聊了，浪费时间！！！",
                        "哈哈哈哈哈哈哈哈哈哈",
                        "呵呵。。。。。。",
                        "【推荐】《红楼梦》值得一读～",
                        "他说：“你好！”她回答：‘再见。’",
                        "2023年10月1日，第1名，一二三四五，〇",
                        "价格：１２３元；数量：４５６件",
                        "全角空格\u3000分隔\u3000文本",
                        "中文\u00A0不间断空格",
                        "零宽\u200B空格\u200D连接\uFEFF字节序",
                        "控制\u0000字符\u0007测试\u001B",
                        "换行\n制表\t回车\r结束",
                        "……——～·",
                        "々ゝヽ〃仝"));
        groups.put(
                "traditional and variant",
                List.of(
                        "這間酒店環境和服務態度亦算不錯",
                        "臺灣繁體中文測試，龍與鳳，憂鬱的臺北車站",
                        "說話說話說話；讀書寫字",
                        "\uF900\uFA0E\uFA29\uD87E\uDC00\uD87E\uDE1D", // compatibility ideographs
                        "⺀⻳⼀⿕⿰⿱", // radicals and description characters: not in the CJK ranges
                        "㐀㑇㒨㓐䶵", // extension A
                        "𠀀𠮷野家𡃁𪚥", // extension B
                        "\uD869\uDF00\uD86D\uDF40\uD86E\uDC20\uD86E\uDD20\uD873\uDEB0", // C, D, E (gap), E, F
                        "\uD880\uDC00\uD87A\uDFE0", // extension G, end of F: outside HuggingFace's ranges
                        "a\uD86E\uDC20b x\uD86E\uDD20y"));
        groups.put(
                "mixed Chinese/English",
                List.of(
                        "这个product真的很好!!",
                        "iPhone 15 Pro 价格 ¥8999",
                        "我用Python写了一个script，跑得很fast",
                        "BERT模型很好用!",
                        "今天天气不错, let's go hiking吧",
                        "COVID-19疫情期间WFH",
                        "微信WeChat和QQ，还有TikTok抖音",
                        "Hello世界HELLO世界hello",
                        "价格是$100还是100美元?",
                        "买了3个iPad，花了¥12,000元",
                        "@用户123 #话题# 转发微博 http://t.cn/AbC123?x=1",
                        "www.Baidu.com 百度一下，你就知道",
                        "email: zhang.san@qq.com 联系我",
                        "NBA总决赛MVP是谁？",
                        "Café naïve ÉCOLE Straße İstanbul 中文",
                        "cafe\u0301 n\u0303 A\u030A 中文",
                        "ΟΔΟΣ Σίσυφος Привет 中文",
                        "𝐢𝐝𝐢𝐨𝐭 你是 іdіоt", // look-alikes, folded first on both sides
                        "<b>粗体</b> &amp; [链接](http://x.y)"));
        groups.put(
                "full-width",
                List.of("，。！？；：“”‘’（）【】《》、…—", "１２３ ＡＢＣ ａｂｃ", "ＮＢＡ总决赛，ＶＩＰ会员", "～＠＃＄％＾＆＊＿＋｜", "ｶﾀｶﾅ半角片假名", "￥１００ ￡５ ￠"));
        groups.put(
                "emoji",
                List.of(
                        "😀👍🏻",
                        "笑死我了😂😂😂",
                        "好评👍👍👍，五星⭐⭐⭐⭐⭐",
                        "👨‍👩‍👧‍👦一家人",
                        "🏳️‍🌈 彩虹旗",
                        "❤️中国❤",
                        "🇨🇳🇭🇰🇹🇼",
                        "#️⃣ 1️⃣ 2️⃣",
                        "🫠🥹🥰",
                        "这个👌ok👌",
                        "👍🏻👍🏼👍🏽👍🏾👍🏿"));
        groups.put(
                "Japanese and Korean",
                List.of(
                        "東京は日本の首都です。",
                        "ひらがなカタカナ",
                        "カ\u3099キ\u3099 ガギ",
                        "안녕하세요 세계",
                        "한국어와 中文 混合 テキスト",
                        "\u1100\u1161\u11A8 ㄱㄴㄷ"));
        groups.put(
                "truncation and long words",
                List.of(
                        "我".repeat(300),
                        "中文测试。".repeat(40),
                        "很好 ".repeat(20),
                        "好".repeat(14),
                        "好".repeat(15),
                        "好".repeat(126),
                        "好".repeat(127),
                        "好".repeat(128),
                        "这个product真的很好!!".repeat(10),
                        "a".repeat(100) + "中",
                        "a".repeat(101) + "中",
                        "１".repeat(101),
                        "😀".repeat(101),
                        "",
                        " \u3000 "));
        return groups;
    }
}
