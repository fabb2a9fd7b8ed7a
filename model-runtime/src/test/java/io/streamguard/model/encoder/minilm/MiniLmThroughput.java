package io.streamguard.model.encoder.minilm;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.tokenizer.EncodedBatch;
import java.util.Arrays;

/**
 * Manual benchmark, not a test: load time, then ms per batch for TensorFlow vs ONNX Runtime on
 * 8x32 and 32x128 (median of 10 after 3 warm-ups). Run with the test classpath.
 */
public final class MiniLmThroughput {

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        try (MiniLmEncoder encoder = MiniLmEncoder.load(Device.CPU);
                OnnxRuntimeReference ort = new OnnxRuntimeReference()) {
            System.out.printf("load (parse ONNX, build graph, session): %.0f ms%n", (System.nanoTime() - t0) / 1e6);
            for (int[] shape : new int[][] {{8, 32}, {32, 128}}) {
                EncodedBatch batch = batch(shape[0], shape[1]);
                double tf = median(() -> encoder.encode(batch));
                double onnx = median(() -> ort.lastHidden(batch));
                System.out.printf("%dx%d: TF %.1f ms (%.0f seq/s), ORT %.1f ms (%.0f seq/s), TF/ORT %.2f%n",
                        shape[0], shape[1], tf, shape[0] * 1000 / tf, onnx, shape[0] * 1000 / onnx, tf / onnx);
            }
        }
    }

    private static EncodedBatch batch(int size, int length) {
        int[] ids = new int[size * length];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1000 + random.nextInt(29000);
        }
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        int[] lengths = new int[size];
        Arrays.fill(lengths, length);
        return new EncodedBatch(size, length, ids, mask, lengths, new boolean[size]);
    }

    interface Run {
        void run() throws Exception;
    }

    private static double median(Run run) throws Exception {
        for (int i = 0; i < 3; i++) {
            run.run();
        }
        double[] ms = new double[10];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            run.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return (ms[4] + ms[5]) / 2;
    }
}
