package io.streamguard.topology;

import io.streamguard.model.ClassifiedBatch;
import io.streamguard.model.Classifier;
import io.streamguard.model.Prediction;
import io.streamguard.model.batch.BatchPolicy;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.explain.Scorer;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.IncompatibleHeadsException;
import io.streamguard.model.tokenizer.Encoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link BatchScorer}: the model runtime's {@link Classifier} (encoder + heads). Each
 * call scores with one heads version, and every result carries that version's thresholds, also
 * while {@link #swapHeads} replaces the heads under traffic.
 *
 * <p>A version fine-tuned with other adapters than the loaded encoder merged needs another encoder:
 * {@link #swapHeads} then loads one with the new adapters merged, on the caller's thread (seconds) while
 * batches keep scoring on the current one, and switches between batches. The replaced classifier is closed
 * once no batch is scoring on it, unless its encoder was handed out ({@link #loadedEncoder()}), which then
 * stays open until this scorer closes.
 *
 * <pre>{@code
 * Worker.start(config, ClassifierScorer::load);
 * }</pre>
 */
public final class ClassifierScorer implements BatchScorer, HeadsSwapper {

    private static final Logger LOG = LoggerFactory.getLogger(ClassifierScorer.class);

    private final AtomicReference<Classifier> classifier;
    /** Loads the encoder with the given adapters merged (null: none); null if this scorer cannot reload. */
    private final Function<LowRankAdapters, LoadedEncoder> encoders;

    private final String vocabHash;
    /** The identity of every heads version this scorer has served, so a batch reports the one it used. */
    private final Map<String, ModelInfo> models = new ConcurrentHashMap<>();
    /** Batches score under the read lock; a replaced classifier is closed under the write lock. */
    private final ReadWriteLock scoring = new ReentrantReadWriteLock();
    /** Replaced classifiers whose encoder was handed out: closed with this scorer. */
    private final List<Classifier> retired = new CopyOnWriteArrayList<>();

    private final Object swapping = new Object();
    private volatile boolean encoderHandedOut;

    /** Takes ownership of {@code classifier} ({@link #close()} closes it); cannot load other adapters. */
    public ClassifierScorer(Classifier classifier) {
        this(classifier, null);
    }

    /**
     * Takes ownership of {@code classifier}; {@code encoders} loads the encoder a version with other
     * fine-tuned adapters needs (the argument: those adapters, null for none).
     */
    public ClassifierScorer(Classifier classifier, Function<LowRankAdapters, LoadedEncoder> encoders) {
        this.classifier = new AtomicReference<>(Objects.requireNonNull(classifier, "classifier"));
        this.encoders = encoders;
        this.vocabHash = classifier.tokenizer().vocabulary().vocabHash();
        HeadsModel heads = classifier.heads();
        models.put(heads.version(), modelInfo(heads));
    }

    /**
     * Loads one model: the encoder of {@link WorkerConfig#encoderConfig()} and its heads file
     * {@link WorkerConfig#headsFile()} (a worker of several encoders calls this once per encoder, with
     * {@link WorkerConfig#forEncoder}); each micro-batch is cut by length into encoder calls of at most
     * {@link WorkerConfig#engineBatchSize()} texts within the worker's token budget. Usable as a
     * {@link Worker.ScorerFactory}.
     *
     * @throws IllegalArgumentException if no heads file is configured or it does not exist
     * @throws IncompatibleHeadsException if the heads were trained on another encoder, vocabulary or
     *     maximum length (checked before the encoder, which takes seconds, is loaded)
     */
    public static ClassifierScorer load(WorkerConfig config) {
        Path heads = config.headsFile();
        if (heads == null) {
            throw new IllegalArgumentException(WorkerConfig.MODEL_HEADS + " is not set: the inference role needs a"
                    + " heads file (e.g. models/v1/" + config.encoderConfig().encoderId() + ".json)");
        }
        if (!Files.isRegularFile(heads)) {
            throw new IllegalArgumentException("heads file " + heads + " does not exist");
        }
        BatchSettings batch = config.batch();
        BatchPolicy policy = new BatchPolicy(config.engineBatchSize(), batch.maxTokensPerBatch());
        ClassifierScorer scorer = new ClassifierScorer(
                Classifier.load(config.encoderConfig(), heads, policy),
                adapters -> EncoderFactory.create(config.encoderConfig(), adapters));
        try {
            scorer.warmUp();
        } catch (RuntimeException e) {
            scorer.close();
            throw e;
        }
        return scorer;
    }

    /**
     * Runs the engine once. TensorFlow optimises the graph on a session's first run, which takes
     * seconds on a small CPU; done here, before the worker consumes, it does not hold up the first
     * batch of real traffic.
     */
    void warmUp() {
        warmUp(classifier.get());
    }

    private static void warmUp(Classifier c) {
        c.classify(List.of("warm up"));
    }

    static ModelInfo modelInfo(HeadsModel heads) {
        return new ModelInfo(heads.version(), heads.thresholds());
    }

    @Override
    public List<ScoredText> score(List<Encoding> encodings) {
        ClassifiedBatch batch;
        Classifier c;
        scoring.readLock().lock();
        try {
            c = classifier.get();
            batch = c.classifyWithStats(encodings);
        } finally {
            scoring.readLock().unlock();
        }
        ModelInfo model = models.get(batch.modelVersion());
        if (model == null) {
            // Heads swapped on the classifier behind this scorer's back: still report what scored.
            HeadsModel current = c.heads();
            if (!current.version().equals(batch.modelVersion())) {
                throw new IllegalStateException("no thresholds known for heads version " + batch.modelVersion());
            }
            model = models.computeIfAbsent(current.version(), v -> modelInfo(current));
        }
        List<ScoredText> out = new ArrayList<>(batch.predictions().size());
        for (Prediction p : batch.predictions()) {
            out.add(new ScoredText(p.scores(), p.truncated(), model));
        }
        return out;
    }

    /**
     * Raw texts scored in one classifier call with the heads in use then, which each batch names: what the
     * console's word attributions run on, so they come from the very model that serves.
     */
    public Scorer textScorer() {
        return texts -> {
            scoring.readLock().lock();
            try {
                return Scorer.of(classifier.get()).score(texts);
            } finally {
                scoring.readLock().unlock();
            }
        };
    }

    /**
     * Serves {@code next} from the next batch on (batches in flight finish on the heads they started
     * with). For model versions published while running. If {@code next} carries other fine-tuned adapters
     * than the loaded encoder, loads the encoder it needs first (seconds, on this thread; batches keep
     * scoring on the current one meanwhile).
     *
     * @return the heads replaced
     * @throws IncompatibleHeadsException if {@code next} does not fit the loaded encoder (another encoder,
     *     vocabulary, maximum length; other adapters when this scorer cannot reload); the current heads stay
     */
    @Override
    public HeadsModel swapHeads(HeadsModel next) {
        synchronized (swapping) {
            Classifier current = classifier.get();
            boolean sameEncoder = Objects.equals(
                    next.adaptersFingerprint(), current.adaptersFingerprint().orElse(null));
            if (sameEncoder
                    || encoders == null
                    || !next.encoderId().equals(current.heads().encoderId())) {
                return swapOnCurrent(current, next);
            }
            return swapEncoder(current, next);
        }
    }

    private HeadsModel swapOnCurrent(Classifier current, HeadsModel next) {
        // Known before any batch can use them.
        ModelInfo previous = models.put(next.version(), modelInfo(next));
        try {
            return current.swapHeads(next);
        } catch (RuntimeException e) {
            restore(next.version(), previous);
            throw e;
        }
    }

    private HeadsModel swapEncoder(Classifier current, HeadsModel next) {
        long started = System.nanoTime();
        LoadedEncoder encoder = encoders.apply(next.adapters());
        Classifier fresh;
        try {
            fresh = Classifier.create(encoder, next, current.policy());
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
        ModelInfo previous = models.put(next.version(), modelInfo(next));
        try {
            warmUp(fresh);
        } catch (RuntimeException e) {
            restore(next.version(), previous);
            fresh.close();
            throw e;
        }
        classifier.set(fresh);
        HeadsModel replaced = current.heads();
        LOG.info(
                "Loaded the encoder with {} for version {} in {} ms (was {})",
                next.adapters() == null ? "no adapters" : "adapters " + next.adaptersFingerprint(),
                next.version(),
                (System.nanoTime() - started) / 1_000_000,
                replaced.version());
        retire(current);
        return replaced;
    }

    /** Closes a replaced classifier once no batch scores on it, or keeps it if its encoder is shared. */
    private void retire(Classifier old) {
        if (encoderHandedOut) {
            retired.add(old);
            return;
        }
        scoring.writeLock().lock();
        try {
            old.close();
        } finally {
            scoring.writeLock().unlock();
        }
    }

    private void restore(String version, ModelInfo previous) {
        if (previous == null) {
            models.remove(version);
        } else {
            models.put(version, previous);
        }
    }

    /** The heads new batches use. */
    @Override
    public HeadsModel heads() {
        return classifier.get().heads();
    }

    /**
     * The loaded encoder, still owned by this scorer: see {@link Classifier#loadedEncoder()}. It stays open
     * until this scorer closes, also if a version with other adapters replaces it.
     */
    public LoadedEncoder loadedEncoder() {
        encoderHandedOut = true;
        return classifier.get().loadedEncoder();
    }

    /** The batching the classifier applies inside one call. */
    public BatchPolicy batchPolicy() {
        return classifier.get().policy();
    }

    @Override
    public String servingVersion() {
        return heads().version();
    }

    @Override
    public String precision() {
        return classifier.get().loadedEncoder().encoder().info().precision().label();
    }

    @Override
    public String vocabHash() {
        return vocabHash;
    }

    @Override
    public void close() {
        scoring.writeLock().lock();
        try {
            classifier.get().close();
            retired.forEach(Classifier::close);
            retired.clear();
        } finally {
            scoring.writeLock().unlock();
        }
    }
}
