package io.streamguard.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

    private static Vocabulary vocabTxt(String content) throws IOException {
        return Vocabulary.fromVocabTxt(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static Vocabulary tokenizerJson(String json) throws IOException {
        return Vocabulary.fromTokenizerJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void vocabTxtIdsAreLineNumbers() {
        Vocabulary vocab = TestVocabularies.small();
        assertThat(vocab.size()).isEqualTo(32);
        assertThat(vocab.token(0)).isEqualTo("[PAD]");
        assertThat(vocab.id("[UNK]")).hasValue(1);
        assertThat(vocab.id("##aff")).hasValue(15);
        assertThat(vocab.id("Café")).hasValue(31);
        assertThat(vocab.id("missing")).isEqualTo(OptionalInt.empty());
        assertThat(vocab.contains("中")).isTrue();
        assertThat(vocab.tokens()).hasSize(32).startsWith("[PAD]", "[UNK]", "[CLS]");
        assertThatThrownBy(() -> vocab.tokens().set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> vocab.token(32)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void vocabHashIsTheSha256OfTheCanonicalVocabTxt() throws Exception {
        byte[] file;
        try (InputStream in = getClass().getResourceAsStream(TestVocabularies.TEST_VOCAB)) {
            file = in.readAllBytes();
        }
        String expected =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        assertThat(TestVocabularies.small().vocabHash()).isEqualTo(expected).hasSize(64);
    }

    @Test
    void vocabHashDependsOnOrderNotOnSourceFormat() throws IOException {
        Vocabulary txt = vocabTxt("\uFEFF[UNK]\r\nhello  \r\nwörld\r\n");
        Vocabulary json = tokenizerJson("{\"model\":{\"vocab\":{\"wörld\":2,\"[UNK]\":0,\"hello\":1}}}");
        Vocabulary listed = Vocabulary.of(List.of("[UNK]", "hello", "wörld"));
        assertThat(txt.tokens()).containsExactly("[UNK]", "hello", "wörld"); // BOM, CR and trailing blanks dropped
        assertThat(txt.vocabHash()).isEqualTo(json.vocabHash()).isEqualTo(listed.vocabHash());
        assertThat(txt).isEqualTo(json).hasSameHashCodeAs(json);
        Vocabulary reordered = Vocabulary.of(List.of("hello", "[UNK]", "wörld"));
        assertThat(reordered.vocabHash()).isNotEqualTo(txt.vocabHash());
        assertThat(reordered).isNotEqualTo(txt);
    }

    @Test
    void loadsFromAPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("vocab.txt");
        Files.writeString(file, "[PAD]\n[UNK]\n");
        assertThat(Vocabulary.fromVocabTxt(file).tokens()).containsExactly("[PAD]", "[UNK]");
        Path json = dir.resolve("tokenizer.json");
        Files.writeString(
                json,
                "{\"version\":\"1.0\",\"added_tokens\":[{\"id\":0}],\"model\":{\"type\":\"WordPiece\","
                        + "\"vocab\":{\"[PAD]\":0,\"[UNK]\":1}}}");
        assertThat(Vocabulary.fromTokenizerJson(json).tokens()).containsExactly("[PAD]", "[UNK]");
    }

    @Test
    void rejectsBlankAndDuplicateTokens() {
        assertThatThrownBy(() -> vocabTxt("a\n\nb\n"))
                .isInstanceOf(InvalidVocabularyException.class)
                .hasMessageContaining("blank token at id 1");
        assertThatThrownBy(() -> vocabTxt("a\nb\na\n"))
                .isInstanceOf(InvalidVocabularyException.class)
                .hasMessageContaining("duplicate token 'a' at ids 0 and 2");
        assertThatThrownBy(() -> vocabTxt(""))
                .isInstanceOf(InvalidVocabularyException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void keepsTokensOfUnicodeSeparators() throws IOException {
        // bert-base-chinese (and so bge-small-zh) has U+2028 at id 343 and "##" U+2028 at 13502.
        Vocabulary txt = vocabTxt("a\n\u2028\n##\u2028 \r\n\u3000\n");
        assertThat(txt.tokens()).containsExactly("a", "\u2028", "##\u2028", "\u3000");
        assertThat(Vocabulary.of(List.of("a", "\u2028")).id("\u2028")).hasValue(1);
        assertThatThrownBy(() -> Vocabulary.of(List.of("a", " \t")))
                .isInstanceOf(InvalidVocabularyException.class)
                .hasMessageContaining("blank token at id 1");
    }

    @Test
    void rejectsMalformedUtf8() {
        byte[] latin1 = "caf\u00E9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Vocabulary.fromVocabTxt(new ByteArrayInputStream(latin1)))
                .isInstanceOf(MalformedInputException.class);
    }

    @Test
    void tokenizerJsonIdsMustBeContiguous() {
        assertThatThrownBy(() -> tokenizerJson("{\"model\":{\"vocab\":{\"a\":0,\"b\":2}}}"))
                .isInstanceOf(InvalidVocabularyException.class)
                .hasMessageContaining("contiguous");
        assertThatThrownBy(() -> tokenizerJson("{\"model\":{\"vocab\":{\"a\":0,\"b\":0}}}"))
                .isInstanceOf(InvalidVocabularyException.class)
                .hasMessageContaining("share id 0");
        assertThatThrownBy(() -> tokenizerJson("{\"model\":{\"vocab\":{\"a\":0,\"a\":1}}}"))
                .isInstanceOf(InvalidVocabularyException.class)
                .hasMessageContaining("appears twice");
    }

    @Test
    void tokenizerJsonMustHaveAWordPieceStyleVocab() {
        assertThatThrownBy(() -> tokenizerJson("{\"model\":{\"type\":\"Unigram\",\"vocab\":[[\"a\",-1.0]]}}"))
                .isInstanceOf(InvalidVocabularyException.class)
                .hasMessageContaining("not a token to id map");
        assertThatThrownBy(() -> tokenizerJson("{\"normalizer\":null}"))
                .isInstanceOf(InvalidVocabularyException.class)
                .hasMessageContaining("no model.vocab");
        assertThatThrownBy(() -> tokenizerJson("[1,2]"))
                .isInstanceOf(InvalidVocabularyException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> tokenizerJson("{\"model\":{\"vocab\":{\"a\":0,"))
                .isInstanceOf(InvalidVocabularyException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> tokenizerJson("{\"model\":{\"vocab\":{\"a\":\"zero\"}}}"))
                .isInstanceOf(InvalidVocabularyException.class)
                .hasMessageContaining("not an integer");
    }
}
