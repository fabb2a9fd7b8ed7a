package io.streamguard.model.encoder.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.streamguard.model.tokenizer.EncodedBatch;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;

/** ONNX Runtime on the same bundled model: the reference the TensorFlow graph must reproduce. */
final class OnnxRuntimeReference implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OnnxRuntimeReference(OnnxBertModel model) throws Exception {
        byte[] bytes;
        try (InputStream in = OnnxBertEncoder.class.getClassLoader().getResourceAsStream(model.onnxResource())) {
            bytes = in.readAllBytes();
        }
        session = env.createSession(bytes, new OrtSession.SessionOptions());
    }

    /** The model's first output, the last hidden state, row-major {@code [size, sequenceLength, hidden]}. */
    float[] lastHidden(EncodedBatch batch) throws OrtException {
        long[] shape = {batch.size(), batch.sequenceLength()};
        try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(toLongs(batch.ids())), shape);
                OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(toLongs(batch.attentionMask())), shape);
                OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[batch.ids().length]), shape);
                OrtSession.Result result =
                        session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] hidden = new float[out.remaining()];
            out.get(hidden);
            return hidden;
        }
    }

    /** Attention-masked mean of {@link #lastHidden}, accumulated in double. */
    static float[] meanPool(float[] hidden, EncodedBatch batch, int width) {
        int l = batch.sequenceLength();
        float[] mean = new float[batch.size() * width];
        for (int b = 0; b < batch.size(); b++) {
            double[] sum = new double[width];
            int count = 0;
            for (int t = 0; t < l; t++) {
                if (batch.attentionMask()[b * l + t] == 0) {
                    continue;
                }
                count++;
                for (int d = 0; d < width; d++) {
                    sum[d] += hidden[(b * l + t) * width + d];
                }
            }
            for (int d = 0; d < width; d++) {
                mean[b * width + d] = (float) (sum[d] / Math.max(count, 1));
            }
        }
        return mean;
    }

    private static long[] toLongs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
