package io.streamguard.model.heads;

import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.encoder.LowRankAdapters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A versioned set of classifier heads for one encoder: what a model version is, apart from the
 * (large, shared, read-only) encoder weights. One encoder pass per text feeds every head through
 * {@link #score(Embeddings)}. Stored as JSON by {@link HeadsFile}.
 *
 * @param version e.g. {@code v1}
 * @param encoderId the encoder whose features the heads were trained on
 * @param vocabHash that encoder's vocabulary hash (see {@code Vocabulary#vocabHash})
 * @param maxLength the tokenizer truncation used in training; serving should use the same
 * @param feature which encoder output the heads read
 * @param heads at least one; names unique, sigmoid labels unique across heads
 * @param thresholds review/block cut-offs for every sigmoid label
 * @param metrics evaluation results by task, then metric name (e.g. {@code hate -> macroF1})
 * @param provenance training data, seed, parent version
 * @param adapters fine-tuned adapters the encoder must merge for these heads' features, null for the frozen
 *     encoder; an encoder loaded with other adapters gives features the heads never saw (see
 *     {@code Classifier}), so they are part of the model version
 */
public record HeadsModel(
        String version,
        String encoderId,
        String vocabHash,
        int maxLength,
        Feature feature,
        List<Head> heads,
        Map<String, Thresholds> thresholds,
        Map<String, Map<String, Double>> metrics,
        Provenance provenance,
        LowRankAdapters adapters) {

    /** Heads for the frozen encoder: no adapters. */
    public HeadsModel(
            String version,
            String encoderId,
            String vocabHash,
            int maxLength,
            Feature feature,
            List<Head> heads,
            Map<String, Thresholds> thresholds,
            Map<String, Map<String, Double>> metrics,
            Provenance provenance) {
        this(version, encoderId, vocabHash, maxLength, feature, heads, thresholds, metrics, provenance, null);
    }

    public HeadsModel {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(encoderId, "encoderId");
        Objects.requireNonNull(vocabHash, "vocabHash");
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(provenance, "provenance");
        if (version.isBlank()) {
            throw new IllegalArgumentException("version is blank");
        }
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be at least 2, got " + maxLength);
        }
        heads = List.copyOf(heads);
        if (heads.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one head");
        }
        Set<String> names = new HashSet<>();
        Set<String> sigmoidLabels = new HashSet<>();
        int width = heads.get(0).inputWidth();
        for (Head head : heads) {
            if (!names.add(head.name())) {
                throw new IllegalArgumentException("duplicate head " + head.name());
            }
            if (head.inputWidth() != width) {
                throw new IllegalArgumentException("head " + head.name() + " reads " + head.inputWidth()
                        + " features, head " + heads.get(0).name() + " reads " + width);
            }
            if (head.kind() == HeadKind.SIGMOID) {
                for (String label : head.labels()) {
                    if (!sigmoidLabels.add(label)) {
                        throw new IllegalArgumentException("label " + label + " is in two heads");
                    }
                }
            }
        }
        thresholds = Collections.unmodifiableMap(new TreeMap<>(thresholds));
        if (!thresholds.keySet().equals(sigmoidLabels)) {
            throw new IllegalArgumentException("thresholds must cover exactly the moderation labels " + sigmoidLabels
                    + ", cover " + thresholds.keySet());
        }
        Map<String, Map<String, Double>> copy = new TreeMap<>();
        metrics.forEach((task, values) -> {
            values.forEach((metric, value) -> {
                // JSON has no NaN or infinity, so such a metric could be written but never read back.
                if (value == null || !Double.isFinite(value)) {
                    throw new IllegalArgumentException("metric " + task + "." + metric + " is " + value);
                }
            });
            copy.put(task, Collections.unmodifiableMap(new TreeMap<>(values)));
        });
        metrics = Collections.unmodifiableMap(copy);
    }

    /** The adapters, if these heads need a fine-tuned encoder. */
    public Optional<LowRankAdapters> adaptersIfAny() {
        return Optional.ofNullable(adapters);
    }

    /** {@link LowRankAdapters#fingerprint()} of the adapters, null for none. */
    public String adaptersFingerprint() {
        return LowRankAdapters.fingerprintOf(adapters);
    }

    /** Every moderation (sigmoid) label, in head order. */
    public List<String> moderationLabels() {
        List<String> labels = new ArrayList<>();
        for (Head head : heads) {
            if (head.kind() == HeadKind.SIGMOID) {
                labels.addAll(head.labels());
            }
        }
        return labels;
    }

    /** The head called {@code name}. */
    public Head head(String name) {
        for (Head head : heads) {
            if (head.name().equals(name)) {
                return head;
            }
        }
        throw new IllegalArgumentException("no head " + name + " in model " + version);
    }

    /**
     * Refuses an encoder these heads were not trained on.
     *
     * @throws IncompatibleHeadsException on a different encoder id, vocabulary or hidden size
     */
    public void checkCompatible(EncoderInfo encoder) {
        if (!encoderId.equals(encoder.id())) {
            throw new IncompatibleHeadsException(
                    "model " + version + " was trained on encoder " + encoderId + ", not " + encoder.id());
        }
        if (!vocabHash.equals(encoder.vocabHash())) {
            throw new IncompatibleHeadsException("model " + version + " was trained with vocabulary " + vocabHash
                    + ", encoder " + encoder.id() + " has " + encoder.vocabHash());
        }
        int expected = feature.width(encoder.hidden());
        if (heads.get(0).inputWidth() != expected) {
            throw new IncompatibleHeadsException(
                    "model " + version + " heads read " + heads.get(0).inputWidth() + " features, " + feature + " of "
                            + encoder.id() + " gives " + expected);
        }
    }

    /** Every head's output for every row of {@code embeddings}, in row order. */
    public List<Scores> score(Embeddings embeddings) {
        List<Scores> out = new ArrayList<>(embeddings.batchSize());
        for (int row = 0; row < embeddings.batchSize(); row++) {
            out.add(score(feature.extract(embeddings, row)));
        }
        return out;
    }

    /** Every head's output for one feature vector (as {@link Feature#extract} gives). */
    public Scores score(float[] featureVector) {
        Map<String, Float> labels = new LinkedHashMap<>();
        Map<String, Classification> classes = new LinkedHashMap<>();
        for (Head head : heads) {
            float[] p = head.probabilities(featureVector);
            if (head.kind() == HeadKind.SIGMOID) {
                for (int i = 0; i < p.length; i++) {
                    labels.put(head.labels().get(i), p[i]);
                }
            } else {
                int best = 0;
                Map<String, Float> probabilities = new LinkedHashMap<>();
                for (int i = 0; i < p.length; i++) {
                    probabilities.put(head.labels().get(i), p[i]);
                    if (p[i] > p[best]) {
                        best = i;
                    }
                }
                classes.put(head.name(), new Classification(head.labels().get(best), p[best], probabilities));
            }
        }
        return new Scores(labels, classes);
    }

    /** The same heads under another version and provenance, e.g. for a retrained candidate. */
    public HeadsModel withVersion(String newVersion, Provenance newProvenance) {
        return new HeadsModel(
                newVersion,
                encoderId,
                vocabHash,
                maxLength,
                feature,
                heads,
                thresholds,
                metrics,
                newProvenance,
                adapters);
    }

    /** The same heads with other thresholds (e.g. re-chosen on validation data). */
    public HeadsModel withThresholds(Map<String, Thresholds> newThresholds) {
        return new HeadsModel(
                version, encoderId, vocabHash, maxLength, feature, heads, newThresholds, metrics, provenance, adapters);
    }

    /** The same heads with other metrics. */
    public HeadsModel withMetrics(Map<String, Map<String, Double>> newMetrics) {
        return new HeadsModel(
                version, encoderId, vocabHash, maxLength, feature, heads, thresholds, newMetrics, provenance, adapters);
    }

    /** The same heads for an encoder with {@code newAdapters} merged (null: the frozen encoder). */
    public HeadsModel withAdapters(LowRankAdapters newAdapters) {
        return new HeadsModel(
                version, encoderId, vocabHash, maxLength, feature, heads, thresholds, metrics, provenance, newAdapters);
    }
}
