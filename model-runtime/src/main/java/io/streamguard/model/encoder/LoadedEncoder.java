package io.streamguard.model.encoder;

import io.streamguard.model.tokenizer.BertTokenizer;
import java.util.Objects;

/**
 * An encoder together with the tokenizer built from the same model's vocabulary, handed out as one
 * so ids from one vocabulary can never reach weights trained on another. Closing it closes the
 * encoder; the tokenizer holds no native resources.
 */
public record LoadedEncoder(Encoder encoder, BertTokenizer tokenizer) implements AutoCloseable {

    public LoadedEncoder {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(tokenizer, "tokenizer");
        String encoderVocab = encoder.info().vocabHash();
        String tokenizerVocab = tokenizer.vocabulary().vocabHash();
        if (!encoderVocab.equals(tokenizerVocab)) {
            throw new IllegalArgumentException("tokenizer vocabulary " + tokenizerVocab + " does not match encoder "
                    + encoder.info().id() + " vocabulary " + encoderVocab);
        }
        if (tokenizer.options().maxLength() > encoder.info().maxSequenceLength()) {
            throw new IllegalArgumentException(
                    "tokenizer maxLength " + tokenizer.options().maxLength() + " exceeds encoder maximum "
                            + encoder.info().maxSequenceLength());
        }
    }

    @Override
    public void close() {
        encoder.close();
    }
}
