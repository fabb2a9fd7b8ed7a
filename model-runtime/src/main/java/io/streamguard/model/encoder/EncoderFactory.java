package io.streamguard.model.encoder;

import io.streamguard.model.encoder.minilm.MiniLmEncoder;
import io.streamguard.model.encoder.tf.TfBertEncoder;
import io.streamguard.model.tokenizer.BertTokenizer;
import java.util.Set;

/** The one place that turns an {@link EncoderConfig} into a loaded engine and its tokenizer. */
public final class EncoderFactory {

    /** Ids {@link #create} can load in this build. */
    public static final Set<String> AVAILABLE = Set.of(EncoderConfig.BERT_BASE_UNCASED, EncoderConfig.MINILM_L6);

    private EncoderFactory() {}

    /**
     * Loads the configured encoder (unpacking its weights into the cache on first use) and the
     * tokenizer over its own vocabulary, truncating at {@link EncoderConfig#maxLength()}.
     *
     * @throws UnsupportedEncoderException if the id is unknown or its engine is not in this build
     * @throws EncoderException if the weights cannot be found, unpacked or loaded
     */
    public static LoadedEncoder create(EncoderConfig config) {
        return switch (config.encoderId()) {
            case EncoderConfig.BERT_BASE_UNCASED -> TfBertEncoder.load(config);
            case EncoderConfig.MINILM_L6 -> MiniLmEncoder.create(config);
            default -> throw new UnsupportedEncoderException(config.encoderId(), AVAILABLE);
        };
    }

    /**
     * Only the tokenizer {@link #create} would hand out for {@code config}, without loading (or, for
     * BERT-base, unpacking) the weights: what a tokenize-only worker needs. Its ids are identical to
     * those of the loaded encoder's tokenizer.
     *
     * @throws UnsupportedEncoderException if the id is unknown
     * @throws EncoderException if the vocabulary cannot be read
     */
    public static BertTokenizer tokenizer(EncoderConfig config) {
        return switch (config.encoderId()) {
            case EncoderConfig.BERT_BASE_UNCASED -> TfBertEncoder.tokenizer(config);
            case EncoderConfig.MINILM_L6 -> MiniLmEncoder.tokenizer(config);
            default -> throw new UnsupportedEncoderException(config.encoderId(), AVAILABLE);
        };
    }
}
