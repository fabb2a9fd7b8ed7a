package io.streamguard.launcher.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Encoder;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.SessionBaseline;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import io.streamguard.model.tokenizer.Encoding;
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
public final class EngineBenchmark {

    public static final List<String> DEFAULT_ENCODERS =
            List.of(EncoderConfig.BERT_BASE_UNCASED, EncoderConfig.MINILM_L6);
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
     */
    public record Options(List<String> encoderIds, List<Integer> batchSizes, List<Integer> lengths, int iterations,
            int warmup, double minSeconds, Device device, Path datasets, int tokenizerTexts, Path cacheDir) {

        public Options {
            encoderIds = List.copyOf(encoderIds);
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
            if (iterations < 1 || iterations > MAX_ITERATIONS || warmup < 0 || !(minSeconds >= 0) || tokenizerTexts < 0) {
                throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS + " and warmup, minSeconds"
                        + " and tokenizer texts not negative, got " + iterations + ", " + warmup + ", " + minSeconds
                        + ", " + tokenizerTexts);
            }
        }

        /** The default grid on both encoders, {@link Device#AUTO}, the default model cache. */
        public static Options defaults(Path datasets) {
            return new Options(DEFAULT_ENCODERS, DEFAULT_BATCH_SIZES, DEFAULT_LENGTHS, DEFAULT_ITERATIONS,
                    DEFAULT_WARMUP, DEFAULT_MIN_SECONDS, Device.AUTO, datasets, DEFAULT_TOKENIZER_TEXTS, EncoderConfig.defaultCacheDir());
        }
    }

    /** Milliseconds per batch over a cell's iterations. */
    public record Latency(double p50Ms, double p99Ms, double meanMs) {

        static Latency of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Latency(percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6,
                    Arrays.stream(sorted).average().orElse(0) / 1e6);
        }

        /** Nearest rank: with fewer than 100 samples p99 is the maximum. */
        private static long percentile(long[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }

    /**
     * One grid cell: {@code Encoder.encode} against a bare session run of the same batch.
     *
     * @param iterations timed pairs (engine call + bare run)
     * @param ratio engine throughput as a fraction of bare TensorFlow's (1.0: no overhead): the
     *     median over pairs of bare time / engine time
     */
    public record Cell(String encoderId, Device device, int batchSize, int length, int iterations, Latency engine,
            Latency bare, double ratio) {

        /** Sequences per second at the engine's median latency. */
        @JsonProperty
        public double engineSeqPerSecond() {
            return batchSize * 1000 / engine.p50Ms();
        }

        /** Sequences per second at the bare run's median latency. */
        @JsonProperty
        public double bareSeqPerSecond() {
            return batchSize * 1000 / bare.p50Ms();
        }
    }

    /**
     * Tokenizer cost against inference cost for the same real texts, sorted by length and batched
     * by {@link #SHARE_BATCH_SIZE}, each batch padded to its longest text.
     *
     * @param tokens real tokens (not padding) over all texts
     * @param tokenizerMs median time to tokenize all texts ({@code encodeBatch} per batch)
     * @param encoderMs time to encode all the resulting batches (after a warm-up)
     */
    public record TokenizerShare(String encoderId, int texts, int batches, long tokens, double tokenizerMs,
            double encoderMs) {

        /** Tokenizer time as a fraction of encoder time. */
        @JsonProperty
        public double share() {
            return tokenizerMs / encoderMs;
        }
    }

    /** Everything one run measured, in grid order. */
    public record Report(Machine machine, int iterations, int warmup, double minSeconds, List<Cell> cells,
            List<TokenizerShare> tokenizerShares) {

        public Report {
            cells = List.copyOf(cells);
            tokenizerShares = List.copyOf(tokenizerShares);
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
    public static Report run(Options options, Consumer<String> progress) {
        List<String> texts = DatasetTexts.mixed(options.datasets(), Math.max(options.tokenizerTexts(), 300));
        List<Cell> cells = new ArrayList<>();
        List<TokenizerShare> shares = new ArrayList<>();
        for (String id : options.encoderIds()) {
            EncoderConfig config = EncoderConfig.of(id).withDevice(options.device()).withCacheDir(options.cacheDir());
            progress.accept("loading " + id + " (device " + options.device() + ")");
            try (LoadedEncoder loaded = EncoderFactory.create(config)) {
                Encoder encoder = loaded.encoder();
                if (!(encoder instanceof SessionBaseline baseline)) {
                    throw new BenchmarkException(id + " offers no bare-session baseline to compare with");
                }
                int max = encoder.info().maxSequenceLength();
                for (int length : options.lengths()) {
                    if (length > max) {
                        throw new BenchmarkException("length " + length + " exceeds " + id + "'s " + max + " positions");
                    }
                }
                int[] pool = tokenPool(loaded.tokenizer(), texts);
                int[] specials = specialIds(loaded.tokenizer());
                for (int length : options.lengths()) {
                    for (int batchSize : options.batchSizes()) {
                        EncodedBatch batch = syntheticBatch(batchSize, length, pool, specials[0], specials[1]);
                        Cell cell = measure(encoder, baseline, batch, options);
                        cells.add(cell);
                        progress.accept(String.format("%s %dx%d: engine p50 %.1f ms, bare p50 %.1f ms, ratio %.3f",
                                id, batchSize, length, cell.engine().p50Ms(), cell.bare().p50Ms(), cell.ratio()));
                    }
                }
                if (options.tokenizerTexts() > 0) {
                    TokenizerShare share = tokenizerShare(loaded, texts.subList(0,
                            Math.min(options.tokenizerTexts(), texts.size())));
                    shares.add(share);
                    progress.accept(String.format("%s tokenizer share: %.2f ms tokenizing vs %.0f ms encoding = %.2f %%",
                            id, share.tokenizerMs(), share.encoderMs(), share.share() * 100));
                }
            }
        }
        return new Report(Machine.current(), options.iterations(), options.warmup(), options.minSeconds(), cells,
                shares);
    }

    private static Cell measure(Encoder encoder, SessionBaseline baseline, EncodedBatch batch, Options options) {
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
        return new Cell(encoder.info().id(), encoder.info().device(), batch.size(), batch.sequenceLength(), n,
                Latency.of(Arrays.copyOf(engine, n)), Latency.of(Arrays.copyOf(bare, n)), ratio);
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

    private static TokenizerShare tokenizerShare(LoadedEncoder loaded, List<String> texts) {
        BertTokenizer tokenizer = loaded.tokenizer();
        List<List<String>> chunks = new ArrayList<>();
        List<String> sorted = texts.stream().sorted(Comparator.comparingInt(String::length)).toList();
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
        long tokens = batches.stream().mapToLong(b -> Arrays.stream(b.lengths()).asLongStream().sum()).sum();
        return new TokenizerShare(loaded.encoder().info().id(), texts.size(), batches.size(), tokens,
                Latency.of(tokenizing).p50Ms(), Latency.of(encoding).p50Ms());
    }

    /** The word-piece ids of real texts, [CLS]/[SEP] stripped, concatenated: what batch rows are cut from. */
    static int[] tokenPool(BertTokenizer tokenizer, List<String> texts) {
        int[] pool = texts.stream().map(tokenizer::encode)
                .flatMapToInt(e -> Arrays.stream(e.ids(), 1, Math.max(1, e.length() - 1)))
                .toArray();
        if (pool.length == 0) {
            throw new BenchmarkException("the benchmark texts hold no tokens");
        }
        return pool;
    }

    /** {@code [CLS]} and {@code [SEP]} of the tokenizer's vocabulary, as it emits them. */
    private static int[] specialIds(BertTokenizer tokenizer) {
        Encoding empty = tokenizer.encode("");
        return new int[] {empty.ids()[0], empty.ids()[empty.length() - 1]};
    }

    /**
     * {@code size} rows of exactly {@code length} ids, {@code [CLS]} + consecutive real word pieces +
     * {@code [SEP]}, each row starting elsewhere in the pool, attention on every position.
     */
    static EncodedBatch syntheticBatch(int size, int length, int[] pool, int cls, int sep) {
        int[] ids = new int[size * length];
        int next = 0;
        for (int r = 0; r < size; r++) {
            int row = r * length;
            ids[row] = cls;
            for (int i = 1; i < length - 1; i++) {
                ids[row + i] = pool[next];
                next = (next + 1) % pool.length;
            }
            ids[row + length - 1] = sep;
        }
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        int[] lengths = new int[size];
        Arrays.fill(lengths, length);
        return new EncodedBatch(size, length, ids, mask, lengths, new boolean[size]);
    }

    /** The report as aligned plain-text tables: the grid, then the tokenizer shares. */
    public static String renderTable(Report report) {
        StringBuilder out = new StringBuilder();
        out.append("Engine benchmark: ").append(report.machine().describe()).append('\n');
        out.append(String.format("per cell: %d warm-up, then at least %d timed pairs (engine call + bare session run,"
                + " alternated) and at least %.0f s%n%n", report.warmup(), report.iterations(), report.minSeconds()));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"encoder", "device", "batch", "length", "pairs", "engine p50 ms", "p99 ms", "seq/s",
            "bare p50 ms", "p99 ms", "seq/s", "engine/bare"});
        for (Cell c : report.cells()) {
            rows.add(new String[] {c.encoderId(), c.device().name(), Integer.toString(c.batchSize()),
                Integer.toString(c.length()), Integer.toString(c.iterations()), ms(c.engine().p50Ms()), ms(c.engine().p99Ms()),
                String.format("%.1f", c.engineSeqPerSecond()), ms(c.bare().p50Ms()), ms(c.bare().p99Ms()),
                String.format("%.1f", c.bareSeqPerSecond()), String.format("%.3f", c.ratio())});
        }
        table(out, rows);
        out.append("seq/s = batch / p50; engine/bare = median over pairs of bare time / engine time"
                + " (1.000 = no engine overhead)\n");
        if (!report.tokenizerShares().isEmpty()) {
            out.append("\nTokenizer share: real texts (SST-2 dev, TweetEval val) sorted by length, batches of ")
                    .append(SHARE_BATCH_SIZE).append(" padded to the longest\n\n");
            List<String[]> shares = new ArrayList<>();
            shares.add(new String[] {"encoder", "texts", "batches", "tokens", "tokenize ms", "encode ms", "share"});
            for (TokenizerShare s : report.tokenizerShares()) {
                shares.add(new String[] {s.encoderId(), Integer.toString(s.texts()), Integer.toString(s.batches()),
                    Long.toString(s.tokens()), String.format("%.2f", s.tokenizerMs()), String.format("%.0f", s.encoderMs()),
                    String.format("%.2f %%", s.share() * 100)});
            }
            table(out, shares);
        }
        return out.toString();
    }

    /** The report as indented JSON (records as objects, computed rates and ratios included). */
    public static String toJson(Report report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new BenchmarkException("cannot write the report as JSON: " + e.getMessage(), e);
        }
    }

    private static String ms(double ms) {
        return String.format(ms < 10 ? "%.2f" : "%.1f", ms);
    }

    /** First column left-aligned, the numbers right-aligned, two spaces apart. */
    static void table(StringBuilder out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = i < 2 ? String.format("%-" + widths[i] + "s", row[i])
                        : String.format("%" + widths[i] + "s", row[i]);
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
