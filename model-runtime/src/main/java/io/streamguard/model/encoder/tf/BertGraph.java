package io.streamguard.model.encoder.tf;

import io.streamguard.model.encoder.EncoderException;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * The tensors {@link TfBertEncoder} feeds and fetches in the loaded SavedModel: the names its
 * {@value #SIGNATURE} signature gives for the three inputs and two outputs, plus the masked mean this
 * class adds to the graph, so the {@code [B, L, 768]} activations never have to be copied out.
 */
final class BertGraph {

    static final String SIGNATURE = "serving_default";

    final String inputIds;
    final String inputMask;
    final String segmentIds;
    /** {@code [B, 768]}: BERT's pooler, {@code tanh(W · h[CLS])}. */
    final String pooledOutput;
    /** {@code [B, L, 768]}: the last layer. */
    final String sequenceOutput;
    /** {@code [B, 768]}: attention-masked mean of {@link #sequenceOutput}, added by this class. */
    final Operand<TFloat32> maskedMean;

    /** Reads the signature of {@code bundle} and adds the masked mean to its graph. */
    BertGraph(SavedModelBundle bundle) {
        SignatureDef signature = bundle.metaGraphDef().getSignatureDefMap().get(SIGNATURE);
        if (signature == null) {
            throw new EncoderException("SavedModel has no '" + SIGNATURE + "' signature; has "
                    + bundle.metaGraphDef().getSignatureDefMap().keySet());
        }
        this.inputIds = tensorName(signature.getInputsMap(), "input_ids", "input");
        this.inputMask = tensorName(signature.getInputsMap(), "input_mask", "input");
        this.segmentIds = tensorName(signature.getInputsMap(), "segment_ids", "input");
        this.pooledOutput = tensorName(signature.getOutputsMap(), "pooled_output", "output");
        this.sequenceOutput = tensorName(signature.getOutputsMap(), "sequence_output", "output");
        this.maskedMean = buildMaskedMean(bundle.graph(), inputMask, sequenceOutput);
    }

    /** Adds {@code sum(seq * mask) / max(sum(mask), 1)} over the sequence axis to the graph. */
    private static Operand<TFloat32> buildMaskedMean(Graph graph, String maskTensor, String sequenceTensor) {
        Ops tf = Ops.create(graph).withSubScope("streamguard_masked_mean");
        Output<TInt32> mask = graphOutput(graph, maskTensor);
        Output<TFloat32> sequence = graphOutput(graph, sequenceTensor);
        Operand<TFloat32> weights = tf.dtypes.cast(mask, TFloat32.class); // [B, L]
        Operand<TFloat32> summed =
                tf.reduceSum(tf.math.mul(sequence, tf.expandDims(weights, tf.constant(-1))), tf.constant(1)); // [B, H]
        Operand<TFloat32> counts = tf.math.maximum(
                tf.reduceSum(weights, tf.constant(1), ReduceSum.keepDims(true)),
                tf.constant(1f)); // [B, 1]; an all-padding row gives zeros, not NaN
        return tf.withName("mean").math.div(summed, counts);
    }

    private static <T extends TType> Output<T> graphOutput(Graph graph, String tensorName) {
        int colon = tensorName.lastIndexOf(':');
        String opName = colon < 0 ? tensorName : tensorName.substring(0, colon);
        int index = colon < 0 ? 0 : Integer.parseInt(tensorName.substring(colon + 1));
        GraphOperation op = graph.operation(opName);
        if (op == null) {
            throw new EncoderException("SavedModel graph has no operation " + opName);
        }
        return op.output(index);
    }

    private static String tensorName(Map<String, TensorInfo> tensors, String key, String kind) {
        TensorInfo tensor = tensors.get(key);
        if (tensor == null) {
            throw new EncoderException(
                    "SavedModel signature has no " + kind + " '" + key + "'; has " + tensors.keySet());
        }
        return tensor.getName();
    }
}
