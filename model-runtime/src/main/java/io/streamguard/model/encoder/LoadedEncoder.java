package io.streamguard.model.encoder;

import io.streamguard.model.tokenizer.BertTokenizer;
import java.util.Objects;

/**
 * An encoder together with the tokenizer built from the same model's vocabulary, handed out as one
 * so ids from one vocabulary can never reach weights trained on another. Closing it closes the
 * encoder; the tokenizer holds no native resources.
 *
 * @param adapters the fine-tuned adapters merged into the encoder's weights, null for the frozen encoder:
 *     part of its identity, since the same id and vocabulary then give other features
 */
public record LoadedEncoder(Encoder encoder, BertTokenizer tokenizer, LowRankAdapters adapters)
        implements AutoCloseable {

    /** The frozen encoder: no adapters. */
    public LoadedEncoder(Encoder encoder, BertTokenizer tokenizer) {
        this(encoder, tokenizer, null);
    }

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

    /** {@link LowRankAdapters#fingerprint()} of the merged adapters, null for none. */
    public String adaptersFingerprint() {
        return LowRankAdapters.fingerprintOf(adapters);
    }

    @Override
    public void close() {
        encoder.close();
    }
}
