package io.streamguard.topology;

import io.streamguard.model.ClassifiedBatch;
import io.streamguard.model.Classifier;
import io.streamguard.model.Prediction;
import io.streamguard.model.batch.BatchPolicy;
import io.streamguard.model.encoder.LoadedEncoder;
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

/**
 * The production {@link BatchScorer}: the model runtime's {@link Classifier} (encoder + heads). Each
 * call scores with one heads version, and every result carries that version's thresholds, also
 * while {@link #swapHeads} replaces the heads under traffic.
 *
 * <pre>{@code
 * Worker.start(config, ClassifierScorer::load);
 * }</pre>
 */
public final class ClassifierScorer implements BatchScorer, HeadsSwapper {

    private final Classifier classifier;
    private final String vocabHash;
    /** The identity of every heads version this scorer has served, so a batch reports the one it used. */
    private final Map<String, ModelInfo> models = new ConcurrentHashMap<>();

    /** Takes ownership of {@code classifier} ({@link #close()} closes it). */
    public ClassifierScorer(Classifier classifier) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.vocabHash = classifier.tokenizer().vocabulary().vocabHash();
        HeadsModel heads = classifier.heads();
        models.put(heads.version(), modelInfo(heads));
    }

    /**
     * Loads the worker's model: the encoder of {@link WorkerConfig#encoderConfig()} and the heads file
     * {@link WorkerConfig#headsFile()}; each micro-batch is cut by length into encoder calls of at most
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
        ClassifierScorer scorer = new ClassifierScorer(Classifier.load(config.encoderConfig(), heads, policy));
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
        classifier.classify(List.of("warm up"));
    }

    static ModelInfo modelInfo(HeadsModel heads) {
        return new ModelInfo(heads.version(), heads.thresholds());
    }

    @Override
    public List<ScoredText> score(List<Encoding> encodings) {
        ClassifiedBatch batch = classifier.classifyWithStats(encodings);
        ModelInfo model = models.get(batch.modelVersion());
        if (model == null) {
            // Heads swapped on the classifier behind this scorer's back: still report what scored.
            HeadsModel current = classifier.heads();
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
        return Scorer.of(classifier);
    }

    /**
     * Serves {@code next} from the next batch on (batches in flight finish on the heads they started
     * with). For model versions published while running.
     *
     * @return the heads replaced
     * @throws IncompatibleHeadsException if {@code next} does not fit the loaded encoder; the current
     *     heads stay
     */
    @Override
    public HeadsModel swapHeads(HeadsModel next) {
        // Known before any batch can use them.
        ModelInfo previous = models.put(next.version(), modelInfo(next));
        try {
            return classifier.swapHeads(next);
        } catch (RuntimeException e) {
            if (previous == null) {
                models.remove(next.version());
            } else {
                models.put(next.version(), previous);
            }
            throw e;
        }
    }

    /** The heads new batches use. */
    @Override
    public HeadsModel heads() {
        return classifier.heads();
    }

    /** The loaded encoder, still owned by this scorer: see {@link Classifier#loadedEncoder()}. */
    public LoadedEncoder loadedEncoder() {
        return classifier.loadedEncoder();
    }

    /** The batching the classifier applies inside one call. */
    public BatchPolicy batchPolicy() {
        return classifier.policy();
    }

    @Override
    public String vocabHash() {
        return vocabHash;
    }

    @Override
    public void close() {
        classifier.close();
    }
}
