package io.streamguard.launcher.bench;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Native-memory check: encodes many batches of short real texts and samples the process's resident
 * set size ({@code VmRSS} in {@code /proc/self/status}) after a warm-up and then every tenth of the
 * run, with a {@code System.gc()} before each sample. Run it with a pinned, pre-touched heap
 * ({@code -Xms512m -Xmx512m -XX:+AlwaysPreTouch}) so RSS growth can only be native: a tensor or
 * result left unclosed shows as steady growth.
 *
 * <p>The batches are tokenized once and cycled, so the time goes to inference.
 */
final class MemoryBenchmark {

    public static final long DEFAULT_TEXTS = 1_000_000;
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Short texts: at most this many word pieces with [CLS] and [SEP], as moderated chat mostly is. */
    static final int SHORT_TEXT_TOKENS = 24;
    /** Distinct batches cycled through (different padded lengths, as in production). */
    private static final int DISTINCT_BATCHES = 64;

    private static final int SAMPLES = 10;

    /**
     * @param encoderId the encoder to run
     * @param device where it runs
     * @param datasets the shared datasets directory
     * @param texts texts to encode after the warm-up (rounded up to whole batches)
     * @param batchSize texts per batch
     * @param cacheDir where BERT-base's weights are unpacked
     */
    public record Options(String encoderId, Device device, Path datasets, long texts, int batchSize, Path cacheDir) {
        public Options {
            Objects.requireNonNull(encoderId, "encoderId");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(datasets, "datasets");
            Objects.requireNonNull(cacheDir, "cacheDir");
            if (texts < 1 || batchSize < 1) {
                throw new IllegalArgumentException(
                        "texts and batch size must be at least 1, got " + texts + ", " + batchSize);
            }
        }
    }

    /** RSS after {@code texts} texts (0: right after the warm-up), {@code seconds} into the timed run. */
    public record Sample(long texts, long rssKb, double seconds) {}

    /**
     * @param heapMaxMb the JVM's maximum heap ({@code -Xmx}), for the record
     * @param heapCommittedMb heap committed at the end; equal to the maximum when the heap is pinned
     */
    public record Report(
            Machine machine,
            String encoderId,
            Device device,
            int batchSize,
            long heapMaxMb,
            long heapCommittedMb,
            List<Sample> samples) {

        public Report {
            samples = List.copyOf(samples);
        }

        /** Last sample's RSS minus the first's (after the warm-up). */
        public long growthKb() {
            return samples.get(samples.size() - 1).rssKb() - samples.get(0).rssKb();
        }

        /** Texts encoded after the warm-up. */
        public long texts() {
            return samples.get(samples.size() - 1).texts();
        }

        /** One summary line. */
        public String summary() {
            Sample first = samples.get(0);
            Sample last = samples.get(samples.size() - 1);
            return String.format(
                    "%s on %s, batches of %d: RSS %d MB after warm-up, %d MB after %,d texts"
                            + " (%+,d KB, %.3f bytes/text) in %.0f s (%.0f texts/s); heap max %d MB, committed %d MB",
                    encoderId,
                    device,
                    batchSize,
                    first.rssKb() / 1024,
                    last.rssKb() / 1024,
                    last.texts(),
                    growthKb(),
                    growthKb() * 1024.0 / last.texts(),
                    last.seconds(),
                    last.texts() / last.seconds(),
                    heapMaxMb,
                    heapCommittedMb);
        }
    }

    private MemoryBenchmark() {}

    /**
     * Runs the check; {@code onSample} hears each sample as it is taken.
     *
     * @throws BenchmarkException if the texts or {@code /proc/self/status} cannot be read
     * @throws io.streamguard.model.encoder.EncoderException if the encoder cannot be loaded or fails
     */
    public static Report run(Options options, Consumer<Sample> onSample) {
        List<String> texts = DatasetTexts.mixed(options.datasets(), 3_000);
        EncoderConfig config = EncoderConfig.of(options.encoderId())
                .withDevice(options.device())
                .withCacheDir(options.cacheDir());
        try (LoadedEncoder loaded = EncoderFactory.create(config)) {
            List<EncodedBatch> batches = shortBatches(loaded.tokenizer(), texts, options.batchSize());
            long totalBatches = (options.texts() + options.batchSize() - 1) / options.batchSize();
            // Warm-up: TensorFlow's per-shape caches and the JIT settle before the first sample.
            for (int i = 0; i < Math.min(totalBatches, 4L * batches.size()); i++) {
                loaded.encoder().encode(batches.get(i % batches.size()));
            }
            List<Sample> samples = new ArrayList<>();
            long start = System.nanoTime();
            samples.add(sample(0, start, onSample));
            long encoded = 0;
            for (long i = 0; i < totalBatches; i++) {
                EncodedBatch batch = batches.get((int) (i % batches.size()));
                loaded.encoder().encode(batch);
                encoded += batch.size();
                if ((i + 1) * SAMPLES / totalBatches != i * SAMPLES / totalBatches) {
                    samples.add(sample(encoded, start, onSample));
                }
            }
            Runtime rt = Runtime.getRuntime();
            return new Report(
                    Machine.current(),
                    options.encoderId(),
                    loaded.encoder().info().device(),
                    options.batchSize(),
                    rt.maxMemory() >> 20,
                    rt.totalMemory() >> 20,
                    samples);
        }
    }

    private static Sample sample(long texts, long start, Consumer<Sample> onSample) {
        System.gc(); // so garbage on the Java heap does not pass for native growth
        Sample s = new Sample(texts, rssKb(), (System.nanoTime() - start) / 1e9);
        onSample.accept(s);
        return s;
    }

    /** Batches of texts of at most {@link #SHORT_TEXT_TOKENS} tokens, shuffled with a fixed seed. */
    private static List<EncodedBatch> shortBatches(BertTokenizer tokenizer, List<String> texts, int batchSize) {
        List<String> shortTexts = new ArrayList<>(texts.stream()
                .filter(t -> tokenizer.encode(t).length() <= SHORT_TEXT_TOKENS)
                .toList());
        if (shortTexts.isEmpty()) {
            throw new BenchmarkException("no text of at most " + SHORT_TEXT_TOKENS + " tokens in the datasets");
        }
        Collections.shuffle(shortTexts, new Random(42));
        List<EncodedBatch> batches = new ArrayList<>(DISTINCT_BATCHES);
        int next = 0;
        for (int b = 0; b < DISTINCT_BATCHES; b++) {
            List<String> rows = new ArrayList<>(batchSize);
            for (int r = 0; r < batchSize; r++) {
                rows.add(shortTexts.get(next));
                next = (next + 1) % shortTexts.size();
            }
            batches.add(tokenizer.encodeBatch(rows));
        }
        return batches;
    }

    /** This process's resident set size in KB. */
    public static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new BenchmarkException("cannot read VmRSS from /proc/self/status (Linux only): " + e, e);
        }
        throw new BenchmarkException("no VmRSS in /proc/self/status");
    }
}
