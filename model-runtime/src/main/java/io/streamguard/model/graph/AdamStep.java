package io.streamguard.model.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One Adam step on a list of variables, with TensorFlow's {@code ApplyAdam} kernel. The bias-correction
 * powers {@code beta^t} are fed per step from Java ({@link #power1}, {@link #power2}), so there is no power
 * variable whose update could race the updates that read it (tensorflow-framework 1.0.0's {@code Adam}
 * assigns its power variables without depending on the {@code ApplyAdam} ops, and was not repeatable here).
 *
 * <p>Updates also wait for every gradient: variables are ref-typed and read in place, so an early update of
 * an output kernel could race the backward MatMul that reads it for the layer below.
 */
public final class AdamStep {
    /** Adam's defaults (Kingma and Ba; Keras). */
    public static final float BETA1 = 0.9f;

    public static final float BETA2 = 0.999f;
    public static final float EPSILON = 1e-7f;

    private AdamStep() {}

    /**
     * The op that takes one step on {@code variables} towards a lower {@code loss}.
     *
     * @param learningRate the step size of variable {@code i}
     * @param beta1Power a scalar fed {@code BETA1^step} each step
     * @param beta2Power a scalar fed {@code BETA2^step} each step
     */
    public static Op build(
            Ops tf,
            Operand<TFloat32> loss,
            List<Variable<TFloat32>> variables,
            IntToDoubleFunction learningRate,
            Operand<TFloat32> beta1Power,
            Operand<TFloat32> beta2Power) {
        return build(tf, loss, variables, learningRate, tf.constant(1f), beta1Power, beta2Power);
    }

    /**
     * As {@link #build(Ops, Operand, List, IntToDoubleFunction, Operand, Operand)}, with every step size
     * multiplied by {@code learningRateFactor}, a scalar the caller feeds per step (a warm-up and decay
     * schedule).
     */
    public static Op build(
            Ops tf,
            Operand<TFloat32> loss,
            List<Variable<TFloat32>> variables,
            IntToDoubleFunction learningRate,
            Operand<TFloat32> learningRateFactor,
            Operand<TFloat32> beta1Power,
            Operand<TFloat32> beta2Power) {
        Gradients gradients = tf.gradients(loss, variables);
        List<Op> computed = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            computed.add(tf.identity(gradients.<TFloat32>dy(i)));
        }
        Ops afterGradients = tf.withControlDependencies(computed);
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            Variable<TFloat32> v = variables.get(i);
            // Static shape: a Shape op on a variable would read it before its initializer ran.
            Operand<TFloat32> zeros = tf.zeros(tf.constant(v.shape().asArray()), TFloat32.class);
            Variable<TFloat32> m = tf.variable(zeros);
            Variable<TFloat32> s = tf.variable(zeros);
            updates.add(afterGradients.train.applyAdam(
                    v,
                    m,
                    s,
                    beta1Power,
                    beta2Power,
                    tf.math.mul(tf.constant((float) learningRate.applyAsDouble(i)), learningRateFactor),
                    tf.constant(BETA1),
                    tf.constant(BETA2),
                    tf.constant(EPSILON),
                    gradients.<TFloat32>dy(i)));
        }
        return tf.withControlDependencies(updates).noOp();
    }

    /** {@code BETA1^step}, fed for step {@code step} (1-based). */
    public static float power1(long step) {
        return (float) Math.pow(BETA1, step);
    }

    /** {@code BETA2^step}, fed for step {@code step} (1-based). */
    public static float power2(long step) {
        return (float) Math.pow(BETA2, step);
    }
}
