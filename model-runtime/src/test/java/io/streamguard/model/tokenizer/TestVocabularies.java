package io.streamguard.model.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The small hand-written vocabulary in {@code src/test/resources/tokenizer/test-vocab.txt}. */
final class TestVocabularies {

    static final String TEST_VOCAB = "/tokenizer/test-vocab.txt";

    private TestVocabularies() {}

    static Vocabulary small() {
        try (InputStream in = TestVocabularies.class.getResourceAsStream(TEST_VOCAB)) {
            return Vocabulary.fromVocabTxt(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
