package io.streamguard.model.encoder.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.streamguard.model.encoder.LowRankAdapters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weights of a BERT-style encoder read out of an ONNX export, under HuggingFace parameter names
 * ({@code encoder.layer.3.attention.self.query.weight}) and checked against a {@link OnnxBertConfig}.
 *
 * <p>Dense weights ({@code *.dense.weight}, {@code query/key/value.weight}) are always returned in
 * TensorFlow kernel layout {@code [in, out]}, whatever the export did. Why this takes some work:
 * the PyTorch exporter folds each {@code Linear} into {@code MatMul(x, W^T)} and stores
 * {@code W^T} as an anonymous initializer ({@code onnx::MatMul_885}), so the name is recovered
 * from the MatMul node's scope ({@code /encoder/layer.0/attention/self/query/MatMul}), and an
 * initializer used directly as MatMul's right operand is already {@code [in, out]}; a named
 * {@code *.weight} not used that way is PyTorch's {@code [out, in]} and is transposed.
 *
 * <p>Dynamically quantized exports (onnxruntime's {@code quantize_dynamic}, as bge-small-zh's) store a
 * weight {@code W} as {@code W_quantized} (int8 or uint8) with {@code W_scale} and {@code W_zero_point},
 * per tensor or per output channel, and multiply with {@code MatMulInteger} instead of MatMul. Such
 * weights are dequantized here, {@code (q - zeroPoint) * scale}, so the graph runs in float32 on the
 * exact values ONNX Runtime multiplies with; only its int8 rounding of activations is not reproduced.
 */
final class OnnxBertWeights {

    private static final Pattern MATMUL_SCOPE =
            Pattern.compile("/encoder/layer\\.(\\d+)/(attention/self/query|attention/self/key|attention/self/value"
                    + "|attention/output/dense|intermediate/dense|output/dense)/MatMul(?:_output_0|_quant)?");
    /** What {@code quantize_dynamic} appends to a quantized initializer's name. */
    private static final String QUANTIZED = "_quantized";

    private final OnnxBertConfig config;
    private final Map<String, Weight> weights;

    private OnnxBertWeights(OnnxBertConfig config, Map<String, Weight> weights) {
        this.config = config;
        this.weights = weights;
    }

    /**
     * These weights with {@code adapters} merged into the kernels they adapt, so a fine-tuned model runs
     * the same graph at the same cost.
     *
     * @throws InvalidModelException if an adapter names a kernel this encoder does not have, or another shape
     */
    OnnxBertWeights withAdapters(LowRankAdapters adapters) {
        Map<String, Weight> merged = new HashMap<>(weights);
        adapters.kernels().forEach((name, pair) -> {
            Weight w = weights.get(name);
            if (w == null || !w.hasShape(pair.in(), pair.out())) {
                throw new InvalidModelException("adapter for " + name + " [" + pair.in() + ", " + pair.out()
                        + "] does not fit this encoder (" + (w == null ? "no such kernel" : "shape " + w) + ")");
            }
            merged.put(name, new Weight(w.shape(), adapters.merged(name, w.values())));
        });
        return new OnnxBertWeights(config, merged);
    }

    /** Reads and validates all weights; does not close {@code onnxModel}. */
    static OnnxBertWeights read(InputStream onnxModel, OnnxBertConfig config) throws IOException {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(onnxModel);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidModelException("not an ONNX model: " + e.getMessage(), e);
        }
        return fromGraph(model.getGraph(), config);
    }

    static OnnxBertWeights fromGraph(GraphProto graph, OnnxBertConfig config) {
        Map<String, TensorProto> initializers = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        // Initializers consumed as MatMul's right operand are [in, out]; remember which, and by which scope.
        Set<String> matMulRight = new HashSet<>();
        Map<String, String> scopedName = new HashMap<>();
        for (NodeProto node : graph.getNodeList()) {
            boolean integer = "MatMulInteger".equals(node.getOpType());
            if (!(integer || "MatMul".equals(node.getOpType())) || node.getInputCount() < 2) {
                continue;
            }
            String right = node.getInput(1);
            if (!initializers.containsKey(right)) {
                continue;
            }
            if (integer && right.endsWith(QUANTIZED)) {
                right = right.substring(0, right.length() - QUANTIZED.length()); // tensor() dequantizes it
            }
            matMulRight.add(right);
            Matcher m = MATMUL_SCOPE.matcher(node.getName());
            if (!m.matches() && node.getOutputCount() > 0) {
                m = MATMUL_SCOPE.matcher(node.getOutput(0));
            }
            if (m.matches()) {
                scopedName.put("encoder.layer." + m.group(1) + "." + m.group(2).replace('/', '.') + ".weight", right);
            }
        }

        Map<String, Weight> out = new HashMap<>();
        int h = config.hidden();
        put(out, initializers, "embeddings.word_embeddings.weight", config.vocabSize(), h);
        put(out, initializers, "embeddings.position_embeddings.weight", config.maxPositions(), h);
        Weight tokenTypes = tensor(initializers, "embeddings.token_type_embeddings.weight");
        if (tokenTypes.shape().length != 2
                || tokenTypes.shape()[0] < 1
                || tokenTypes.shape()[1] != h) {
            throw new InvalidModelException("embeddings.token_type_embeddings.weight has shape " + tokenTypes
                    + ", expected [types, " + h + "]");
        }
        out.put("embeddings.token_type_embeddings.weight", tokenTypes);
        put(out, initializers, "embeddings.LayerNorm.weight", h);
        put(out, initializers, "embeddings.LayerNorm.bias", h);
        for (int i = 0; i < config.layers(); i++) {
            String p = "encoder.layer." + i + ".";
            for (String qkv : List.of("query", "key", "value")) {
                kernel(out, initializers, matMulRight, scopedName, p + "attention.self." + qkv, h, h);
            }
            kernel(out, initializers, matMulRight, scopedName, p + "attention.output.dense", h, h);
            put(out, initializers, p + "attention.output.LayerNorm.weight", h);
            put(out, initializers, p + "attention.output.LayerNorm.bias", h);
            kernel(out, initializers, matMulRight, scopedName, p + "intermediate.dense", h, config.intermediate());
            kernel(out, initializers, matMulRight, scopedName, p + "output.dense", config.intermediate(), h);
            put(out, initializers, p + "output.LayerNorm.weight", h);
            put(out, initializers, p + "output.LayerNorm.bias", h);
        }
        return new OnnxBertWeights(config, Map.copyOf(out));
    }

    OnnxBertConfig config() {
        return config;
    }

    /** The weight named {@code name} (HuggingFace naming; dense weights in {@code [in, out]} layout). */
    Weight get(String name) {
        Weight w = weights.get(name);
        if (w == null) {
            throw new IllegalArgumentException("no weight " + name);
        }
        return w;
    }

    private static void kernel(
            Map<String, Weight> out,
            Map<String, TensorProto> initializers,
            Set<String> matMulRight,
            Map<String, String> scopedName,
            String prefix,
            int in,
            int outSize) {
        String name = prefix + ".weight";
        String source = scopedName.getOrDefault(name, name);
        Weight w = tensor(initializers, source);
        if (!matMulRight.contains(source)) {
            w = w.shape().length == 2 ? w.transposed() : w;
        }
        if (!w.hasShape(in, outSize)) {
            throw new InvalidModelException(name + " (initializer " + source + ") has shape " + w
                    + " in kernel layout, expected [" + in + ", " + outSize + "]");
        }
        out.put(name, w);
        String bias = prefix + ".bias";
        put(out, initializers, bias, outSize);
    }

    private static void put(
            Map<String, Weight> out, Map<String, TensorProto> initializers, String name, long... shape) {
        Weight w = tensor(initializers, name);
        if (!w.hasShape(shape)) {
            throw new InvalidModelException(name + " has shape " + w + ", expected " + Arrays.toString(shape));
        }
        out.put(name, w);
    }

    /** The float32 weight {@code name}, dequantized if the export stores it as {@code name_quantized}. */
    private static Weight tensor(Map<String, TensorProto> initializers, String name) {
        TensorProto t = initializers.get(name);
        if (t == null) {
            if (initializers.containsKey(name + QUANTIZED)) {
                return dequantized(initializers, name);
            }
            throw new InvalidModelException("the ONNX model has no initializer " + name);
        }
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new InvalidModelException(name + " has ONNX data type " + t.getDataType() + ", expected FLOAT (1)");
        }
        requireEmbedded(t);
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        float[] values;
        if (!t.getRawData().isEmpty()) {
            // raw_data is little-endian by the ONNX spec, independent of the host.
            var floats = t.getRawData()
                    .asReadOnlyByteBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            values = new float[floats.remaining()];
            floats.get(values);
        } else {
            values = new float[t.getFloatDataCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = t.getFloatData(i);
            }
        }
        try {
            return new Weight(shape, values);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code (q - zeroPoint) * scale} of {@code name_quantized}, with scale and zero point either one value
     * (per tensor) or one per index of the last axis (per output channel, as {@code MatMulInteger}'s
     * right operand {@code [in, out]} has them).
     */
    private static Weight dequantized(Map<String, TensorProto> initializers, String name) {
        TensorProto q = initializers.get(name + QUANTIZED);
        float[] scale = tensor(initializers, name + "_scale").values();
        TensorProto zeroPointTensor = initializers.get(name + "_zero_point");
        if (zeroPointTensor == null) {
            throw new InvalidModelException(
                    "the ONNX model has " + name + QUANTIZED + " but no " + name + "_zero_point");
        }
        int[] quantized = integers(q);
        int[] zeroPoint = integers(zeroPointTensor);
        long[] shape = q.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int channels = shape.length == 0 ? 1 : (int) shape[shape.length - 1];
        boolean perChannel = scale.length != 1;
        if ((perChannel && scale.length != channels) || zeroPoint.length != scale.length) {
            throw new InvalidModelException(name + ": " + scale.length + " scales and " + zeroPoint.length
                    + " zero points do not fit shape " + Arrays.toString(shape));
        }
        float[] values = new float[quantized.length];
        for (int i = 0; i < values.length; i++) {
            int c = perChannel ? i % channels : 0;
            values[i] = (quantized[i] - zeroPoint[c]) * scale[c];
        }
        try {
            return new Weight(shape, values);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(name + QUANTIZED + ": " + e.getMessage(), e);
        }
    }

    /** The values of an INT8 or UINT8 tensor (ONNX stores them in raw_data, or widened in int32_data). */
    private static int[] integers(TensorProto t) {
        boolean signed = t.getDataType() == TensorProto.DataType.INT8_VALUE;
        if (!signed && t.getDataType() != TensorProto.DataType.UINT8_VALUE) {
            throw new InvalidModelException(
                    t.getName() + " has ONNX data type " + t.getDataType() + ", expected INT8 (3) or UINT8 (2)");
        }
        requireEmbedded(t);
        if (t.getRawData().isEmpty()) {
            return t.getInt32DataList().stream().mapToInt(Integer::intValue).toArray();
        }
        byte[] raw = t.getRawData().toByteArray();
        int[] out = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = signed ? raw[i] : raw[i] & 0xff;
        }
        return out;
    }

    private static void requireEmbedded(TensorProto t) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new InvalidModelException(t.getName() + " is stored as external data, which is not supported");
        }
    }
}
