package io.streamguard.model.graph;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Per-row cross-entropies on logits, numerically safe. */
public final class Losses {
    private Losses() {}

    /**
     * Binary cross-entropy of one logit per row ({@code [rows, 1]} or {@code [rows]}) against 0/1 labels:
     * {@code max(z, 0) - z y + log(1 + exp(-|z|))}, which never overflows.
     */
    public static Operand<TFloat32> sigmoid(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
        Operand<TFloat32> z = tf.reshape(logits, tf.constant(new int[] {-1}));
        Operand<TFloat32> y = tf.dtypes.cast(labels, TFloat32.class);
        return tf.math.add(
                tf.math.sub(tf.nn.relu(z), tf.math.mul(z, y)), tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(z)))));
    }

    /** Categorical cross-entropy of {@code [rows, classes]} logits against class indices. */
    public static Operand<TFloat32> softmax(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels, int classes) {
        Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
        return tf.math.neg(tf.reduceSum(tf.math.mul(oneHot, tf.nn.logSoftmax(logits)), tf.constant(1)));
    }
}
