package io.streamguard.model.explain;

import java.util.Comparator;
import java.util.List;

/** Picks the words worth showing a moderator. Pure. */
public final class TopWords {

    private TopWords() {}

    /**
     * The at most {@code k} words with weight {@code >= minWeight}, strongest first; ties keep text
     * order.
     */
    public static List<WordWeight> of(List<WordWeight> weights, int k, double minWeight) {
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative, got " + k);
        }
        return weights.stream()
                .filter(w -> w.weight() >= minWeight)
                .sorted(Comparator.comparingDouble(WordWeight::weight).reversed())
                .limit(k)
                .toList();
    }
}
