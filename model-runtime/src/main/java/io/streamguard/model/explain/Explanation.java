package io.streamguard.model.explain;

import io.streamguard.model.Prediction;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Why a text got its scores: for every label, each span's weight ({@link WordWeight}), in text order.
 *
 * @param text the text explained
 * @param original its prediction, scored in the same call as the variants
 * @param labels per moderation label, one weight per span: the drop in the label's probability
 * @param classes per softmax head (e.g. {@code sentiment}), per class, one weight per span: the drop
 *     in the class's probability
 * @param spans the spans occluded; more than one word each if the text had more words than the cap
 * @param cost what it took
 */
public record Explanation(
        String text,
        Prediction original,
        Map<String, List<WordWeight>> labels,
        Map<String, Map<String, List<WordWeight>>> classes,
        List<Word> spans,
        Cost cost) {

    public Explanation {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(cost, "cost");
        labels = copy(labels);
        Map<String, Map<String, List<WordWeight>>> heads = new LinkedHashMap<>();
        classes.forEach((head, byClass) -> heads.put(head, copy(byClass)));
        classes = Collections.unmodifiableMap(heads);
        spans = List.copyOf(spans);
    }

    /** The heads version that scored the text and every variant. */
    public String modelVersion() {
        return original.modelVersion();
    }

    /**
     * Whether the text was longer than the encoder reads: spans past the cut weigh nothing because the
     * model never saw them.
     */
    public boolean truncated() {
        return original.truncated();
    }

    /** The at most {@code k} spans that push {@code label} up by at least {@code minWeight}, strongest first. */
    public List<WordWeight> top(String label, int k, double minWeight) {
        List<WordWeight> weights = labels.get(label);
        if (weights == null) {
            throw new IllegalArgumentException("no label " + label + "; have " + labels.keySet());
        }
        return TopWords.of(weights, k, minWeight);
    }

    private static Map<String, List<WordWeight>> copy(Map<String, List<WordWeight>> map) {
        Map<String, List<WordWeight>> copy = new LinkedHashMap<>();
        map.forEach((key, weights) -> copy.put(key, List.copyOf(weights)));
        return Collections.unmodifiableMap(copy);
    }
}
