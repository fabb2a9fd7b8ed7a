package io.streamguard.model.training;

import io.streamguard.model.graph.AdamStep;
import io.streamguard.model.graph.Losses;
import io.streamguard.model.heads.HeadKind;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The head as a TensorFlow graph with its loss and an Adam step ({@link AdamStep}), in one session.
 *
 * <p>A whole split is fed as one features tensor and each run gathers its batch rows in-graph by
 * index, so the Java side never copies feature rows per step (TF aliases a fed tensor's buffer).
 * The training path (dropout) and the evaluation path (none) share the variables. Only core ops
 * with C++ gradients are used ({@code Square} of a variable crashes TF 2.18's gradient builder, so
 * the l2 term is {@code L2Loss}).
 */
final class TrainingGraph implements AutoCloseable {

    /** Rows per evaluation run: bounds the activations of a large validation split. */
    private static final int EVAL_CHUNK = 8192;

    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> features;
    private final Placeholder<TInt32> rows;
    private final Placeholder<TInt32> labels;
    private final Placeholder<TInt64> dropoutSeed;
    private final Placeholder<TFloat32> beta1Power;
    private final Placeholder<TFloat32> beta2Power;
    private final Operand<TFloat32> dataLoss;
    private final Op adamStep;
    private final Operand<TFloat32> probabilities;
    /** Kernel and bias of each layer, in order. */
    private final List<Variable<TFloat32>> variables = new ArrayList<>();

    private final int outputs;

    /**
     * @param initial per layer {kernel [in][out] row-major, bias}; one layer, or a ReLU layer then the output layer
     * @param classWeights loss weight per class index
     */
    TrainingGraph(
            HeadKind kind,
            int classes,
            float[] mean,
            float[] scale,
            List<float[][]> initial,
            float[] classWeights,
            TrainingOptions options) {
        this.outputs = kind == HeadKind.SIGMOID ? 1 : classes;
        this.graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            int width = mean.length;
            features = tf.withName("features").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, width)));
            rows = tf.withName("rows").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            dropoutSeed = tf.withName("dropout_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
            beta1Power = tf.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            beta2Power = tf.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));

            int in = width;
            for (float[][] layer : initial) {
                int out = layer[1].length;
                variables.add(tf.variable(tf.constant(Shape.of(in, out), DataBuffers.of(layer[0], true, false))));
                variables.add(tf.variable(tf.constant(layer[1])));
                in = out;
            }

            Operand<TFloat32> x = tf.math.mul(
                    tf.math.sub(tf.gather(features, rows, tf.constant(0)), tf.constant(mean)), tf.constant(scale));
            Operand<TFloat32> trainLogits = logits(tf, x, options, true);
            Operand<TFloat32> evalLogits = logits(tf, x, options, false);

            Operand<TInt32> y = tf.gather(labels, rows, tf.constant(0));
            Operand<TFloat32> perRow;
            if (kind == HeadKind.SIGMOID) {
                perRow = Losses.sigmoid(tf, trainLogits, y);
                probabilities = tf.math.sigmoid(evalLogits);
            } else {
                perRow = Losses.softmax(tf, trainLogits, y, classes);
                probabilities = tf.nn.softmax(evalLogits);
            }
            Operand<TFloat32> rowWeights = tf.gather(tf.constant(classWeights), y, tf.constant(0));
            dataLoss = tf.math.mean(tf.math.mul(perRow, rowWeights), tf.constant(0));

            Operand<TFloat32> loss = dataLoss;
            if (options.l2() > 0) {
                for (int i = 0; i < variables.size(); i += 2) {
                    // l2Loss is sum(w^2) / 2
                    loss = tf.math.add(loss, tf.math.mul(tf.constant(options.l2()), tf.nn.l2Loss(variables.get(i))));
                }
            }
            adamStep = AdamStep.build(tf, loss, variables, i -> options.learningRate(), beta1Power, beta2Power);
            // Assigns every variable's initial value (and Adam's slots) once.
            Session s = new Session(graph);
            try {
                s.initialize();
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
            session = s;
        } catch (RuntimeException e) {
            graph.close();
            throw new TrainingException("cannot build the training graph: " + e.getMessage(), e);
        }
    }

    private Operand<TFloat32> logits(Ops tf, Operand<TFloat32> x, TrainingOptions options, boolean training) {
        Operand<TFloat32> a = training ? dropout(tf, x, options.inputDropout(), dropoutSeed) : x;
        int layers = variables.size() / 2;
        for (int i = 0; i < layers; i++) {
            a = tf.math.add(tf.linalg.matMul(a, variables.get(2 * i)), variables.get(2 * i + 1));
            if (i < layers - 1) {
                a = tf.nn.relu(a);
                if (training) {
                    Operand<TInt64> hiddenSeed = tf.math.add(dropoutSeed, tf.constant(new long[] {0, 1}));
                    a = dropout(tf, a, options.hiddenDropout(), hiddenSeed);
                }
            }
        }
        return a;
    }

    /** Inverted dropout whose mask is a pure function of {@code seed}, so runs repeat exactly. */
    private static Operand<TFloat32> dropout(Ops tf, Operand<TFloat32> x, float rate, Operand<TInt64> seed) {
        if (rate == 0) {
            return x;
        }
        Operand<TFloat32> uniform = tf.random.statelessRandomUniform(tf.shape(x), seed, TFloat32.class);
        Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant(rate)), TFloat32.class);
        return tf.math.mul(x, tf.math.mul(keep, tf.constant(1 / (1 - rate))));
    }

    /**
     * Adam step number {@code step} (1-based) on {@code batch} (row indices into {@code x}); returns the
     * batch's weighted mean loss without l2. Dropout masks derive from {@code seed} and {@code step}.
     */
    double trainStep(TFloat32 x, TInt32 y, int[] batch, long seed, long step) {
        try (TInt32 batchRows = TInt32.vectorOf(batch);
                // Two seeds per step: the input mask uses (seed, 2 step), the hidden mask (seed, 2 step + 1).
                TInt64 seedTensor = TInt64.vectorOf(seed, 2 * step);
                TFloat32 power1 = TFloat32.scalarOf(AdamStep.power1(step));
                TFloat32 power2 = TFloat32.scalarOf(AdamStep.power2(step));
                Result result = session.runner()
                        .feed(features, x)
                        .feed(labels, y)
                        .feed(rows, batchRows)
                        .feed(dropoutSeed, seedTensor)
                        .feed(beta1Power, power1)
                        .feed(beta2Power, power2)
                        .addTarget(adamStep)
                        .fetch(dataLoss)
                        .run()) {
            return ((TFloat32) result.get(0)).getFloat();
        }
    }

    /** Probabilities for all {@code count} rows of {@code x}, row-major {@code [count, outputs]}. */
    float[] probabilities(TFloat32 x, int count) {
        float[] out = new float[count * outputs];
        for (int start = 0; start < count; start += EVAL_CHUNK) {
            int n = Math.min(EVAL_CHUNK, count - start);
            int[] chunk = new int[n];
            for (int i = 0; i < n; i++) {
                chunk[i] = start + i;
            }
            try (TInt32 chunkRows = TInt32.vectorOf(chunk);
                    Result result = session.runner()
                            .feed(features, x)
                            .feed(rows, chunkRows)
                            .fetch(probabilities)
                            .run()) {
                float[] part = new float[n * outputs];
                ((TFloat32) result.get(0)).copyTo(DataBuffers.of(part, false, false));
                System.arraycopy(part, 0, out, start * outputs, part.length);
            }
        }
        return out;
    }

    /** Current values of every layer: {kernel [in][out] row-major, bias}. */
    List<float[][]> weights() {
        Session.Runner runner = session.runner();
        variables.forEach(runner::fetch);
        List<float[][]> layers = new ArrayList<>();
        try (Result result = runner.run()) {
            for (int i = 0; i < variables.size(); i += 2) {
                TFloat32 kernel = (TFloat32) result.get(i);
                TFloat32 bias = (TFloat32) result.get(i + 1);
                float[] k = new float[Math.toIntExact(kernel.size())];
                float[] b = new float[Math.toIntExact(bias.size())];
                kernel.copyTo(DataBuffers.of(k, false, false));
                bias.copyTo(DataBuffers.of(b, false, false));
                layers.add(new float[][] {k, b});
            }
        }
        return layers;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
