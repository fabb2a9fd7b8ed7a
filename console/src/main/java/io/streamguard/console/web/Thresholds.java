package io.streamguard.console.web;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The live per-label thresholds (from the model and the policy in force), asked on every page so a new
 * policy shows at once; the launcher wires it to the policy topic, tests to a fixed map.
 */
@FunctionalInterface
public interface Thresholds {
    /** A label's REVIEW and BLOCK thresholds. */
    record Label(double review, double block) {}

    /** Per label, its current thresholds. */
    Map<String, Label> current();

    /**
     * Per label, the thresholds an item was decided against: those of the model of its encoder (empty: the
     * first encoder's) and the policy's overrides for its language ({@code language} may be null), as the
     * workers decide. By default the same for every item.
     */
    default Map<String, Label> forItem(Optional<String> encoder, String language) {
        return current();
    }

    /** Per label, its REVIEW threshold: what queue priority is measured against. */
    default Map<String, Double> review() {
        Map<String, Double> review = new TreeMap<>();
        current().forEach((label, t) -> review.put(label, t.review()));
        return review;
    }

    static Thresholds fixed(Map<String, Label> thresholds) {
        Map<String, Label> copy = Map.copyOf(thresholds);
        return () -> copy;
    }
}
