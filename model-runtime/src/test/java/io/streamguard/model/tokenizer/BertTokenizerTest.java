package io.streamguard.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertTokenizerTest {

    // Ids in test-vocab.txt.
    private static final int PAD = 0;
    private static final int UNK = 1;
    private static final int CLS = 2;
    private static final int SEP = 3;
    private static final int WANT = 5;
    private static final int WANT_CONT = 6;
    private static final int ED_CONT = 7;
    private static final int UN = 9;
    private static final int RUNN = 10;
    private static final int ING_CONT = 11;
    private static final int COMMA = 12;

    private final Vocabulary vocab = TestVocabularies.small();
    private final BertTokenizer tokenizer = BertTokenizer.create(vocab, TokenizerOptions.uncased());

    private BertTokenizer withMaxLength(int maxLength) {
        return BertTokenizer.create(vocab, TokenizerOptions.uncased().withMaxLength(maxLength));
    }

    @Test
    void wrapsPiecesInClsAndSep() {
        Encoding e = tokenizer.encode("UNwant\u00E9d,running");
        assertThat(e.ids()).containsExactly(CLS, UN, WANT_CONT, ED_CONT, COMMA, RUNN, ING_CONT, SEP);
        assertThat(e.attentionMask()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(e.length()).isEqualTo(8);
        assertThat(e.truncated()).isFalse();
        assertThat(tokenizer.tokenize("UNwant\u00E9d,running"))
                .containsExactly("un", "##want", "##ed", ",", "runn", "##ing");
    }

    @Test
    void emptyAndBlankTextsGiveClsSep() {
        for (String text : List.of("", "   ", "\u200B\u0000", "\t\n")) {
            Encoding e = tokenizer.encode(text);
            assertThat(e.ids()).as("'%s'", text).containsExactly(CLS, SEP);
            assertThat(e.truncated()).isFalse();
        }
    }

    @Test
    void truncatesToMaxLengthCountingClsAndSep() {
        BertTokenizer five = withMaxLength(5); // room for 3 pieces
        assertThat(five.encode("want want want").truncated()).isFalse();
        // Trailing text that yields no tokens does not count as truncation.
        assertThat(five.encode("want want want \u200B \u0000 ").truncated()).isFalse();

        Encoding cut = five.encode("want want want want");
        assertThat(cut.ids()).containsExactly(CLS, WANT, WANT, WANT, SEP);
        assertThat(cut.attentionMask()).containsOnly(1);
        assertThat(cut.truncated()).isTrue();

        // Truncation is per piece and may cut a word, as in the reference implementations.
        Encoding midWord = withMaxLength(4).encode("unwanted");
        assertThat(midWord.ids()).containsExactly(CLS, UN, WANT_CONT, SEP);
        assertThat(midWord.truncated()).isTrue();

        BertTokenizer minimal = withMaxLength(2);
        assertThat(minimal.encode("").truncated()).isFalse();
        assertThat(minimal.encode("want").ids()).containsExactly(CLS, SEP);
        assertThat(minimal.encode("want").truncated()).isTrue();
    }

    @Test
    void defaultMaxLengthIs128() {
        Encoding e = tokenizer.encode("want ".repeat(126));
        assertThat(e.length()).isEqualTo(128);
        assertThat(e.truncated()).isFalse();
        Encoding longer = tokenizer.encode("want ".repeat(127));
        assertThat(longer.length()).isEqualTo(128);
        assertThat(longer.ids()).hasSize(128).endsWith(WANT, SEP);
        assertThat(longer.truncated()).isTrue();
        // tokenize() is for inspection and never truncates.
        assertThat(tokenizer.tokenize("want ".repeat(300))).hasSize(300);
    }

    @Test
    void casedOptionsKeepCaseAndAccents() {
        BertTokenizer cased = BertTokenizer.create(vocab, TokenizerOptions.cased());
        assertThat(cased.tokenize("Café")).containsExactly("Café");
        assertThat(tokenizer.tokenize("Café")).containsExactly("cafe");
        assertThat(cased.tokenize("Want")).containsExactly("[UNK]");
    }

    @Test
    void specialTokensInTheTextAreOrdinaryText() {
        // Not mapped to [SEP]/[CLS] ids: message authors must not inject sequence structure.
        assertThat(tokenizer.tokenize("want [SEP] [CLS]"))
                .containsExactly("want", "[UNK]", "[UNK]", "[UNK]", "[UNK]", "[UNK]", "[UNK]");
        assertThat(tokenizer.encode("[SEP]").ids()).containsExactly(CLS, UNK, UNK, UNK, SEP);
    }

    @Test
    void batchIsPaddedToTheLongestRow() {
        List<String> texts = List.of("want", "unwanted running", "");
        EncodedBatch batch = tokenizer.encodeBatch(texts);
        assertThat(batch.size()).isEqualTo(3);
        assertThat(batch.sequenceLength()).isEqualTo(7);
        assertThat(batch.ids())
                .containsExactly(
                        CLS, WANT, SEP, PAD, PAD, PAD, PAD, CLS, UN, WANT_CONT, ED_CONT, RUNN, ING_CONT, SEP, CLS, SEP,
                        PAD, PAD, PAD, PAD, PAD);
        assertThat(batch.attentionMask())
                .containsExactly(1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0);
        assertThat(batch.lengths()).containsExactly(3, 7, 2);
        assertThat(batch.truncated()).containsExactly(false, false, false);
        for (int row = 0; row < texts.size(); row++) {
            assertThat(batch.row(row)).isEqualTo(tokenizer.encode(texts.get(row)));
        }
    }

    @Test
    void batchCanBePaddedToAFixedLength() {
        BertTokenizer five = withMaxLength(5);
        EncodedBatch batch = five.encodeBatch(List.of("want want want want", "want"), 6);
        assertThat(batch.sequenceLength()).isEqualTo(6);
        assertThat(batch.ids()).containsExactly(CLS, WANT, WANT, WANT, SEP, PAD, CLS, WANT, SEP, PAD, PAD, PAD);
        assertThat(batch.truncated()).containsExactly(true, false);
        assertThat(batch.truncatedCount()).isEqualTo(1);
        assertThat(batch.row(0)).isEqualTo(five.encode("want want want want"));
        // Exactly maxLength: the flat array is used as encoded, without a compaction copy.
        assertThat(five.encodeBatch(List.of("want"), 5).ids()).containsExactly(CLS, WANT, SEP, PAD, PAD);
        assertThatThrownBy(() -> five.encodeBatch(List.of("want"), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below maxLength 5");
    }

    @Test
    void emptyBatch() {
        EncodedBatch batch = tokenizer.encodeBatch(List.of());
        assertThat(batch.size()).isZero();
        assertThat(batch.ids()).isEmpty();
        assertThat(batch.truncatedCount()).isZero();
    }

    @Test
    void requiresTheSpecialTokens() {
        Vocabulary noPad = Vocabulary.of(List.of("[UNK]", "[CLS]", "[SEP]", "a"));
        assertThatThrownBy(() -> BertTokenizer.create(noPad, TokenizerOptions.uncased()))
                .isInstanceOf(InvalidVocabularyException.class)
                .hasMessageContaining("'[PAD]'");
    }

    @Test
    void loadsFromVocabTxt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("vocab.txt");
        Files.write(file, vocab.tokens());
        BertTokenizer fromFile = BertTokenizer.fromVocabTxt(file, TokenizerOptions.uncased());
        assertThat(fromFile.vocabulary()).isEqualTo(vocab);
        assertThat(fromFile.encode("unwanted")).isEqualTo(tokenizer.encode("unwanted"));
    }

    private static String tokenizerJson(String normalizer, String preTokenizer, String modelExtras) {
        return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
                + "\"normalizer\":" + normalizer + ",\"pre_tokenizer\":" + preTokenizer + ","
                + "\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"continuing_subword_prefix\":\"##\","
                + "\"max_input_chars_per_word\":100" + modelExtras + ",\"vocab\":{\"[PAD]\":0,\"[UNK]\":1,"
                + "\"[CLS]\":2,\"[SEP]\":3,\"cafe\":4,\"café\":5,\"Café\":6}}}";
    }

    private static String bertNormalizer(String lowercase, String stripAccents) {
        return "{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":true," + "\"strip_accents\":"
                + stripAccents + ",\"lowercase\":" + lowercase + "}";
    }

    private static BertTokenizer fromJson(String json) throws IOException {
        return BertTokenizer.fromTokenizerJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), 64);
    }

    @Test
    void tokenizerJsonNormalizerSettingsBecomeOptions() throws IOException {
        String bertPre = "{\"type\":\"BertPreTokenizer\"}";
        BertTokenizer uncased = fromJson(tokenizerJson(bertNormalizer("true", "null"), bertPre, ""));
        assertThat(uncased.options()).isEqualTo(new TokenizerOptions(true, true, 64));
        assertThat(uncased.tokenize("Café")).containsExactly("cafe");

        BertTokenizer keepAccents = fromJson(tokenizerJson(bertNormalizer("true", "false"), bertPre, ""));
        assertThat(keepAccents.options()).isEqualTo(new TokenizerOptions(true, false, 64));
        assertThat(keepAccents.tokenize("Café")).containsExactly("café");

        BertTokenizer cased = fromJson(tokenizerJson(bertNormalizer("false", "null"), bertPre, ""));
        assertThat(cased.options()).isEqualTo(TokenizerOptions.cased().withMaxLength(64));
        assertThat(cased.tokenize("Café")).containsExactly("Café");
    }

    @Test
    void rejectsTokenizerJsonItWouldNotReproduce() {
        String bertPre = "{\"type\":\"BertPreTokenizer\"}";
        String bertNorm = bertNormalizer("true", "null");
        assertThatThrownBy(() -> fromJson(tokenizerJson("null", bertPre, "")))
                .isInstanceOf(UnsupportedTokenizerException.class)
                .hasMessageContaining("(no normalizer)");
        assertThatThrownBy(() -> fromJson(tokenizerJson("{\"type\":\"Sequence\",\"normalizers\":[]}", bertPre, "")))
                .isInstanceOf(UnsupportedTokenizerException.class)
                .hasMessageContaining("normalizer.type is Sequence, expected BertNormalizer");
        assertThatThrownBy(() -> fromJson(tokenizerJson(bertNorm, "{\"type\":\"Whitespace\"}", "")))
                .isInstanceOf(UnsupportedTokenizerException.class)
                .hasMessageContaining("pre_tokenizer.type");
        assertThatThrownBy(() -> fromJson(
                        tokenizerJson(bertNorm.replace("\"clean_text\":true", "\"clean_text\":false"), bertPre, "")))
                .isInstanceOf(UnsupportedTokenizerException.class)
                .hasMessageContaining("clean_text");
        assertThatThrownBy(() -> fromJson(tokenizerJson(bertNorm.replace(",\"lowercase\":true", ""), bertPre, "")))
                .isInstanceOf(UnsupportedTokenizerException.class)
                .hasMessageContaining("normalizer.lowercase is null, expected true or false");
        // Later keys override earlier ones in the model object.
        assertThatThrownBy(() -> fromJson(tokenizerJson(bertNorm, bertPre, ",\"continuing_subword_prefix\":\"@@\"")))
                .isInstanceOf(UnsupportedTokenizerException.class)
                .hasMessageContaining("continuing_subword_prefix is @@");
        assertThatThrownBy(() -> fromJson(tokenizerJson(bertNorm, bertPre, ",\"type\":\"BPE\"")))
                .isInstanceOf(UnsupportedTokenizerException.class)
                .hasMessageContaining("model.type is BPE");
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> new TokenizerOptions(true, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TokenizerOptions(true, 64)).isEqualTo(new TokenizerOptions(true, true, 64));
        assertThat(TokenizerOptions.uncased().maxLength())
                .isEqualTo(TokenizerOptions.DEFAULT_MAX_LENGTH)
                .isEqualTo(128);
    }

    @Test
    void reusedScratchCarriesNoStateBetweenCalls() {
        assertThat(tokenizer.encode("x".repeat(100_000) + " want").ids()).containsExactly(CLS, UNK, WANT, SEP);
        assertThat(tokenizer.encode("want ".repeat(500)).truncated()).isTrue(); // stops mid-text
        assertThat(tokenizer.encode("unwanted running").ids())
                .containsExactly(CLS, UN, WANT_CONT, ED_CONT, RUNN, ING_CONT, SEP);
        assertThat(tokenizer.encode("").ids()).containsExactly(CLS, SEP);
    }

    @Test
    void aDiscardedTokenizerIsNotPinnedByThreadsThatUsedIt() throws InterruptedException {
        // Threads keep their scratch arrays; those must not reference the tokenizer (and its trie).
        WeakReference<BertTokenizer> discarded = useAndDrop();
        for (int i = 0; i < 50 && discarded.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(discarded.get()).isNull();
    }

    private WeakReference<BertTokenizer> useAndDrop() {
        BertTokenizer temporary = BertTokenizer.create(vocab, TokenizerOptions.uncased());
        temporary.encode("unwanted running");
        temporary.encodeBatch(List.of("want"));
        return new WeakReference<>(temporary);
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            texts.add("UNwant\u00E9d,running ".repeat(i % 40) + "Café 中国 want" + i);
        }
        List<Encoding> expected = texts.stream().map(tokenizer::encode).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Encoding>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(
                        pool.submit(() -> texts.stream().map(tokenizer::encode).toList()));
            }
            for (Future<List<Encoding>> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
