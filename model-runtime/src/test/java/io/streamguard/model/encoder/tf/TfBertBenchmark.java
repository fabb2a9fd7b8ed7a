package io.streamguard.model.encoder.tf;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Encoder;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.tokenizer.EncodedBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Rough timings of {@link TfBertEncoder} (unpack, load, ms per batch) and a native-memory leak check
 * (resident set size around 2,000 single-text calls). A measurement, not a test: run it by hand, e.g.
 *
 * <pre>
 * mvn -q -pl model-runtime test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp model-runtime/target/test-classes:model-runtime/target/classes:$(cat model-runtime/target/cp.txt) \
 *      io.streamguard.model.encoder.tf.TfBertBenchmark model-runtime/target/bench-cache [CPU|GPU|AUTO] [calls]
 * </pre>
 * The cache directory given is deleted first, so the unpack is timed too. For the memory check, pin
 * the heap ({@code -Xms512m -Xmx512m -XX:+AlwaysPreTouch}) so RSS growth can only be native.
 */
public final class TfBertBenchmark {

    private TfBertBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path cache = Path.of(args.length > 0 ? args[0] : "target/bench-cache");
        Device device = args.length > 1 ? Device.valueOf(args[1]) : Device.AUTO;
        SavedModelCache.deleteRecursively(cache);
        EncoderConfig config = EncoderConfig.of(EncoderConfig.BERT_BASE_UNCASED).withCacheDir(cache).withDevice(device);

        long t0 = System.nanoTime();
        TfBertEncoder.modelDir(config);
        long t1 = System.nanoTime();
        try (LoadedEncoder loaded = EncoderFactory.create(config)) {
            long t2 = System.nanoTime();
            System.out.printf("unpack %d ms, load %d ms, device %s%n", (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                    loaded.encoder().info().device());
            Encoder encoder = loaded.encoder();
            for (int[] shape : new int[][] {{8, 32}, {32, 128}}) {
                EncodedBatch batch = randomBatch(shape[0], shape[1]);
                for (int i = 0; i < 3; i++) {
                    encoder.encode(batch); // warm-up
                }
                int runs = shape[1] > 64 ? 10 : 30;
                long start = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    encoder.encode(batch);
                }
                double ms = (System.nanoTime() - start) / 1e6 / runs;
                System.out.printf("%dx%d: %.1f ms/batch, %.0f seq/s%n", shape[0], shape[1], ms, shape[0] * 1000 / ms);
            }

            List<EncodedBatch> shortTexts = List.of(
                    loaded.tokenizer().encodeBatch(List.of("you are awesome")),
                    loaded.tokenizer().encodeBatch(List.of("buy cheap pills now")),
                    loaded.tokenizer().encodeBatch(List.of("see you at 5", "ok thanks")));
            for (int i = 0; i < 200; i++) {
                encoder.encode(shortTexts.get(i % 3));
            }
            System.gc();
            long warm = rssKb();
            int calls = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                encoder.encode(shortTexts.get(i % 3));
                if ((i + 1) % 500 == 0) {
                    System.gc(); // so Java heap growth does not pass for a native leak
                    System.out.printf("  after %d calls: RSS %d MB%n", i + 1, rssKb() / 1024);
                }
            }
            double perCall = (System.nanoTime() - start) / 1e6 / calls;
            System.gc();
            long after = rssKb();
            System.out.printf("RSS after warm-up %d MB, after %d more calls %d MB (%+d KB, %.2f KB/call); %.1f ms/call%n",
                    warm / 1024, calls, after / 1024, after - warm, (after - warm) / (double) calls, perCall);
        }
    }

    private static EncodedBatch randomBatch(int size, int length) {
        Random random = new Random(1);
        int[] ids = new int[size * length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i % length == 0 ? 101 : i % length == length - 1 ? 102 : 1996 + random.nextInt(27000);
        }
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        int[] lengths = new int[size];
        Arrays.fill(lengths, length);
        return new EncodedBatch(size, length, ids, mask, lengths, new boolean[size]);
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
