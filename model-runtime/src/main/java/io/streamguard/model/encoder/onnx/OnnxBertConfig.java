package io.streamguard.model.encoder.onnx;

/**
 * Architecture of a BERT encoder. The ONNX export carries weights but no config, so
 * the sizes are fixed here and every weight is checked against them on load.
 */
public record OnnxBertConfig(
        int layers, int hidden, int heads, int intermediate, int vocabSize, int maxPositions, float layerNormEps) {

    /** sentence-transformers/all-MiniLM-L6-v2 (microsoft/MiniLM-L12-H384 distilled to 6 layers). */
    public static final OnnxBertConfig ALL_MINILM_L6_V2 = new OnnxBertConfig(6, 384, 12, 1536, 30522, 512, 1e-12f);

    /** BAAI/bge-small-zh-v1.5 (its config.json: 4 layers, hidden 512, 8 heads, vocabulary 21,128). */
    public static final OnnxBertConfig BGE_SMALL_ZH_V15 = new OnnxBertConfig(4, 512, 8, 2048, 21128, 512, 1e-12f);

    public OnnxBertConfig {
        if (layers <= 0 || hidden <= 0 || heads <= 0 || intermediate <= 0 || vocabSize <= 0 || maxPositions <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + layers + "/" + hidden + "/" + heads + "/"
                    + intermediate + "/" + vocabSize + "/" + maxPositions);
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden " + hidden + " is not a multiple of heads " + heads);
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("layerNormEps must be positive, got " + layerNormEps);
        }
    }

    public int headSize() {
        return hidden / heads;
    }
}
