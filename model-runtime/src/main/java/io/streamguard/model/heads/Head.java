package io.streamguard.model.heads;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One classifier on top of the shared encoder features: standardise, then a small stack of dense
 * layers whose last one emits one logit per label.
 *
 * @param name e.g. {@code moderation} or {@code sentiment}; unique within a model
 * @param kind sigmoid (independent labels) or softmax (one class)
 * @param labels output names in logit order; for {@link HeadKind#SIGMOID} each is a moderation
 *     label such as {@code offensive}, for {@link HeadKind#SOFTMAX} a class such as {@code positive}
 * @param inputMean subtracted from the feature before the first layer (per dimension)
 * @param inputScale the feature is multiplied by it after subtracting the mean (1 / std)
 * @param layers at least one; the first takes {@code inputMean.length} inputs, the last emits
 *     {@code labels.size()} logits with no activation
 */
public record Head(
        String name, HeadKind kind, List<String> labels, float[] inputMean, float[] inputScale, List<Dense> layers) {

    public Head {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        labels = List.copyOf(labels);
        layers = List.copyOf(layers);
        Objects.requireNonNull(inputMean, "inputMean");
        Objects.requireNonNull(inputScale, "inputScale");
        if (name.isBlank()) {
            throw new IllegalArgumentException("head name is blank");
        }
        if (labels.isEmpty() || new HashSet<>(labels).size() != labels.size()) {
            throw new IllegalArgumentException("head " + name + " needs distinct labels, got " + labels);
        }
        if (kind == HeadKind.SOFTMAX && labels.size() < 2) {
            throw new IllegalArgumentException("softmax head " + name + " needs at least 2 classes, got " + labels);
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("head " + name + " has no layers");
        }
        if (inputMean.length != inputScale.length
                || inputMean.length != layers.get(0).inputs()) {
            throw new IllegalArgumentException(
                    "head " + name + ": normaliser has " + inputMean.length + "/" + inputScale.length
                            + " dimensions, first layer takes " + layers.get(0).inputs());
        }
        for (int i = 0; i < inputMean.length; i++) {
            // Dense rejects non-finite weights; a NaN here would poison every score just the same.
            if (!Float.isFinite(inputMean[i]) || !Float.isFinite(inputScale[i])) {
                throw new IllegalArgumentException("head " + name + ": non-finite normaliser at dimension " + i
                        + " (mean " + inputMean[i] + ", scale " + inputScale[i] + ")");
            }
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
                throw new IllegalArgumentException("head " + name + ": layer " + i + " takes "
                        + layers.get(i).inputs() + " inputs but layer " + (i - 1) + " emits "
                        + layers.get(i - 1).outputs());
            }
        }
        Dense last = layers.get(layers.size() - 1);
        if (last.outputs() != labels.size() || last.activation() != Activation.NONE) {
            throw new IllegalArgumentException("head " + name + ": last layer must emit " + labels.size()
                    + " logits without activation, is " + last);
        }
    }

    /** The feature width this head reads. */
    public int inputWidth() {
        return inputMean.length;
    }

    /** Logits for one feature vector. */
    public float[] logits(float[] feature) {
        if (feature.length != inputMean.length) {
            throw new IllegalArgumentException(
                    "head " + name + " takes " + inputMean.length + " features, got " + feature.length);
        }
        float[] x = new float[feature.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (feature[i] - inputMean[i]) * inputScale[i];
        }
        for (Dense layer : layers) {
            x = layer.apply(x);
        }
        return x;
    }

    /** Probabilities for one feature vector: per label for sigmoid heads, a distribution for softmax. */
    public float[] probabilities(float[] feature) {
        float[] z = logits(feature);
        if (kind == HeadKind.SIGMOID) {
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (1.0 / (1.0 + Math.exp(-z[i])));
            }
            return z;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max); // shifted so large logits cannot overflow
            sum += e[i];
        }
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (e[i] / sum);
        }
        return z;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Head h
                && name.equals(h.name)
                && kind == h.kind
                && labels.equals(h.labels)
                && Arrays.equals(inputMean, h.inputMean)
                && Arrays.equals(inputScale, h.inputScale)
                && layers.equals(h.layers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, labels, Arrays.hashCode(inputMean), Arrays.hashCode(inputScale), layers);
    }

    @Override
    public String toString() {
        return "Head[" + name + ", " + kind + " " + labels + ", " + layers + "]";
    }
}
