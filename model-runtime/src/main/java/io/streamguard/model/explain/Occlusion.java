package io.streamguard.model.explain;

import io.streamguard.model.ClassifiedBatch;
import io.streamguard.model.Prediction;
import io.streamguard.model.heads.Classification;
import io.streamguard.model.heads.Scores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Leave-one-word-out attribution: a span's weight for a label is how much the label's score drops
 * when the span is removed. Model-agnostic and exact for the model that serves (same encoder, same
 * heads version, scored in the same call), at the price of one extra text per span.
 *
 * <p>Texts with more words than {@code maxSpans} are occluded in groups of adjacent words ({@link
 * Words#group}), so the cost per item is bounded by {@code maxSpans + 1} texts.
 */
public final class Occlusion {

    /** Spans per text: 65 texts per item, about two encoder batches under the default policy. */
    public static final int DEFAULT_MAX_SPANS = 64;

    private final Scorer scorer;
    private final int maxSpans;

    public Occlusion(Scorer scorer, int maxSpans) {
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        if (maxSpans < 1) {
            throw new IllegalArgumentException("maxSpans must be positive, got " + maxSpans);
        }
        this.maxSpans = maxSpans;
    }

    public Occlusion(Scorer scorer) {
        this(scorer, DEFAULT_MAX_SPANS);
    }

    /** Explains {@code text} with one scorer call of {@code 1 + spans} texts. */
    public Explanation explain(String text) {
        Objects.requireNonNull(text, "text");
        long start = System.nanoTime();
        List<Word> spans = Words.group(text, Words.split(text), maxSpans);
        List<String> texts = new ArrayList<>(spans.size() + 1);
        texts.add(text);
        for (Word span : spans) {
            texts.add(Words.without(text, span));
        }
        ClassifiedBatch batch = scorer.score(texts);
        if (batch.predictions().size() != texts.size()) {
            throw new IllegalStateException(
                    "scorer returned " + batch.predictions().size() + " predictions for " + texts.size() + " texts");
        }
        return weigh(text, spans, batch, start);
    }

    /** The weights from the original's prediction (row 0) and the variants' (row i + 1 without span i). */
    private static Explanation weigh(String text, List<Word> spans, ClassifiedBatch batch, long startNanos) {
        List<Prediction> predictions = batch.predictions();
        Scores original = predictions.get(0).scores();
        Map<String, List<WordWeight>> labels = new LinkedHashMap<>();
        original.labels().forEach((label, p) -> {
            List<WordWeight> weights = new ArrayList<>(spans.size());
            for (int i = 0; i < spans.size(); i++) {
                float without = predictions.get(i + 1).scores().label(label);
                weights.add(new WordWeight(spans.get(i), (double) p - without));
            }
            labels.put(label, weights);
        });
        Map<String, Map<String, List<WordWeight>>> classes = new LinkedHashMap<>();
        original.classes().forEach((head, verdict) -> {
            Map<String, List<WordWeight>> byClass = new LinkedHashMap<>();
            verdict.probabilities().forEach((cls, p) -> {
                List<WordWeight> weights = new ArrayList<>(spans.size());
                for (int i = 0; i < spans.size(); i++) {
                    Classification other =
                            predictions.get(i + 1).scores().classes().get(head);
                    weights.add(new WordWeight(
                            spans.get(i), (double) p - other.probabilities().get(cls)));
                }
                byClass.put(cls, weights);
            });
            classes.put(head, byClass);
        });
        Cost cost =
                new Cost(predictions.size(), batch.encoderCalls(), batch.modelNanos(), System.nanoTime() - startNanos);
        return new Explanation(text, predictions.get(0), labels, classes, spans, cost);
    }
}
