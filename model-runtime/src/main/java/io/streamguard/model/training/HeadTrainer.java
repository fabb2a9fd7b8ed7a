package io.streamguard.model.training;

import io.streamguard.model.heads.Activation;
import io.streamguard.model.heads.Dense;
import io.streamguard.model.heads.Float16;
import io.streamguard.model.heads.Head;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Trains one {@link Head} on precomputed encoder features with TensorFlow: standardise (mean/std of
 * the training rows), then a linear layer or one ReLU hidden layer, class-weighted cross-entropy
 * plus l2, Adam on shuffled mini-batches, validation after every epoch, early stopping, and the
 * best epoch's weights copied out into the head.
 *
 * <p>Deterministic: initial weights, shuffling and dropout masks derive from
 * {@link TrainingOptions#seed()} only, so the same data and options give bit-identical weights on
 * the same machine and TensorFlow build (checked by {@code HeadTrainerTest}).
 */
public final class HeadTrainer {

    /**
     * Standard deviations are clamped to at least this before inverting, so a (near-)constant feature is
     * centred instead of blown up into noise.
     */
    static final float MIN_STD = 1e-3f;

    private final TrainingOptions options;

    public HeadTrainer(TrainingOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** {@link #train(HeadSpec, LabelledFeatures, LabelledFeatures, ValidationMetric, Consumer)} with the default metric, no progress. */
    public TrainingResult train(HeadSpec spec, LabelledFeatures train, LabelledFeatures validation) {
        return train(spec, train, validation, ValidationMetric.defaultFor(spec), stats -> {});
    }

    /**
     * Trains a head.
     *
     * @param spec name, kind and labels of the head
     * @param train training rows; labels in {@code [0, spec.classes())}, every class present
     * @param validation rows for the metric, early stopping and {@link TrainingResult#validationProbabilities()}
     * @param metric higher is better; see {@link ValidationMetric#defaultFor(HeadSpec)}
     * @param progress called after every epoch, on the calling thread
     * @throws IllegalArgumentException on inconsistent widths or labels, or a warm-start head of another shape
     * @throws TrainingException if TensorFlow fails or the loss stops being finite
     */
    public TrainingResult train(
            HeadSpec spec,
            LabelledFeatures train,
            LabelledFeatures validation,
            ValidationMetric metric,
            Consumer<EpochStats> progress) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(progress, "progress");
        int width = train.width();
        if (validation.width() != width) {
            throw new IllegalArgumentException(
                    "validation rows have " + validation.width() + " features, training rows " + width);
        }
        int classes = spec.classes();
        int[] counts = classCounts(train.y(), classes, "training");
        classCounts(validation.y(), classes, "validation");
        for (int c = 0; c < classes; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException("training data has no rows of class " + c);
            }
        }

        Head warm = options.warmStart();
        float[] mean;
        float[] scale;
        List<float[][]> initial;
        if (warm != null) {
            checkWarmStart(warm, spec, width);
            mean = warm.inputMean().clone();
            scale = warm.inputScale().clone();
            initial = new ArrayList<>();
            for (Dense layer : warm.layers()) {
                initial.add(new float[][] {layer.weights().clone(), layer.bias().clone()});
            }
        } else {
            mean = new float[width];
            scale = new float[width];
            standardisation(train, mean, scale);
            initial =
                    initialWeights(width, options.hiddenUnits(), spec.outputs(), new SplittableRandom(options.seed()));
        }

        float[] classWeights = new float[classes];
        for (int c = 0; c < classes; c++) {
            classWeights[c] = options.classWeighting() ? (float) ((double) train.rows() / (classes * counts[c])) : 1f;
        }

        try (TrainingGraph graph =
                        new TrainingGraph(spec.kind(), classes, mean, scale, initial, classWeights, options);
                TFloat32 trainX =
                        TFloat32.tensorOf(Shape.of(train.rows(), width), DataBuffers.of(train.x(), true, false));
                TInt32 trainY = TInt32.tensorOf(Shape.of(train.rows()), DataBuffers.of(train.y(), true, false));
                TFloat32 validationX = TFloat32.tensorOf(
                        Shape.of(validation.rows(), width), DataBuffers.of(validation.x(), true, false))) {
            return run(
                    spec, graph, trainX, trainY, train.rows(), validationX, validation, metric, progress, mean, scale);
        } catch (TrainingException e) {
            throw e;
        } catch (RuntimeException e) {
            // TF Java maps native status codes onto unrelated JDK exception types: one typed error for callers.
            throw new TrainingException("training head " + spec.name() + " failed: " + e, e);
        }
    }

    private TrainingResult run(
            HeadSpec spec,
            TrainingGraph graph,
            TFloat32 trainX,
            TInt32 trainY,
            int rows,
            TFloat32 validationX,
            LabelledFeatures validation,
            ValidationMetric metric,
            Consumer<EpochStats> progress,
            float[] mean,
            float[] scale) {
        SplittableRandom shuffle = new SplittableRandom(options.seed() ^ 0x9E3779B97F4A7C15L);
        int[] order = new int[rows];
        Arrays.setAll(order, i -> i);
        List<EpochStats> history = new ArrayList<>();
        List<float[][]> best = null;
        float[] bestProbabilities = null;
        double bestMetric = Double.NEGATIVE_INFINITY;
        int bestEpoch = 0;
        long step = 0;
        for (int epoch = 1; epoch <= options.maxEpochs(); epoch++) {
            long start = System.nanoTime();
            shuffle(order, shuffle);
            double lossSum = 0;
            for (int from = 0; from < rows; from += options.batchSize()) {
                int[] batch = Arrays.copyOfRange(order, from, Math.min(rows, from + options.batchSize()));
                double loss = graph.trainStep(trainX, trainY, batch, options.seed(), ++step);
                if (!Double.isFinite(loss)) {
                    throw new TrainingException("head " + spec.name() + ": loss is " + loss + " in epoch " + epoch
                            + "; lower the learning rate");
                }
                lossSum += loss * batch.length;
            }
            float[] probabilities = graph.probabilities(validationX, validation.rows());
            double value = metric.evaluate(probabilities, validation.y(), spec.outputs());
            boolean improved = value > bestMetric;
            if (improved) {
                bestMetric = value;
                bestEpoch = epoch;
                best = graph.weights();
                bestProbabilities = probabilities;
            }
            EpochStats stats =
                    new EpochStats(epoch, lossSum / rows, value, (System.nanoTime() - start) / 1e9, improved);
            history.add(stats);
            progress.accept(stats);
            if (epoch - bestEpoch >= options.patience()) {
                break;
            }
        }
        boolean stoppedEarly = history.size() < options.maxEpochs();
        Head head = toHead(spec, mean, scale, best);
        if (options.halfPrecisionWeights()) {
            // The best epoch is chosen at full precision; what is measured and returned is what will be stored.
            head = roundedKernels(head);
            bestProbabilities = probabilities(head, spec.outputs(), validation);
            bestMetric = metric.evaluate(bestProbabilities, validation.y(), spec.outputs());
        }
        return new TrainingResult(head, history, bestEpoch, bestMetric, bestProbabilities, stoppedEarly);
    }

    private static Head roundedKernels(Head head) {
        List<Dense> layers = new ArrayList<>();
        for (Dense layer : head.layers()) {
            layers.add(new Dense(
                    layer.inputs(), layer.outputs(), Float16.round(layer.weights()), layer.bias(), layer.activation()));
        }
        return new Head(head.name(), head.kind(), head.labels(), head.inputMean(), head.inputScale(), layers);
    }

    /** {@code head}'s outputs for every row, row-major like {@link TrainingGraph#probabilities}. */
    private static float[] probabilities(Head head, int outputs, LabelledFeatures data) {
        float[] all = new float[data.rows() * outputs];
        for (int r = 0; r < data.rows(); r++) {
            System.arraycopy(head.probabilities(data.row(r)), 0, all, r * outputs, outputs);
        }
        return all;
    }

    private static Head toHead(HeadSpec spec, float[] mean, float[] scale, List<float[][]> weights) {
        List<Dense> layers = new ArrayList<>();
        int in = mean.length;
        for (int i = 0; i < weights.size(); i++) {
            float[][] layer = weights.get(i);
            int out = layer[1].length;
            Activation activation = i < weights.size() - 1 ? Activation.RELU : Activation.NONE;
            layers.add(new Dense(in, out, layer[0], layer[1], activation));
            in = out;
        }
        return new Head(spec.name(), spec.kind(), spec.labels(), mean, scale, layers);
    }

    /** Mean and 1 / std (population, clamped at {@link #MIN_STD}) per feature, in double. */
    static void standardisation(LabelledFeatures data, float[] mean, float[] scale) {
        int d = data.width();
        int n = data.rows();
        float[] x = data.x();
        double[] sum = new double[d];
        for (int r = 0; r < n; r++) {
            for (int j = 0, o = r * d; j < d; j++) {
                sum[j] += x[o + j];
            }
        }
        double[] mu = new double[d];
        for (int j = 0; j < d; j++) {
            mu[j] = sum[j] / n;
        }
        double[] squares = new double[d];
        for (int r = 0; r < n; r++) {
            for (int j = 0, o = r * d; j < d; j++) {
                double centred = x[o + j] - mu[j];
                squares[j] += centred * centred;
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] = (float) mu[j];
            scale[j] = (float) (1.0 / Math.max(Math.sqrt(squares[j] / n), MIN_STD));
        }
    }

    /**
     * Glorot-uniform kernels (Keras' default) and zero biases; a linear head starts at all zeros (its
     * problem is convex, nothing to break symmetry for), i.e. at probability 1/2 or uniform.
     */
    private static List<float[][]> initialWeights(int width, int hidden, int outputs, SplittableRandom random) {
        List<float[][]> layers = new ArrayList<>();
        if (hidden == 0) {
            layers.add(new float[][] {new float[width * outputs], new float[outputs]});
            return layers;
        }
        int in = width;
        for (int out : new int[] {hidden, outputs}) {
            float[] kernel = new float[in * out];
            double limit = Math.sqrt(6.0 / (in + out));
            for (int i = 0; i < kernel.length; i++) {
                kernel[i] = (float) random.nextDouble(-limit, limit);
            }
            layers.add(new float[][] {kernel, new float[out]});
            in = out;
        }
        return layers;
    }

    private static void checkWarmStart(Head warm, HeadSpec spec, int width) {
        List<Dense> layers = warm.layers();
        boolean shape = warm.kind() == spec.kind()
                && warm.labels().equals(spec.labels())
                && warm.inputWidth() == width
                && (layers.size() == 1 || layers.size() == 2 && layers.get(0).activation() == Activation.RELU);
        if (!shape) {
            throw new IllegalArgumentException("cannot warm-start " + spec + " on " + width + " features from " + warm
                    + " (kind, labels, width and layers must match)");
        }
    }

    private static int[] classCounts(int[] labels, int classes, String split) {
        int[] counts = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(
                        split + " row " + i + " has label " + labels[i] + ", expected 0.." + (classes - 1));
            }
            counts[labels[i]]++;
        }
        return counts;
    }

    /** Fisher-Yates: the order after epoch e depends only on the seed. */
    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
