package io.streamguard.model.encoder.onnx;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The BERT forward pass as a TensorFlow graph, weights baked in as constants (MiniLM 22.7M parameters,
 * ~91 MB; bge-small-zh 24M: small enough that variables and a checkpoint would only add a load step).
 *
 * <p>Activations between layers are kept as {@code [batch * length, hidden]} so each dense layer
 * is one 2-D MatMul; only attention reshapes to {@code [batch, heads, length, headSize]}.
 */
final class OnnxBertGraph {

    /**
     * Added to attention scores of padding keys. HuggingFace uses the float32 minimum; any value
     * that underflows exp() to 0 gives the same softmax, and a finite one keeps an all-padding row
     * (length 0) free of NaN.
     */
    private static final float MASKED_SCORE = -1e9f;
    /** sentence-transformers' clamp on the token count of mean pooling. */
    private static final float MIN_TOKEN_COUNT = 1e-9f;

    final Placeholder<TInt32> inputIds;
    final Placeholder<TInt32> attentionMask;
    /** {@code [batch, length, hidden]}. */
    final Operand<TFloat32> lastHiddenState;
    /** {@code [batch, hidden]}: attention-masked mean of {@link #lastHiddenState}. */
    final Operand<TFloat32> meanPooled;
    /** {@code [batch, hidden]}: the model's own sentence vector, by its {@link OnnxBertModel.Pooling}. */
    final Operand<TFloat32> pooled;

    private final Ops tf;
    private final OnnxBertConfig config;
    private final DenseHook hook;

    /**
     * What a training graph adds to a dense layer (a low-rank adapter's {@code x A B}), or null for
     * nothing; the inference graph adds nothing, adapters being merged into its weights at load.
     */
    @FunctionalInterface
    interface DenseHook {
        DenseHook NONE = (tf, prefix, x) -> null;

        Operand<TFloat32> extra(Ops tf, String prefix, Operand<TFloat32> x);
    }

    OnnxBertGraph(Graph graph, OnnxBertWeights weights, OnnxBertModel.Pooling pooling) {
        this(graph, weights, pooling, DenseHook.NONE);
    }

    OnnxBertGraph(Graph graph, OnnxBertWeights weights, OnnxBertModel.Pooling pooling, DenseHook hook) {
        this.tf = Ops.create(graph);
        this.config = weights.config();
        this.hook = hook;
        int h = config.hidden();

        inputIds = tf.withName("input_ids").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
        attentionMask = tf.withName("attention_mask").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
        Operand<TInt32> batchAndLength = tf.shape(inputIds);
        Operand<TInt32> length = tf.gather(batchAndLength, tf.constant(1), tf.constant(0));
        Operand<TFloat32> mask = tf.dtypes.cast(attentionMask, TFloat32.class);

        // Embeddings. The export has no token_type_ids use in StreamGuard (single segment), so row 0 is added.
        Operand<TFloat32> words =
                tf.gather(constant(weights.get("embeddings.word_embeddings.weight")), inputIds, tf.constant(0));
        Operand<TFloat32> positions = tf.gather(
                constant(weights.get("embeddings.position_embeddings.weight")),
                tf.range(tf.constant(0), length, tf.constant(1)),
                tf.constant(0));
        Operand<TFloat32> tokenType0 = tf.gather(
                constant(weights.get("embeddings.token_type_embeddings.weight")), tf.constant(0), tf.constant(0));
        Operand<TFloat32> embedded = tf.math.add(tf.math.add(words, positions), tokenType0);
        Operand<TFloat32> x =
                tf.reshape(layerNorm(embedded, weights, "embeddings.LayerNorm"), tf.constant(new int[] {-1, h}));

        // [batch, 1, 1, length]: broadcast over heads and query positions.
        Operand<TFloat32> scoreBias = tf.math.mul(
                tf.math.sub(tf.constant(1f), tf.expandDims(tf.expandDims(mask, tf.constant(1)), tf.constant(1))),
                tf.constant(MASKED_SCORE));
        Operand<TInt32> headsShape = tf.concat(
                List.of(batchAndLength, tf.constant(new int[] {config.heads(), config.headSize()})), tf.constant(0));

        for (int i = 0; i < config.layers(); i++) {
            String p = "encoder.layer." + i + ".";
            Operand<TFloat32> attention = selfAttention(x, weights, p + "attention.self.", headsShape, scoreBias);
            x = layerNorm(
                    tf.math.add(dense(attention, weights, p + "attention.output.dense"), x),
                    weights,
                    p + "attention.output.LayerNorm");
            Operand<TFloat32> intermediate = gelu(dense(x, weights, p + "intermediate.dense"));
            x = layerNorm(
                    tf.math.add(dense(intermediate, weights, p + "output.dense"), x), weights, p + "output.LayerNorm");
        }

        lastHiddenState = tf.withName("last_hidden_state")
                .reshape(x, tf.concat(List.of(batchAndLength, tf.constant(new int[] {h})), tf.constant(0)));
        Operand<TFloat32> maskColumn = tf.expandDims(mask, tf.constant(2));
        Operand<TFloat32> summed = tf.reduceSum(tf.math.mul(lastHiddenState, maskColumn), tf.constant(1));
        Operand<TFloat32> counts =
                tf.math.maximum(tf.reduceSum(maskColumn, tf.constant(1)), tf.constant(MIN_TOKEN_COUNT));
        meanPooled = tf.withName("mean_pooled").math.div(summed, counts);
        pooled = switch (pooling) {
            case MEAN -> meanPooled;
            // [batch, length, hidden] at position 0 -> [batch, hidden]
            case CLS -> tf.withName("cls_pooled").gather(lastHiddenState, tf.constant(0), tf.constant(1));
        };
    }

    private Operand<TFloat32> selfAttention(
            Operand<TFloat32> x,
            OnnxBertWeights weights,
            String prefix,
            Operand<TInt32> headsShape,
            Operand<TFloat32> scoreBias) {
        Operand<TFloat32> q = splitHeads(dense(x, weights, prefix + "query"), headsShape);
        Operand<TFloat32> k = splitHeads(dense(x, weights, prefix + "key"), headsShape);
        Operand<TFloat32> v = splitHeads(dense(x, weights, prefix + "value"), headsShape);
        Operand<TFloat32> scores =
                tf.math.mul(tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)), tf.constant((float)
                        (1.0 / Math.sqrt(config.headSize()))));
        Operand<TFloat32> probabilities = tf.nn.softmax(tf.math.add(scores, scoreBias));
        Operand<TFloat32> context = tf.train.batchMatMul(probabilities, v, TFloat32.class);
        // [batch, heads, length, headSize] -> [batch, length, heads, headSize] -> [batch * length, hidden]
        return tf.reshape(
                tf.linalg.transpose(context, tf.constant(new int[] {0, 2, 1, 3})),
                tf.constant(new int[] {-1, config.hidden()}));
    }

    /** {@code [batch * length, hidden]} to {@code [batch, heads, length, headSize]}. */
    private Operand<TFloat32> splitHeads(Operand<TFloat32> x, Operand<TInt32> headsShape) {
        return tf.linalg.transpose(tf.reshape(x, headsShape), tf.constant(new int[] {0, 2, 1, 3}));
    }

    private Operand<TFloat32> dense(Operand<TFloat32> x, OnnxBertWeights weights, String prefix) {
        Operand<TFloat32> y = tf.math.add(
                tf.linalg.matMul(x, constant(weights.get(prefix + ".weight"))),
                constant(weights.get(prefix + ".bias")));
        Operand<TFloat32> extra = hook.extra(tf, prefix + ".weight", x);
        return extra == null ? y : tf.math.add(y, extra);
    }

    /** Exact GELU, as BERT's "gelu" activation (not the tanh approximation). */
    private Operand<TFloat32> gelu(Operand<TFloat32> x) {
        Operand<TFloat32> cdf = tf.math.mul(
                tf.constant(0.5f),
                tf.math.add(tf.constant(1f), tf.math.erf(tf.math.mul(x, tf.constant((float) (1 / Math.sqrt(2)))))));
        return tf.math.mul(x, cdf);
    }

    private Operand<TFloat32> layerNorm(Operand<TFloat32> x, OnnxBertWeights weights, String prefix) {
        Operand<TInt32> lastAxis = tf.constant(-1);
        Operand<TFloat32> mean = tf.math.mean(x, lastAxis, Mean.keepDims(true));
        Operand<TFloat32> centered = tf.math.sub(x, mean);
        Operand<TFloat32> variance = tf.math.mean(tf.math.square(centered), lastAxis, Mean.keepDims(true));
        Operand<TFloat32> normalized =
                tf.math.div(centered, tf.math.sqrt(tf.math.add(variance, tf.constant(config.layerNormEps()))));
        return tf.math.add(
                tf.math.mul(normalized, constant(weights.get(prefix + ".weight"))),
                constant(weights.get(prefix + ".bias")));
    }

    private Operand<TFloat32> constant(Weight w) {
        return tf.constant(Shape.of(w.shape()), DataBuffers.of(w.values(), true, false));
    }
}
