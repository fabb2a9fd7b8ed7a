package io.streamguard.model;

import io.streamguard.model.batch.BatchPlanner;
import io.streamguard.model.batch.BatchPolicy;
import io.streamguard.model.batch.PlannedBatch;
import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.EncoderClosedException;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderException;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsFileException;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.IncompatibleHeadsException;
import io.streamguard.model.heads.Scores;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.Encoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model runtime's entry point: texts in, every head's scores out. Tokenizes, groups texts of
 * similar length into batches ({@link BatchPlanner}), runs the encoder once per batch (one pass per
 * text feeds every head) and scores the current {@link HeadsModel}.
 *
 * <pre>{@code
 * try (Classifier classifier = Classifier.load(EncoderConfig.of("minilm-l6"), Path.of("heads-v3.json"),
 *         BatchPolicy.DEFAULT)) {
 *     List<Prediction> out = classifier.classify(List.of("you are great", "buy cheap pills now"));
 *     float spam = out.get(1).scores().label("spam");
 * }
 * }</pre>
 *
 * <p>Thread-safe: calls run concurrently on the encoder's shared session. The heads can be replaced
 * while serving ({@link #swapHeads}); each call scores all its texts with the one heads version it
 * started with.
 */
public final class Classifier implements AutoCloseable {

    private final LoadedEncoder encoder;
    private final BatchPlanner planner;
    private final AtomicReference<HeadsModel> heads;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Classifier(LoadedEncoder encoder, HeadsModel heads, BatchPolicy policy) {
        this.encoder = encoder;
        this.planner = BatchPlanner.forTokenizer(encoder.tokenizer(), policy);
        this.heads = new AtomicReference<>(heads);
    }

    /**
     * A classifier over {@code encoder}, which it owns from now on ({@link #close()} closes it).
     *
     * @throws IncompatibleHeadsException if {@code heads} were trained on another encoder, vocabulary
     *     or hidden size, or with another tokenizer maxLength than {@code encoder}'s tokenizer uses
     */
    public static Classifier create(LoadedEncoder encoder, HeadsModel heads, BatchPolicy policy) {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(policy, "policy");
        checkCompatible(encoder, heads);
        return new Classifier(encoder, heads, policy);
    }

    /**
     * Reads a heads file and loads the encoder it was trained on.
     *
     * @param config the encoder to load; its id and maxLength must be the heads file's (checked before
     *     the encoder, which takes seconds, is loaded)
     * @throws HeadsFileException if the heads file cannot be read
     * @throws IncompatibleHeadsException if the heads do not fit the configured encoder
     * @throws EncoderException if the encoder cannot be loaded
     */
    public static Classifier load(EncoderConfig config, Path headsFile, BatchPolicy policy) {
        HeadsModel heads = HeadsFile.read(headsFile);
        if (!heads.encoderId().equals(config.encoderId())) {
            throw new IncompatibleHeadsException("heads " + heads.version() + " in " + headsFile + " need encoder "
                    + heads.encoderId() + ", configured is " + config.encoderId());
        }
        if (heads.maxLength() != config.maxLength()) {
            throw new IncompatibleHeadsException("heads " + heads.version() + " in " + headsFile
                    + " were trained on texts truncated at " + heads.maxLength() + " tokens, configured maxLength is "
                    + config.maxLength());
        }
        LoadedEncoder loaded = EncoderFactory.create(config);
        try {
            return create(loaded, heads, policy);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    private static void checkCompatible(LoadedEncoder encoder, HeadsModel heads) {
        Objects.requireNonNull(heads, "heads");
        heads.checkCompatible(encoder.encoder().info());
        int maxLength = encoder.tokenizer().options().maxLength();
        if (heads.maxLength() != maxLength) {
            // Same weights, other truncation: long texts would be scored on inputs the heads never saw.
            throw new IncompatibleHeadsException("heads " + heads.version() + " were trained on texts truncated at "
                    + heads.maxLength() + " tokens, this tokenizer truncates at " + maxLength);
        }
    }

    /**
     * Classifies {@code texts}.
     *
     * @return one prediction per text, in input order, all from one heads version
     * @throws BatchFailedException if the encoder fails on a batch (says which texts it held)
     * @throws IllegalStateException if the classifier is closed
     */
    public List<Prediction> classify(List<String> texts) {
        ensureOpen();
        BertTokenizer tokenizer = encoder.tokenizer();
        List<Encoding> encodings = new ArrayList<>(texts.size());
        for (String text : texts) {
            encodings.add(tokenizer.encode(text));
        }
        return classifyWithStats(encodings).predictions();
    }

    /**
     * Classifies texts tokenized elsewhere with this classifier's {@link #tokenizer()} (e.g. by an
     * earlier pipeline stage).
     *
     * @see #classify(List)
     */
    public List<Prediction> classifyEncoded(List<Encoding> encodings) {
        return classifyWithStats(encodings).predictions();
    }

    /**
     * As {@link #classifyEncoded}, with encoder calls, padding and time spent, for metrics.
     *
     * @throws IllegalArgumentException if an encoding is longer than the tokenizer's maxLength, so was
     *     not made by {@link #tokenizer()}
     */
    public ClassifiedBatch classifyWithStats(List<Encoding> encodings) {
        ensureOpen();
        HeadsModel snapshot = heads.get(); // one version for the whole call, whatever swaps meanwhile
        int maxLength = snapshot.maxLength();
        for (int i = 0; i < encodings.size(); i++) {
            if (encodings.get(i).length() > maxLength) {
                throw new IllegalArgumentException(
                        "encoding " + i + " has " + encodings.get(i).length()
                                + " tokens, this classifier's tokenizer truncates at " + maxLength
                                + ": tokenized by another tokenizer?");
            }
        }
        List<PlannedBatch> plan = planner.plan(encodings);
        Prediction[] predictions = new Prediction[encodings.size()];
        long paddedTokens = 0;
        long encoderNanos = 0;
        long headsNanos = 0;
        for (int b = 0; b < plan.size(); b++) {
            PlannedBatch planned = plan.get(b);
            long start = System.nanoTime();
            Embeddings embeddings;
            try {
                embeddings = encoder.encoder().encode(planned.batch());
            } catch (EncoderException e) {
                throw new BatchFailedException(b, plan.size(), planned.indices(), e);
            }
            long encoded = System.nanoTime();
            List<Scores> scores = snapshot.score(embeddings);
            headsNanos += System.nanoTime() - encoded;
            encoderNanos += encoded - start;
            paddedTokens += planned.paddedTokens();
            for (int row = 0; row < scores.size(); row++) {
                predictions[planned.indices()[row]] = new Prediction(
                        scores.get(row),
                        planned.batch().truncated()[row],
                        planned.batch().lengths()[row],
                        snapshot.version());
            }
        }
        return new ClassifiedBatch(
                Arrays.asList(predictions), snapshot.version(), plan.size(), paddedTokens, encoderNanos, headsNanos);
    }

    /**
     * Replaces the heads for calls that start from now on; calls in flight finish with the heads
     * they started with.
     *
     * @return the heads replaced
     * @throws IncompatibleHeadsException as for {@link #create}; the current heads stay
     */
    public HeadsModel swapHeads(HeadsModel next) {
        ensureOpen();
        checkCompatible(encoder, next);
        return heads.getAndSet(next);
    }

    /** The heads new calls use. */
    public HeadsModel heads() {
        return heads.get();
    }

    /** The tokenizer {@link #classifyEncoded} expects encodings from. */
    public BertTokenizer tokenizer() {
        return encoder.tokenizer();
    }

    /**
     * The encoder and tokenizer this classifier runs (thread-safe), for a second user of the same loaded
     * model in one process, such as {@code up}'s retrainer beside its worker: one copy of the weights in
     * memory. This classifier still owns it: the other user must be done before {@link #close()}.
     */
    public LoadedEncoder loadedEncoder() {
        return encoder;
    }

    public EncoderInfo encoderInfo() {
        return encoder.encoder().info();
    }

    public BatchPolicy policy() {
        return planner.policy();
    }

    /**
     * Closes the encoder. A batch already inside the encoder completes first (the encoder waits for
     * it); a call with batches still to run fails at its next one with the encoder's
     * {@link EncoderClosedException}, not a {@link BatchFailedException}: its
     * texts are not at fault.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            encoder.close();
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("classifier is closed");
        }
    }
}
