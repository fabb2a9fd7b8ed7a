package io.streamguard.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordPieceTest {

    private final Vocabulary vocab = TestVocabularies.small();
    private final WordPiece wordPiece = new WordPiece(vocab, vocab.requireId("[UNK]"));

    private List<String> pieces(String word) {
        int[] ids = new int[WordPiece.MAX_PIECES_PER_WORD];
        int n = wordPiece.encodeWord(word.toCharArray(), word.length(), ids);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tokens.add(vocab.token(ids[i]));
        }
        return tokens;
    }

    @Test
    void greedyLongestMatchFirstWithContinuationPrefix() {
        // "##a" is in the vocabulary too, but the longest match "##aff" wins.
        assertThat(pieces("unaffable")).containsExactly("un", "##aff", "##able");
        assertThat(pieces("unwanted")).containsExactly("un", "##want", "##ed");
        assertThat(pieces("running")).containsExactly("runn", "##ing");
        // "low" is a prefix of "lowest": the longer whole-word token is taken.
        assertThat(pieces("lowest")).containsExactly("lowest");
        assertThat(pieces("low")).containsExactly("low");
        // "wa" + "##nt" is not possible ("##nt" is missing), but "want" matches first anyway.
        assertThat(pieces("want")).containsExactly("want");
    }

    @Test
    void aWordThatCannotBeCoveredBecomesOneUnk() {
        // Greedy, no backtracking: "un" + "##aff" matched, then "x" has no piece, so the whole word is [UNK].
        assertThat(pieces("unaffx")).containsExactly("[UNK]");
        assertThat(pieces("unwantedX")).containsExactly("[UNK]");
        assertThat(pieces("xyz")).containsExactly("[UNK]");
        // Continuation pieces are never used at the start of a word.
        assertThat(pieces("ed")).containsExactly("[UNK]");
    }

    @Test
    void wordsLongerThanOneHundredCodePointsAreUnk() {
        // "the" + 97 "##s" pieces = 100 characters: still tokenized.
        String word100 = "the" + "s".repeat(97);
        assertThat(pieces(word100)).hasSize(98).startsWith("the", "##s").endsWith("##s");
        assertThat(pieces(word100 + "s")).containsExactly("[UNK]");
    }

    @Test
    void countsCodePointsNotCharsForTheLengthLimit() {
        // 60 supplementary characters are 120 chars but only 60 code points: not [UNK] for length,
        // only because no vocabulary piece covers them.
        Vocabulary emoji = Vocabulary.of(List.of("[UNK]", "😀", "##😀"));
        WordPiece wp = new WordPiece(emoji, 0);
        String word = "😀".repeat(60);
        int[] ids = new int[WordPiece.MAX_PIECES_PER_WORD];
        assertThat(wp.encodeWord(word.toCharArray(), word.length(), ids)).isEqualTo(60);
        assertThat(ids[0]).isEqualTo(1);
        assertThat(Arrays.copyOfRange(ids, 1, 60)).containsOnly(2);
        String tooLong = "😀".repeat(101);
        assertThat(wp.encodeWord(tooLong.toCharArray(), tooLong.length(), ids)).isEqualTo(1);
        assertThat(ids[0]).isZero();
    }

    @Test
    void neverSplitsASurrogatePair() {
        // A (malformed) vocabulary piece that is a lone high surrogate must not match half an emoji.
        Vocabulary odd = Vocabulary.of(List.of("[UNK]", "\uD83D", "##\uDE00"));
        WordPiece wp = new WordPiece(odd, 0);
        String word = "😀"; // \uD83D\uDE00
        int[] ids = new int[WordPiece.MAX_PIECES_PER_WORD];
        assertThat(wp.encodeWord(word.toCharArray(), word.length(), ids)).isEqualTo(1);
        assertThat(ids[0]).isZero();
    }

    @Test
    void worksWithoutAnyContinuationPieces() {
        Vocabulary plain = Vocabulary.of(List.of("[UNK]", "ab", "a"));
        WordPiece wp = new WordPiece(plain, 0);
        int[] ids = new int[WordPiece.MAX_PIECES_PER_WORD];
        assertThat(wp.encodeWord("ab".toCharArray(), 2, ids)).isEqualTo(1);
        assertThat(ids[0]).isEqualTo(1);
        assertThat(wp.encodeWord("aba".toCharArray(), 3, ids)).isEqualTo(1);
        assertThat(ids[0]).isZero();
    }

    @Test
    void largeVocabularyTrieFindsEveryToken() {
        // Enough tokens to force several rehashes of the trie table.
        List<String> tokens = new ArrayList<>();
        tokens.add("[UNK]");
        for (int i = 0; i < 50_000; i++) {
            tokens.add("w" + Integer.toString(i, 36));
        }
        Vocabulary big = Vocabulary.of(tokens);
        WordPiece wp = new WordPiece(big, 0);
        int[] ids = new int[WordPiece.MAX_PIECES_PER_WORD];
        for (int id = 1; id < tokens.size(); id++) {
            char[] word = tokens.get(id).toCharArray();
            assertThat(wp.encodeWord(word, word.length, ids)).isEqualTo(1);
            assertThat(ids[0]).isEqualTo(id);
        }
    }
}
