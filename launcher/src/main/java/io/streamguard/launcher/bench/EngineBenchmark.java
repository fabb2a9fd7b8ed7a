package io.streamguard.launcher.bench;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Encoder;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.encoder.Precision;
import io.streamguard.model.encoder.SessionBaseline;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.language.Language;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Encoder throughput and latency over a grid of batch sizes and sequence lengths, each cell next to
 * a bare TensorFlow session run of the same shape ({@link SessionBaseline}), plus the share of
 * inference time the tokenizer costs on real texts. Usable without Kafka; {@code streamguard bench
 * engine} is the command-line front.
 *
 * <p>Per cell the engine call and the bare run alternate (engine first on even iterations, bare
 * first on odd ones), so load from other processes on a shared machine hits both alike. Latencies
 * are summarised by median and 99th percentile and throughput is taken from the median, which such
 * load moves least; the engine/bare ratio is the median of the per-iteration ratios, each from a
 * pair of runs back to back, so slow drifts in load cancel out of it.
 */
final class EngineBenchmark {

    public static final List<String> DEFAULT_ENCODERS =
            List.of(EncoderConfig.BERT_BASE_UNCASED, EncoderConfig.MINILM_L6, EncoderConfig.BGE_SMALL_ZH);
    public static final List<Integer> DEFAULT_BATCH_SIZES = List.of(1, 8, 32);
    public static final List<Integer> DEFAULT_LENGTHS = List.of(32, 128);
    public static final int DEFAULT_ITERATIONS = 20;
    public static final int DEFAULT_WARMUP = 3;
    /** Cheap cells keep iterating this long, so their medians rest on more than a handful of runs. */
    public static final double DEFAULT_MIN_SECONDS = 2;
    /** Upper bound on iterations a cell runs to fill {@code minSeconds}. */
    public static final int MAX_ITERATIONS = 2_000;

    public static final int DEFAULT_TOKENIZER_TEXTS = 512;
    /** Batch size of the tokenizer-share run: the pipeline's default batch. */
    public static final int SHARE_BATCH_SIZE = 32;

    /**
     * Tokenizing 512 texts takes milliseconds: enough warm-up rounds for the JIT to finish with the
     * tokenizer (5 left it several times slower), and many rounds for a stable median.
     */
    private static final int TOKENIZER_WARMUP_ROUNDS = 30;

    private static final int TOKENIZER_ROUNDS = 30;
    /**
     * Encoding them takes seconds (MiniLM) to minutes (BERT-base on 2 cores), long enough to average
     * out load by itself: one timed pass after warming up on the shortest and the longest batch.
     */
    private static final int ENCODER_ROUNDS = 1;

    /**
     * What to measure.
     *
     * @param encoderIds encoders, measured one after the other (one loaded at a time)
     * @param batchSizes rows per batch, each at least 1
     * @param lengths tokens per row including [CLS] and [SEP], each 2 to 512
     * @param iterations timed engine calls (and as many bare runs) per cell, at least
     * @param warmup untimed calls of each kind per cell first
     * @param minSeconds a cell iterates beyond {@code iterations} until its timed runs took this
     *     long (at most {@value #MAX_ITERATIONS} iterations)
     * @param device where the encoders run
     * @param datasets the shared datasets directory (texts for ids and the tokenizer share)
     * @param tokenizerTexts texts for the tokenizer share; 0 skips it
     * @param cacheDir where BERT-base's weights are unpacked ({@link EncoderConfig#cacheDir()})
     * @param models heads files whose encoders to measure instead of {@code encoderIds}, each with its
     *     fine-tuned adapters merged (if it has any): a fine-tuned version next to a frozen one; empty for none
     */
    public record Options(
            List<String> encoderIds,
            List<Integer> batchSizes,
            List<Integer> lengths,
            int iterations,
            int warmup,
            double minSeconds,
            Device device,
            Path datasets,
            int tokenizerTexts,
            Path cacheDir,
            List<Path> models,
            List<Precision> precisions) {

        public Options {
            encoderIds = List.copyOf(encoderIds);
            precisions = List.copyOf(precisions);
            if (precisions.isEmpty()) {
                throw new IllegalArgumentException("precisions must not be empty");
            }
            models = List.copyOf(models);
            batchSizes = List.copyOf(batchSizes);
            lengths = List.copyOf(lengths);
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(datasets, "datasets");
            Objects.requireNonNull(cacheDir, "cacheDir");
            if (encoderIds.isEmpty() || batchSizes.isEmpty() || lengths.isEmpty()) {
                throw new IllegalArgumentException("encoders, batch sizes and lengths must not be empty");
            }
            for (int b : batchSizes) {
                if (b < 1) {
                    throw new IllegalArgumentException("batch sizes must be at least 1, got " + b);
                }
            }
            for (int l : lengths) {
                if (l < 2 || l > 512) {
                    throw new IllegalArgumentException("lengths must be 2..512 ([CLS] and [SEP] included), got " + l);
                }
            }
            if (iterations < 1
                    || iterations > MAX_ITERATIONS
                    || warmup < 0
                    || !(minSeconds >= 0)
                    || tokenizerTexts < 0) {
                throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS + " and warmup, minSeconds"
                        + " and tokenizer texts not negative, got " + iterations + ", " + warmup + ", " + minSeconds
                        + ", " + tokenizerTexts);
            }
        }

        /** The default grid on both encoders, {@link Device#AUTO}, the default model cache. */
        public static Options defaults(Path datasets) {
            return new Options(
                    DEFAULT_ENCODERS,
                    DEFAULT_BATCH_SIZES,
                    DEFAULT_LENGTHS,
                    DEFAULT_ITERATIONS,
                    DEFAULT_WARMUP,
                    DEFAULT_MIN_SECONDS,
                    Device.AUTO,
                    datasets,
                    DEFAULT_TOKENIZER_TEXTS,
                    EncoderConfig.defaultCacheDir(),
                    List.of(),
                    List.of(Precision.FP32));
        }
    }

    private EngineBenchmark() {}

    /**
     * Loads each encoder in turn and measures it; {@code progress} hears a line per loaded encoder
     * and finished cell, so a run of minutes shows it is alive.
     *
     * @throws BenchmarkException if the texts cannot be read, a length exceeds an encoder's maximum
     *     or an encoder offers no {@link SessionBaseline}
     * @throws io.streamguard.model.encoder.EncoderException if an encoder cannot be loaded or fails
     */
    public static EngineReport run(Options options, Consumer<String> progress) {
        List<EngineReport.Cell> cells = new ArrayList<>();
        List<EngineReport.TokenizerShare> shares = new ArrayList<>();
        for (Target target : targets(options)) {
            String id = target.label();
            // Ids drawn from texts in the encoder's own language: Chinese ids for bge-small-zh.
            List<String> texts = DatasetTexts.mixed(
                    options.datasets(),
                    Language.ofEncoder(target.config().encoderId()),
                    Math.max(options.tokenizerTexts(), 300));
            progress.accept("loading " + id + " (device " + options.device() + ")");
            try (LoadedEncoder loaded = EncoderFactory.create(target.config(), target.adapters())) {
                Encoder encoder = loaded.encoder();
                if (!(encoder instanceof SessionBaseline baseline)) {
                    throw new BenchmarkException(id + " offers no bare-session baseline to compare with");
                }
                int max = encoder.info().maxSequenceLength();
                for (int length : options.lengths()) {
                    if (length > max) {
                        throw new BenchmarkException(
                                "length " + length + " exceeds " + id + "'s " + max + " positions");
                    }
                }
                int[] pool = SyntheticBatches.tokenPool(loaded.tokenizer(), texts);
                int[] specials = SyntheticBatches.specialIds(loaded.tokenizer());
                for (int length : options.lengths()) {
                    for (int batchSize : options.batchSizes()) {
                        EncodedBatch batch =
                                SyntheticBatches.syntheticBatch(batchSize, length, pool, specials[0], specials[1]);
                        EngineReport.Cell cell = measure(id, encoder, baseline, batch, options);
                        cells.add(cell);
                        progress.accept(String.format(
                                "%s %dx%d: engine p50 %.1f ms, bare p50 %.1f ms, ratio %.3f",
                                id,
                                batchSize,
                                length,
                                cell.engine().p50Ms(),
                                cell.bare().p50Ms(),
                                cell.ratio()));
                    }
                }
                if (options.tokenizerTexts() > 0) {
                    EngineReport.TokenizerShare share = tokenizerShare(
                            id, loaded, texts.subList(0, Math.min(options.tokenizerTexts(), texts.size())));
                    shares.add(share);
                    progress.accept(String.format(
                            "%s tokenizer share: %.2f ms tokenizing vs %.0f ms encoding = %.2f %%",
                            id, share.tokenizerMs(), share.encoderMs(), share.share() * 100));
                }
            }
        }
        return new EngineReport(
                Machine.current(), options.iterations(), options.warmup(), options.minSeconds(), cells, shares);
    }

    /** One encoder to load and measure: a bare encoder, or a model's (label {@code "<encoder> <version>"}). */
    private record Target(String label, EncoderConfig config, LowRankAdapters adapters) {}

    /** Every encoder (or model) in every precision asked for, one after the other. */
    private static List<Target> targets(Options options) {
        List<Target> out = new ArrayList<>();
        for (Precision precision : options.precisions()) {
            if (options.models().isEmpty()) {
                for (String id : options.encoderIds()) {
                    out.add(new Target(id, config(id, precision, options), null));
                }
            }
            for (Path file : options.models()) {
                HeadsModel model = HeadsFile.read(file);
                out.add(new Target(
                        model.encoderId() + " " + model.version(),
                        config(model.encoderId(), precision, options),
                        model.adapters()));
            }
        }
        return out;
    }

    private static EncoderConfig config(String id, Precision precision, Options options) {
        return EncoderConfig.of(id)
                .withDevice(options.device())
                .withCacheDir(options.cacheDir())
                .withPrecision(precision);
    }

    private static EngineReport.Cell measure(
            String label, Encoder encoder, SessionBaseline baseline, EncodedBatch batch, Options options) {
        long[] engine = new long[MAX_ITERATIONS];
        long[] bare = new long[MAX_ITERATIONS];
        long minNanos = (long) (options.minSeconds() * 1e9);
        int n = 0;
        try (SessionBaseline.BareRun run = baseline.prepare(batch)) {
            for (int i = 0; i < options.warmup(); i++) {
                encoder.encode(batch);
                run.run();
            }
            long spent = 0;
            while (n < MAX_ITERATIONS && (n < options.iterations() || spent < minNanos)) {
                if (n % 2 == 0) {
                    engine[n] = timeEncode(encoder, batch);
                    bare[n] = timeBare(run);
                } else {
                    bare[n] = timeBare(run);
                    engine[n] = timeEncode(encoder, batch);
                }
                spent += engine[n] + bare[n];
                n++;
            }
        }
        double[] ratios = new double[n];
        for (int i = 0; i < n; i++) {
            ratios[i] = (double) bare[i] / engine[i];
        }
        Arrays.sort(ratios);
        double ratio = n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
        return new EngineReport.Cell(
                label,
                encoder.info().device(),
                encoder.info().precision(),
                batch.size(),
                batch.sequenceLength(),
                n,
                EngineReport.Latency.of(Arrays.copyOf(engine, n)),
                EngineReport.Latency.of(Arrays.copyOf(bare, n)),
                ratio);
    }

    private static long timeEncode(Encoder encoder, EncodedBatch batch) {
        long start = System.nanoTime();
        encoder.encode(batch);
        return System.nanoTime() - start;
    }

    private static long timeBare(SessionBaseline.BareRun run) {
        long start = System.nanoTime();
        run.run();
        return System.nanoTime() - start;
    }

    private static EngineReport.TokenizerShare tokenizerShare(String label, LoadedEncoder loaded, List<String> texts) {
        BertTokenizer tokenizer = loaded.tokenizer();
        List<List<String>> chunks = new ArrayList<>();
        List<String> sorted =
                texts.stream().sorted(Comparator.comparingInt(String::length)).toList();
        for (int from = 0; from < sorted.size(); from += SHARE_BATCH_SIZE) {
            chunks.add(sorted.subList(from, Math.min(sorted.size(), from + SHARE_BATCH_SIZE)));
        }
        List<EncodedBatch> batches = new ArrayList<>();
        long[] tokenizing = new long[TOKENIZER_ROUNDS];
        for (int round = -TOKENIZER_WARMUP_ROUNDS; round < TOKENIZER_ROUNDS; round++) {
            batches.clear();
            long start = System.nanoTime();
            for (List<String> chunk : chunks) {
                batches.add(tokenizer.encodeBatch(chunk));
            }
            if (round >= 0) {
                tokenizing[round] = System.nanoTime() - start;
            }
        }
        loaded.encoder().encode(batches.get(0));
        loaded.encoder().encode(batches.get(batches.size() - 1));
        long[] encoding = new long[ENCODER_ROUNDS];
        for (int round = 0; round < ENCODER_ROUNDS; round++) {
            long start = System.nanoTime();
            for (EncodedBatch batch : batches) {
                loaded.encoder().encode(batch);
            }
            encoding[round] = System.nanoTime() - start;
        }
        long tokens = batches.stream()
                .mapToLong(b -> Arrays.stream(b.lengths()).asLongStream().sum())
                .sum();
        return new EngineReport.TokenizerShare(
                label,
                texts.size(),
                batches.size(),
                tokens,
                EngineReport.Latency.of(tokenizing).p50Ms(),
                EngineReport.Latency.of(encoding).p50Ms());
    }
}
