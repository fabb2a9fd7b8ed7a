package io.streamguard.model.encoder;

import io.streamguard.model.encoder.onnx.OnnxBertEncoder;
import io.streamguard.model.encoder.tf.TfBertEncoder;
import io.streamguard.model.tokenizer.BertTokenizer;
import java.util.Set;

/** The one place that turns an {@link EncoderConfig} into a loaded engine and its tokenizer. */
public final class EncoderFactory {

    /** Ids {@link #create} can load in this build. */
    public static final Set<String> AVAILABLE =
            Set.of(EncoderConfig.BERT_BASE_UNCASED, EncoderConfig.MINILM_L6, EncoderConfig.BGE_SMALL_ZH);

    private EncoderFactory() {}

    /**
     * Loads the configured encoder (unpacking its weights into the cache on first use) and the
     * tokenizer over its own vocabulary, truncating at {@link EncoderConfig#maxLength()}.
     *
     * @throws UnsupportedEncoderException if the id is unknown or its engine is not in this build
     * @throws EncoderException if the weights cannot be found, unpacked or loaded
     */
    public static LoadedEncoder create(EncoderConfig config) {
        return create(config, null);
    }

    /**
     * As {@link #create(EncoderConfig)}, with fine-tuned {@code adapters} merged into the weights at load
     * (null: none, the frozen encoder), recorded in {@link LoadedEncoder#adapters()}. The ONNX-rebuilt
     * encoders (MiniLM, bge-small-zh) merge adapters: BERT-base runs a SavedModel whose kernels are baked into its graph, so it refuses
     * them rather than serve features the heads were not trained on.
     *
     * @throws UnsupportedEncoderException if the id is unknown, or {@code adapters} are given for an engine
     *     that cannot merge them (BERT-base)
     * @throws EncoderException if the weights cannot be found, unpacked or loaded, or an adapter does not fit
     *     them
     */
    public static LoadedEncoder create(EncoderConfig config, LowRankAdapters adapters) {
        return switch (config.encoderId()) {
            case EncoderConfig.BERT_BASE_UNCASED -> {
                if (adapters != null) {
                    throw new UnsupportedEncoderException(
                            config.encoderId(),
                            "encoder '" + config.encoderId() + "' cannot load fine-tuned adapters (only "
                                    + EncoderConfig.MINILM_L6
                                    + " and " + EncoderConfig.BGE_SMALL_ZH
                                    + " merge them); use heads trained on the frozen encoder");
                }
                yield TfBertEncoder.load(config);
            }
            case EncoderConfig.MINILM_L6, EncoderConfig.BGE_SMALL_ZH -> OnnxBertEncoder.create(config, adapters);
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
            case EncoderConfig.MINILM_L6, EncoderConfig.BGE_SMALL_ZH -> OnnxBertEncoder.tokenizer(config);
            default -> throw new UnsupportedEncoderException(config.encoderId(), AVAILABLE);
        };
    }
}
