package io.streamguard.model.heads;

import java.util.Arrays;
import java.util.Objects;

/**
 * A fully connected layer {@code y = activation(x · W + b)}.
 *
 * @param inputs input width
 * @param outputs output width
 * @param weights {@code inputs * outputs} floats, row-major {@code [inputs][outputs]} (TensorFlow's
 *     layout for a {@code [in, out]} kernel, so trained variables copy over without transposing)
 * @param bias {@code outputs} floats
 * @param activation applied after the bias
 */
public record Dense(int inputs, int outputs, float[] weights, float[] bias, Activation activation) {

    public Dense {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(bias, "bias");
        Objects.requireNonNull(activation, "activation");
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("layer must be at least 1x1, got " + inputs + "x" + outputs);
        }
        if (weights.length != (long) inputs * outputs) {
            throw new IllegalArgumentException(
                    "expected " + inputs + "x" + outputs + " weights, got " + weights.length);
        }
        if (bias.length != outputs) {
            throw new IllegalArgumentException("expected " + outputs + " biases, got " + bias.length);
        }
        for (float w : weights) {
            if (!Float.isFinite(w)) {
                throw new IllegalArgumentException("non-finite weight " + w);
            }
        }
        for (float b : bias) {
            if (!Float.isFinite(b)) {
                throw new IllegalArgumentException("non-finite bias " + b);
            }
        }
    }

    /** {@code activation(x · W + b)} for one input vector of {@link #inputs()} floats. */
    float[] apply(float[] x) {
        float[] y = bias.clone();
        for (int i = 0; i < inputs; i++) {
            float xi = x[i];
            if (xi == 0f) {
                continue; // ReLU outputs are often zero
            }
            int row = i * outputs;
            for (int o = 0; o < outputs; o++) {
                y[o] += xi * weights[row + o];
            }
        }
        if (activation == Activation.RELU) {
            for (int o = 0; o < outputs; o++) {
                y[o] = Math.max(0f, y[o]);
            }
        }
        return y;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dense d
                && inputs == d.inputs
                && outputs == d.outputs
                && activation == d.activation
                && Arrays.equals(weights, d.weights)
                && Arrays.equals(bias, d.bias);
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputs, outputs, activation, Arrays.hashCode(weights), Arrays.hashCode(bias));
    }

    @Override
    public String toString() {
        return "Dense[" + inputs + "x" + outputs + ", " + activation + "]";
    }
}
