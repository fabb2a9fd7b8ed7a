package io.streamguard.model.encoder.minilm;

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
 * ({@code encoder.layer.3.attention.self.query.weight}) and checked against a {@link MiniLmConfig}.
 *
 * <p>Dense weights ({@code *.dense.weight}, {@code query/key/value.weight}) are always returned in
 * TensorFlow kernel layout {@code [in, out]}, whatever the export did. Why this takes some work:
 * the PyTorch exporter folds each {@code Linear} into {@code MatMul(x, W^T)} and stores
 * {@code W^T} as an anonymous initializer ({@code onnx::MatMul_885}), so the name is recovered
 * from the MatMul node's scope ({@code /encoder/layer.0/attention/self/query/MatMul}), and an
 * initializer used directly as MatMul's right operand is already {@code [in, out]}; a named
 * {@code *.weight} not used that way is PyTorch's {@code [out, in]} and is transposed.
 */
final class MiniLmWeights {

    private static final Pattern MATMUL_SCOPE =
            Pattern.compile("/encoder/layer\\.(\\d+)/(attention/self/query|attention/self/key|attention/self/value"
                    + "|attention/output/dense|intermediate/dense|output/dense)/MatMul(?:_output_0)?");

    private final MiniLmConfig config;
    private final Map<String, Weight> weights;

    private MiniLmWeights(MiniLmConfig config, Map<String, Weight> weights) {
        this.config = config;
        this.weights = weights;
    }

    /**
     * These weights with {@code adapters} merged into the kernels they adapt, so a fine-tuned model runs
     * the same graph at the same cost.
     *
     * @throws InvalidModelException if an adapter names a kernel this encoder does not have, or another shape
     */
    MiniLmWeights withAdapters(LowRankAdapters adapters) {
        Map<String, Weight> merged = new HashMap<>(weights);
        adapters.kernels().forEach((name, pair) -> {
            Weight w = weights.get(name);
            if (w == null || !w.hasShape(pair.in(), pair.out())) {
                throw new InvalidModelException("adapter for " + name + " [" + pair.in() + ", " + pair.out()
                        + "] does not fit this encoder (" + (w == null ? "no such kernel" : "shape " + w) + ")");
            }
            merged.put(name, new Weight(w.shape(), adapters.merged(name, w.values())));
        });
        return new MiniLmWeights(config, merged);
    }

    /** Reads and validates all weights; does not close {@code onnxModel}. */
    static MiniLmWeights read(InputStream onnxModel, MiniLmConfig config) throws IOException {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(onnxModel);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidModelException("not an ONNX model: " + e.getMessage(), e);
        }
        return fromGraph(model.getGraph(), config);
    }

    static MiniLmWeights fromGraph(GraphProto graph, MiniLmConfig config) {
        Map<String, TensorProto> initializers = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        // Initializers consumed as MatMul's right operand are [in, out]; remember which, and by which scope.
        Set<String> matMulRight = new HashSet<>();
        Map<String, String> scopedName = new HashMap<>();
        for (NodeProto node : graph.getNodeList()) {
            if (!"MatMul".equals(node.getOpType()) || node.getInputCount() != 2) {
                continue;
            }
            String right = node.getInput(1);
            if (!initializers.containsKey(right)) {
                continue;
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
        return new MiniLmWeights(config, Map.copyOf(out));
    }

    MiniLmConfig config() {
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

    private static Weight tensor(Map<String, TensorProto> initializers, String name) {
        TensorProto t = initializers.get(name);
        if (t == null) {
            throw new InvalidModelException("the ONNX model has no initializer " + name);
        }
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new InvalidModelException(name + " has ONNX data type " + t.getDataType() + ", expected FLOAT (1)");
        }
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new InvalidModelException(name + " is stored as external data, which is not supported");
        }
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
}
