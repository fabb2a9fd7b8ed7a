package io.streamguard.model.encoder.onnx;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.Encoder;
import io.streamguard.model.encoder.EncoderClosedException;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderException;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.encoder.Precision;
import io.streamguard.model.encoder.SessionBaseline;
import io.streamguard.model.encoder.tf.TfDevices;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import java.io.IOException;
import java.io.InputStream;
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
 * The engine for BERT encoders rebuilt from ONNX exports ({@link OnnxBertModel}): all-MiniLM-L6-v2
 * ({@code minilm-l6}, English) and bge-small-zh-v1.5 ({@code bge-small-zh}, Chinese), run by TensorFlow
 * Java with weights taken from the ONNX files that ship in langchain4j's model jars (runtime
 * dependencies, so workers never download anything). ONNX Runtime itself is not used: one engine, one
 * set of device, batching and threading behaviour for every encoder.
 *
 * <p>{@link Embeddings#pooled()} is the model's own sentence vector ({@link OnnxBertModel#pooling()}):
 * MiniLM's masked mean (without sentence-transformers' final L2 normalisation: heads see the raw mean,
 * like BERT-base's), bge's [CLS] state; {@link Embeddings#mean()} is the masked mean for both.
 * Thread-safe: one {@link Session}, shared.
 *
 * <p>Devices resolve as for every TensorFlow engine ({@link TfDevices}): {@code AUTO} takes a GPU
 * when TensorFlow sees one, {@code GPU} without one falls back to the CPU with a warning.
 */
public final class OnnxBertEncoder implements Encoder, SessionBaseline {

    /**
     * Default tokenizer length. sentence-transformers truncates MiniLM at 256 word pieces and bge at 512;
     * 128 is the project-wide default (moderated texts are short, and attention cost grows with length²).
     */
    public static final int DEFAULT_MAX_LENGTH = 128;

    private static final Logger LOG = LoggerFactory.getLogger(OnnxBertEncoder.class);

    private final OnnxBertModel spec;
    private final EncoderInfo info;
    private final OnnxBertConfig config;
    private final Graph graph;
    private final Session session;
    private final OnnxBertGraph model;
    /** Runs share the read lock; close takes the write lock so it never frees a graph mid-run. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Written under the write lock; volatile for {@link BareRun}, which takes no lock. */
    private volatile boolean closed;

    private OnnxBertEncoder(
            OnnxBertModel spec, OnnxBertWeights weights, String vocabHash, Device requested, Precision wanted) {
        long started = System.nanoTime();
        Set<String> devices = TfDevices.available();
        Device device = TfDevices.resolve(requested, devices);
        Precision precision = TfDevices.resolve(wanted, device);
        this.spec = spec;
        this.config = weights.config();
        this.info = new EncoderInfo(spec.id(), config.hidden(), config.maxPositions(), vocabHash, device, precision);
        Graph g = new Graph();
        try {
            this.model = new OnnxBertGraph(g, weights, spec.pooling());
            this.session = new Session(g, TfDevices.sessionConfig(device, precision));
        } catch (RuntimeException e) {
            g.close();
            throw new EncoderException("cannot build the " + spec.id() + " TensorFlow graph: " + e.getMessage(), e);
        }
        this.graph = g;
        LOG.info(
                "{} ready in {} ms; running on {} in {} (requested {}, {}; TensorFlow {} devices {})",
                spec.id(),
                (System.nanoTime() - started) / 1_000_000,
                device,
                precision.label(),
                requested,
                wanted.label(),
                TensorFlow.version(),
                devices);
    }

    /**
     * The call for {@code EncoderFactory} under any {@link OnnxBertModel} id: the encoder and the tokenizer
     * over its vocabulary truncating at {@code config.maxLength()}. Weights come from the classpath, or from
     * {@code config.modelPath()}: the langchain4j model jar, or a directory holding the model's ONNX and
     * tokenizer files. Nothing is unpacked, so {@code config.cacheDir()} is not used.
     *
     * @throws IllegalArgumentException if {@code config.encoderId()} is not an {@link OnnxBertModel} or
     *     maxLength exceeds its positions
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
        OnnxBertModel spec = spec(config);
        try (ModelSource source = ModelSource.of(config.modelPath(), spec)) {
            BertTokenizer tokenizer;
            try (InputStream in = source.open(spec.tokenizerResource())) {
                tokenizer = BertTokenizer.fromTokenizerJson(in, config.maxLength());
            }
            OnnxBertEncoder encoder;
            try (InputStream in = source.open(spec.onnxResource())) {
                OnnxBertWeights weights = OnnxBertWeights.read(in, spec.config());
                encoder = new OnnxBertEncoder(
                        spec,
                        adapters == null ? weights : weights.withAdapters(adapters),
                        tokenizer.vocabulary().vocabHash(),
                        config.device(),
                        config.precision());
            }
            try {
                return new LoadedEncoder(encoder, tokenizer, adapters);
            } catch (RuntimeException e) {
                encoder.close(); // a mismatch must not leak the native graph (~90 MB of constants)
                throw e;
            }
        } catch (IOException e) {
            throw new EncoderException(
                    "cannot read " + spec.id() + " from " + describe(config.modelPath()) + ": " + e, e);
        }
    }

    /**
     * Only the tokenizer {@link #create} would pair with the model, read from the same source
     * ({@code config.modelPath()} or the classpath) without touching the weights.
     *
     * @throws EncoderException if the tokenizer cannot be read
     */
    public static BertTokenizer tokenizer(EncoderConfig config) {
        OnnxBertModel spec = spec(config);
        try (ModelSource source = ModelSource.of(config.modelPath(), spec);
                InputStream in = source.open(spec.tokenizerResource())) {
            return BertTokenizer.fromTokenizerJson(in, config.maxLength());
        } catch (IOException e) {
            throw new EncoderException(
                    "cannot read the " + spec.id() + " tokenizer from " + describe(config.modelPath()) + ": " + e, e);
        }
    }

    /** The bundled {@code model} (weights and vocabulary from the classpath), in float32. */
    public static OnnxBertEncoder load(OnnxBertModel model, Device device) {
        Objects.requireNonNull(device, "device");
        try (InputStream in = ModelSource.classpath(model).open(model.onnxResource())) {
            OnnxBertWeights weights = OnnxBertWeights.read(in, model.config());
            return new OnnxBertEncoder(
                    model, weights, model.bundledTokenizer().vocabulary().vocabHash(), device, Precision.FP32);
        } catch (IOException e) {
            throw new EncoderException("cannot read bundled " + model.onnxResource() + ": " + e, e);
        }
    }

    /**
     * An export of {@code model}'s architecture elsewhere on disk: {@code onnxFile} and the
     * {@code tokenizer.json} it was trained with (for the vocabulary hash).
     */
    public static OnnxBertEncoder load(OnnxBertModel model, Path onnxFile, Path tokenizerJson, Device device) {
        Objects.requireNonNull(device, "device");
        try (InputStream in = Files.newInputStream(onnxFile)) {
            OnnxBertWeights weights = OnnxBertWeights.read(in, model.config());
            String vocabHash = BertTokenizer.fromTokenizerJson(tokenizerJson, DEFAULT_MAX_LENGTH)
                    .vocabulary()
                    .vocabHash();
            return new OnnxBertEncoder(model, weights, vocabHash, device, Precision.FP32);
        } catch (IOException e) {
            throw new EncoderException("cannot read " + onnxFile + " / " + tokenizerJson + ": " + e, e);
        }
    }

    /** Which model this encoder runs. */
    public OnnxBertModel model() {
        return spec;
    }

    @Override
    public EncoderInfo info() {
        return info;
    }

    @Override
    public Embeddings encode(EncodedBatch batch) {
        HiddenStates out = run(batch, false);
        return new Embeddings(batch.size(), config.hidden(), out.pooled(), out.mean());
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
                    Session.Runner runner = session.runner()
                            .feed(model.inputIds, ids)
                            .feed(model.attentionMask, mask)
                            .fetch(model.meanPooled);
                    if (spec.pooling() != OnnxBertModel.Pooling.MEAN) {
                        runner.fetch(model.pooled);
                    }
                    try (Result out = runner.run()) {
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
     * {@code mean} and {@code pooled} (the model's sentence vector, the same array as {@code mean} for
     * mean-pooled models) are {@code [batchSize, hidden]}. Arrays owned by the record, read-only.
     */
    public record HiddenStates(
            int batchSize, int sequenceLength, int hidden, float[] lastHidden, float[] mean, float[] pooled) {
        public HiddenStates {
            if (lastHidden.length != (long) batchSize * sequenceLength * hidden
                    || mean.length != batchSize * hidden
                    || pooled.length != batchSize * hidden) {
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
            float[] zeros = new float[b * h];
            return new HiddenStates(b, l, h, new float[0], zeros, zeros);
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
                boolean ownPooling = spec.pooling() != OnnxBertModel.Pooling.MEAN;
                Session.Runner runner = session.runner()
                        .feed(model.inputIds, ids)
                        .feed(model.attentionMask, mask)
                        .fetch(model.meanPooled);
                if (ownPooling) {
                    runner.fetch(model.pooled);
                }
                if (withHidden) {
                    runner.fetch(model.lastHiddenState);
                }
                try (Result result = runner.run()) {
                    int next = 0;
                    float[] mean = copy((TFloat32) result.get(next++), b * h);
                    float[] pooled = ownPooling ? copy((TFloat32) result.get(next++), b * h) : mean;
                    float[] hidden =
                            withHidden ? copy((TFloat32) result.get(next), Math.multiplyExact(b * l, h)) : new float[0];
                    return new HiddenStates(b, withHidden ? l : 0, h, hidden, mean, pooled);
                }
            }
        } catch (RuntimeException e) {
            // TF Java maps native status codes onto unrelated JDK exception types (TFInvalidArgumentException
            // is an IllegalArgumentException, ...): wrap them all so callers see one typed, retryable error.
            throw new EncoderException(spec.id() + " failed on " + batch + ": " + e, e);
        }
    }

    private static float[] copy(TFloat32 tensor, int size) {
        float[] out = new float[size];
        tensor.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    /** Checked here so a bad batch is a clear error, not a TensorFlow gather failure deep in the graph. */
    private void validate(EncodedBatch batch) {
        if (batch.sequenceLength() > config.maxPositions()) {
            throw new EncoderException("sequence length " + batch.sequenceLength() + " exceeds " + spec.id() + "'s "
                    + config.maxPositions() + " positions");
        }
        for (int id : batch.ids()) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new EncoderException("token id " + id + " outside " + spec.id() + "'s vocabulary of "
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
            throw new EncoderClosedException(spec.id());
        }
    }

    /** The model {@code config} names, checked against its maximum length. */
    private static OnnxBertModel spec(EncoderConfig config) {
        Objects.requireNonNull(config, "config");
        OnnxBertModel spec = OnnxBertModel.byId(config.encoderId())
                .orElseThrow(() -> new IllegalArgumentException("encoder id " + config.encoderId()
                        + " is not one of this engine's models "
                        + OnnxBertModel.ALL.stream().map(OnnxBertModel::id).toList()));
        spec.requireMaxLength(config.maxLength());
        return spec;
    }

    private static String describe(Path modelPath) {
        return modelPath == null ? "the classpath" : modelPath.toString();
    }
}
