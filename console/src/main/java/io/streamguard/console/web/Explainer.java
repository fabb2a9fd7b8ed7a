package io.streamguard.console.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The "why" of an item: per label, how much each word drove its score. The launcher adapts the model
 * runtime's leave-one-word-out occlusion ({@code io.streamguard.model.explain.Occlusion}) so the console
 * stays free of the model's native libraries; it runs when an item opens.
 */
@FunctionalInterface
public interface Explainer {
    /**
     * A word (or group of words) of the text and its weight: the label's score minus the score without
     * it, so positive weights pushed the label up.
     */
    record Span(int start, int end, double weight) {}

    /** Per label, its spans; what computing it cost (texts scored, time), shown beside it. */
    record Explanation(Map<String, List<Span>> labels, int texts, Duration cost) {
        public Explanation {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * Explains {@code text} with the model that scored it: encoder {@code encoder} (empty for rows labeled
     * before events named their encoder: then the encoder of the text's language) at heads version {@code
     * modelVersion}. Empty where that model is not the one loaded (an attribution from another model, or
     * another encoder's same-named version, would explain a score it did not give).
     */
    Optional<Explanation> explain(String text, String modelVersion, Optional<String> encoder);

    /** No explanations: the console without a model. */
    static Explainer none() {
        return (text, modelVersion, encoder) -> Optional.empty();
    }
}
