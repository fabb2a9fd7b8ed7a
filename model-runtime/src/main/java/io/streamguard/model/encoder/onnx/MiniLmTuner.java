package io.streamguard.model.encoder.onnx;

import io.streamguard.model.encoder.EncoderException;
import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.graph.AdamStep;
import io.streamguard.model.graph.Losses;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.HeadKind;
import io.streamguard.model.tokenizer.EncodedBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Pattern;
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

/**
 * Multi-task fine-tuning of MiniLM with low-rank adapters: the encoder's weights stay frozen constants,
 * an adapter {@code A B} is trained beside each targeted kernel, and every task's head sits on the shared
 * mean-pooled feature, all in one graph with one Adam step per batch.
 *
 * <p>A batch mixes tasks (the caller samples them); each row carries its task, and a row's loss comes
 * only from its task's head: {@code loss = sum_t w_t * mean over rows of task t}. So the encoder learns
 * from every task at once, as the heads will read it, and one encoder pass serves all heads at inference.
 *
 * <p>Deterministic for a seed: adapters start from a seeded draw ({@code A}) and zeros ({@code B}, so
 * training starts exactly at the frozen encoder), and the single-threaded session keeps the arithmetic
 * in one order.
 */
public final class MiniLmTuner implements AutoCloseable {

    /**
     * What to adapt and how.
     *
     * @param targets kernel names to adapt, as a regex over HuggingFace parameter names
     * @param warmStart adapters to start from (a previous version's), or null for fresh ones
     */
    public record Spec(
            int rank, float alpha, Pattern targets, float learningRate, long seed, LowRankAdapters warmStart) {

        /**
         * The heads' step size as a share of the adapters': they start trained (a linear probe on the frozen
         * encoder), and a full step knocks them off their optimum before the encoder has moved.
         */
        public static final float HEAD_LEARNING_RATE_SHARE = 0.2f;

        public Spec {
            Objects.requireNonNull(targets, "targets");
            if (rank < 1 || !(alpha > 0) || !(learningRate > 0)) {
                throw new IllegalArgumentException(
                        "rank, alpha and learning rate must be positive: " + rank + ", " + alpha + ", " + learningRate);
            }
        }

        /** The query, value and both feed-forward kernels of every layer. */
        public static final Pattern ATTENTION_QV_AND_FFN = Pattern.compile(
                "encoder\\.layer\\.\\d+\\.(attention\\.self\\.(query|value)|intermediate\\.dense|output\\.dense)\\.weight");
    }

    /**
     * One task's head: standardise ({@code (x - mean) * scale}), dense layers with ReLU between, the last
     * emitting one logit (sigmoid) or one per class (softmax).
     *
     * @param layers per layer {kernel [in][out] row-major, bias}: the starting values
     * @param weight the task's loss weight
     */
    public record TaskHead(
            String name,
            HeadKind kind,
            int classes,
            Feature feature,
            float[] mean,
            float[] scale,
            List<float[][]> layers,
            float weight) {
        public TaskHead {
            Objects.requireNonNull(feature, "feature");
            layers = List.copyOf(layers);
        }

        int outputs() {
            return kind == HeadKind.SIGMOID ? 1 : classes;
        }
    }

    private final Graph graph;
    private final Session session;
    private final OnnxBertGraph encoder;
    private final Placeholder<TInt32> task;
    private final Placeholder<TInt32> label;
    private final Placeholder<TFloat32> beta1Power;
    private final Placeholder<TFloat32> beta2Power;
    private final Placeholder<TFloat32> learningRateFactor;
    private final Operand<TFloat32> loss;
    private final Op adamStep;
    private final List<Operand<TFloat32>> probabilities = new ArrayList<>();
    private final Map<String, Variable<TFloat32>[]> adapters = new LinkedHashMap<>();
    private final Map<String, int[]> adapterShapes = new LinkedHashMap<>();
    private final List<List<Variable<TFloat32>>> headVariables = new ArrayList<>();
    private final List<TaskHead> heads;
    private final Spec spec;

    private MiniLmTuner(OnnxBertModel model, OnnxBertWeights weights, Spec spec, List<TaskHead> heads) {
        this.spec = spec;
        this.heads = List.copyOf(heads);
        Graph g = new Graph();
        try {
            Ops tf = Ops.create(g);
            Random random = new Random(spec.seed());
            List<Variable<TFloat32>> trainable = new ArrayList<>();
            List<Variable<TFloat32>> headTrainable = new ArrayList<>();
            encoder = new OnnxBertGraph(
                    g, weights, model.pooling(), (ops, name, x) -> adapter(ops, name, x, weights, random, trainable));
            task = tf.withName("task").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            label = tf.withName("label").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
            beta1Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            beta2Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            learningRateFactor = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));

            Operand<TFloat32> total = tf.constant(0f);
            for (int t = 0; t < this.heads.size(); t++) {
                TaskHead head = this.heads.get(t);
                List<Variable<TFloat32>> vars = new ArrayList<>();
                int in = head.mean().length;
                for (float[][] layer : head.layers()) {
                    int out = layer[1].length;
                    vars.add(tf.variable(tf.constant(Shape.of(in, out), DataBuffers.of(layer[0], true, false))));
                    vars.add(tf.variable(tf.constant(layer[1])));
                    in = out;
                }
                headVariables.add(vars);
                headTrainable.addAll(vars);
                Operand<TFloat32> a = tf.math.mul(
                        tf.math.sub(feature(tf, head.feature()), tf.constant(head.mean())), tf.constant(head.scale()));
                for (int i = 0; i < vars.size() / 2; i++) {
                    a = tf.math.add(tf.linalg.matMul(a, vars.get(2 * i)), vars.get(2 * i + 1));
                    if (i < vars.size() / 2 - 1) {
                        a = tf.nn.relu(a);
                    }
                }
                Operand<TFloat32> perRow;
                if (head.kind() == HeadKind.SIGMOID) {
                    perRow = Losses.sigmoid(tf, a, label);
                    probabilities.add(tf.math.sigmoid(a));
                } else {
                    // Rows of other tasks may carry labels out of this head's range: clamp, they are masked out.
                    Operand<TInt32> y = tf.math.minimum(label, tf.constant(head.classes() - 1));
                    perRow = Losses.softmax(tf, a, y, head.classes());
                    probabilities.add(tf.nn.softmax(a));
                }
                Operand<TFloat32> mine = tf.dtypes.cast(tf.math.equal(task, tf.constant(t)), TFloat32.class);
                Operand<TFloat32> rows = tf.math.maximum(tf.reduceSum(mine, tf.constant(0)), tf.constant(1f));
                Operand<TFloat32> taskLoss = tf.math.div(tf.reduceSum(tf.math.mul(perRow, mine), tf.constant(0)), rows);
                total = tf.math.add(total, tf.math.mul(taskLoss, tf.constant(head.weight())));
            }
            loss = total;
            List<Variable<TFloat32>> all = new ArrayList<>(trainable);
            all.addAll(headTrainable);
            int adapterCount = trainable.size();
            // The heads start at a linear probe's optimum: they step at a fraction of the adapters' rate.
            adamStep = AdamStep.build(
                    tf,
                    total,
                    all,
                    i -> i < adapterCount ? spec.learningRate() : spec.learningRate() * Spec.HEAD_LEARNING_RATE_SHARE,
                    learningRateFactor,
                    beta1Power,
                    beta2Power);
            Session s = new Session(g);
            try {
                s.initialize();
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
            session = s;
        } catch (RuntimeException e) {
            g.close();
            throw new EncoderException("cannot build the MiniLM fine-tuning graph: " + e.getMessage(), e);
        }
        graph = g;
    }

    /**
     * The bundled all-MiniLM-L6-v2 (or the export at {@code modelPath}) with trainable adapters and the
     * given heads.
     */
    public static MiniLmTuner create(Path modelPath, Spec spec, List<TaskHead> heads) {
        return create(OnnxBertModel.MINILM_L6, modelPath, spec, heads);
    }

    /**
     * Any {@link OnnxBertModel} (bundled, or its export at {@code modelPath}) with trainable adapters and the
     * given heads: the graph is the inference graph, so the same LoRA recipe applies to bge-small-zh.
     */
    public static MiniLmTuner create(OnnxBertModel model, Path modelPath, Spec spec, List<TaskHead> heads) {
        try (ModelSource source = ModelSource.of(modelPath, model);
                InputStream in = source.open(model.onnxResource())) {
            return new MiniLmTuner(model, OnnxBertWeights.read(in, model.config()), spec, heads);
        } catch (IOException e) {
            throw new EncoderException("cannot read " + model.id() + ": " + e, e);
        }
    }

    /** The encoder output a head reads, as {@link Feature#extract} gives it at inference. */
    private Operand<TFloat32> feature(Ops tf, Feature feature) {
        return switch (feature) {
            case MEAN -> encoder.meanPooled;
            case POOLED -> encoder.pooled;
            case POOLED_AND_MEAN -> tf.concat(List.of(encoder.pooled, encoder.meanPooled), tf.constant(1));
        };
    }

    @SuppressWarnings("unchecked")
    private Operand<TFloat32> adapter(
            Ops tf,
            String name,
            Operand<TFloat32> x,
            OnnxBertWeights weights,
            Random random,
            List<Variable<TFloat32>> out) {
        if (!spec.targets().matcher(name).matches()) {
            return null;
        }
        Weight kernel = weights.get(name);
        int in = (int) kernel.shape()[0];
        int outputs = (int) kernel.shape()[1];
        int r = spec.rank();
        float[] a;
        float[] b;
        LowRankAdapters.Pair start =
                spec.warmStart() == null ? null : spec.warmStart().kernels().get(name);
        if (start != null
                && start.in() == in
                && start.out() == outputs
                && spec.warmStart().rank() == r) {
            a = start.a().clone();
            b = start.b().clone();
        } else {
            // Kaiming-uniform A as in the LoRA reference code, B zero: A B = 0, the frozen encoder exactly.
            a = new float[in * r];
            float bound = (float) (1 / Math.sqrt(in));
            for (int i = 0; i < a.length; i++) {
                a[i] = (random.nextFloat() * 2 - 1) * bound;
            }
            b = new float[r * outputs];
        }
        Variable<TFloat32> va = tf.variable(tf.constant(Shape.of(in, r), DataBuffers.of(a, true, false)));
        Variable<TFloat32> vb = tf.variable(tf.constant(Shape.of(r, outputs), DataBuffers.of(b, true, false)));
        adapters.put(name, new Variable[] {va, vb});
        adapterShapes.put(name, new int[] {in, outputs});
        out.add(va);
        out.add(vb);
        return tf.math.mul(tf.linalg.matMul(tf.linalg.matMul(x, va), vb), tf.constant(spec.alpha() / r));
    }

    /**
     * Adam step number {@code step} (1-based) on {@code batch}, whose row {@code i} belongs to task
     * {@code tasks[i]} (an index into the heads) with label {@code labels[i]}; returns the batch's weighted loss.
     */
    public double step(EncodedBatch batch, int[] tasks, int[] labels, long step) {
        return step(batch, tasks, labels, step, 1f);
    }

    /**
     * As {@link #step(EncodedBatch, int[], int[], long)}, at {@code learningRateFactor} times the spec's
     * learning rate (the caller's warm-up and decay schedule).
     */
    public double step(EncodedBatch batch, int[] tasks, int[] labels, long step, float learningRateFactor) {
        Shape shape = Shape.of(batch.size(), batch.sequenceLength());
        try (TInt32 ids = TInt32.tensorOf(shape, DataBuffers.of(batch.ids(), true, false));
                TInt32 mask = TInt32.tensorOf(shape, DataBuffers.of(batch.attentionMask(), true, false));
                TInt32 t = TInt32.vectorOf(tasks);
                TInt32 y = TInt32.vectorOf(labels);
                TFloat32 p1 = TFloat32.scalarOf(AdamStep.power1(step));
                TFloat32 p2 = TFloat32.scalarOf(AdamStep.power2(step));
                TFloat32 factor = TFloat32.scalarOf(learningRateFactor);
                Result r = session.runner()
                        .feed(encoder.inputIds, ids)
                        .feed(encoder.attentionMask, mask)
                        .feed(task, t)
                        .feed(label, y)
                        .feed(beta1Power, p1)
                        .feed(beta2Power, p2)
                        .feed(this.learningRateFactor, factor)
                        .addTarget(adamStep)
                        .fetch(loss)
                        .run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** Head {@code head}'s probabilities for every row, row-major {@code [rows, outputs]} (1 output for sigmoid). */
    public float[] probabilities(EncodedBatch batch, int head) {
        Shape shape = Shape.of(batch.size(), batch.sequenceLength());
        try (TInt32 ids = TInt32.tensorOf(shape, DataBuffers.of(batch.ids(), true, false));
                TInt32 mask = TInt32.tensorOf(shape, DataBuffers.of(batch.attentionMask(), true, false));
                Result r = session.runner()
                        .feed(encoder.inputIds, ids)
                        .feed(encoder.attentionMask, mask)
                        .fetch(probabilities.get(head))
                        .run()) {
            float[] out = new float[batch.size() * heads.get(head).outputs()];
            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
            return out;
        }
    }

    /** The mean-pooled features of the adapted encoder, row-major {@code [rows, hidden]}. */
    public float[] features(EncodedBatch batch) {
        Shape shape = Shape.of(batch.size(), batch.sequenceLength());
        try (TInt32 ids = TInt32.tensorOf(shape, DataBuffers.of(batch.ids(), true, false));
                TInt32 mask = TInt32.tensorOf(shape, DataBuffers.of(batch.attentionMask(), true, false));
                Result r = session.runner()
                        .feed(encoder.inputIds, ids)
                        .feed(encoder.attentionMask, mask)
                        .fetch(encoder.meanPooled)
                        .run()) {
            TFloat32 pooled = (TFloat32) r.get(0);
            float[] out = new float[Math.toIntExact(pooled.size())];
            pooled.copyTo(DataBuffers.of(out, false, false));
            return out;
        }
    }

    /** The adapters as trained so far. */
    public LowRankAdapters adapters() {
        Session.Runner runner = session.runner();
        adapters.values().forEach(pair -> {
            runner.fetch(pair[0]);
            runner.fetch(pair[1]);
        });
        Map<String, LowRankAdapters.Pair> out = new LinkedHashMap<>();
        try (Result r = runner.run()) {
            int i = 0;
            for (Map.Entry<String, int[]> e : adapterShapes.entrySet()) {
                float[] a = values((TFloat32) r.get(i++));
                float[] b = values((TFloat32) r.get(i++));
                out.put(e.getKey(), new LowRankAdapters.Pair(e.getValue()[0], e.getValue()[1], a, b));
            }
        }
        return new LowRankAdapters(spec.rank(), spec.alpha(), out);
    }

    /** Head {@code head}'s layers as trained so far: {kernel [in][out] row-major, bias} per layer. */
    public List<float[][]> headLayers(int head) {
        List<Variable<TFloat32>> vars = headVariables.get(head);
        Session.Runner runner = session.runner();
        vars.forEach(runner::fetch);
        List<float[][]> layers = new ArrayList<>();
        try (Result r = runner.run()) {
            for (int i = 0; i < vars.size(); i += 2) {
                layers.add(new float[][] {values((TFloat32) r.get(i)), values((TFloat32) r.get(i + 1))});
            }
        }
        return layers;
    }

    private static float[] values(TFloat32 t) {
        float[] out = new float[Math.toIntExact(t.size())];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
