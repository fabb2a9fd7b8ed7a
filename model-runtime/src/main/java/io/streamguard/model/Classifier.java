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
import java.util.Optional;
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
 *
 * <p>Heads that carry fine-tuned adapters ({@link HeadsModel#adapters()}) need an encoder with exactly those
 * adapters merged: {@link #load} loads it so, and every other entry point refuses heads whose adapters
 * (compared by {@link io.streamguard.model.encoder.LowRankAdapters#fingerprint() fingerprint}) are not the
 * encoder's, since the merge happens once, at load.
 */
public final class Classifier implements AutoCloseable {

    private final LoadedEncoder encoder;
    private final BatchPlanner planner;
    private final AtomicReference<HeadsModel> heads;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Fingerprint of the adapters merged into {@link #encoder}, null for the frozen encoder. */
    private final String adaptersFingerprint;

    private Classifier(LoadedEncoder encoder, String adaptersFingerprint, HeadsModel heads, BatchPolicy policy) {
        this.encoder = encoder;
        this.adaptersFingerprint = adaptersFingerprint;
        this.planner = BatchPlanner.forTokenizer(encoder.tokenizer(), policy);
        this.heads = new AtomicReference<>(heads);
    }

    /**
     * A classifier over {@code encoder}, which it owns from now on ({@link #close()} closes it).
     *
     * @throws IncompatibleHeadsException if {@code heads} were trained on another encoder, vocabulary
     *     or hidden size, or with another tokenizer maxLength than {@code encoder}'s tokenizer uses, or
     *     carry other adapters than {@code encoder} merged ({@link LoadedEncoder#adapters()})
     */
    public static Classifier create(LoadedEncoder encoder, HeadsModel heads, BatchPolicy policy) {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(policy, "policy");
        String fingerprint = encoder.adaptersFingerprint();
        checkCompatible(encoder, fingerprint, heads);
        return new Classifier(encoder, fingerprint, heads, policy);
    }

    /**
     * Reads a heads file and loads the encoder it was trained on, with the heads' adapters merged if they
     * carry any.
     *
     * @param config the encoder to load; its id and maxLength must be the heads file's (checked before
     *     the encoder, which takes seconds, is loaded)
     * @throws HeadsFileException if the heads file cannot be read
     * @throws IncompatibleHeadsException if the heads do not fit the configured encoder
     * @throws EncoderException if the encoder cannot be loaded, or cannot merge the heads' adapters
     *     ({@link io.streamguard.model.encoder.UnsupportedEncoderException} for BERT-base)
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
        LoadedEncoder loaded = EncoderFactory.create(config, heads.adapters());
        try {
            return create(loaded, heads, policy);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    private static void checkCompatible(LoadedEncoder encoder, String adaptersFingerprint, HeadsModel heads) {
        Objects.requireNonNull(heads, "heads");
        heads.checkCompatible(encoder.encoder().info());
        String wanted = heads.adaptersFingerprint();
        if (!Objects.equals(wanted, adaptersFingerprint)) {
            // The adapters are merged into the weights at load: other adapters need another encoder.
            throw new IncompatibleHeadsException("heads " + heads.version() + " need the encoder with "
                    + describeAdapters(wanted) + ", this encoder was loaded with "
                    + describeAdapters(adaptersFingerprint)
                    + ": a worker must reload the encoder with the heads' adapters to serve them");
        }
        int maxLength = encoder.tokenizer().options().maxLength();
        if (heads.maxLength() != maxLength) {
            // Same weights, other truncation: long texts would be scored on inputs the heads never saw.
            throw new IncompatibleHeadsException("heads " + heads.version() + " were trained on texts truncated at "
                    + heads.maxLength() + " tokens, this tokenizer truncates at " + maxLength);
        }
    }

    private static String describeAdapters(String fingerprint) {
        return fingerprint == null ? "no adapters" : "adapters " + fingerprint.substring(0, 12);
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
     * @throws IncompatibleHeadsException as for {@link #create}, including heads whose adapters differ from
     *     the loaded encoder's: those need the encoder reloaded, not a swap; the current heads stay
     */
    public HeadsModel swapHeads(HeadsModel next) {
        ensureOpen();
        checkCompatible(encoder, adaptersFingerprint, next);
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

    /** Fingerprint of the adapters merged into the encoder, empty for the frozen encoder. */
    public Optional<String> adaptersFingerprint() {
        return Optional.ofNullable(adaptersFingerprint);
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
