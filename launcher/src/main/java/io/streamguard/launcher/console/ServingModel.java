package io.streamguard.launcher.console;

import io.streamguard.console.web.Explainer;
import io.streamguard.console.web.LiveModel;
import io.streamguard.model.explain.Occlusion;
import io.streamguard.model.explain.WordWeight;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.Thresholds;
import io.streamguard.topology.ClassifierScorer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The model the workers serve, as the console needs it: its version for the header ({@link LiveModel}),
 * its own thresholds for labels the policy leaves to it, and word attributions by leave-one-word-out
 * occlusion ({@link Explainer}).
 *
 * <p>Attributions run on a {@link ClassifierScorer} whose heads follow {@code model-versions}: in
 * {@code up} the worker's own, so no second encoder is loaded. An item is explained only while the
 * heads that scored it are the ones loaded (checked on the batch that computed the attribution, so a
 * swap in between cannot slip through); an item scored by an older version gets none rather than an
 * explanation of a score it was not given.
 */
public final class ServingModel implements LiveModel, Explainer {
    private final Supplier<HeadsModel> heads;
    private final Optional<Occlusion> occlusion;

    private ServingModel(Supplier<HeadsModel> heads, Optional<Occlusion> occlusion) {
        this.heads = heads;
        this.occlusion = occlusion;
    }

    /** Explains with {@code scorer} (not closed here: its owner closes it). */
    public static ServingModel of(ClassifierScorer scorer) {
        Objects.requireNonNull(scorer, "scorer");
        return new ServingModel(scorer::heads, Optional.of(new Occlusion(scorer.textScorer())));
    }

    /** No engine, only a heads file's version and thresholds (a console without the pipeline). */
    public static ServingModel headsOnly(HeadsModel heads) {
        Objects.requireNonNull(heads, "heads");
        return new ServingModel(() -> heads, Optional.empty());
    }

    @Override
    public Optional<String> version() {
        return Optional.of(heads.get().version());
    }

    /** The model's own REVIEW/BLOCK thresholds per moderation label. */
    public Map<String, Thresholds> thresholds() {
        HeadsModel model = heads.get();
        Map<String, Thresholds> out = new LinkedHashMap<>();
        for (String label : model.moderationLabels()) {
            Thresholds t = model.thresholds().get(label);
            if (t != null) {
                out.put(label, t);
            }
        }
        return out;
    }

    @Override
    public Optional<Explanation> explain(String text, String modelVersion) {
        if (occlusion.isEmpty() || !heads.get().version().equals(modelVersion)) {
            return Optional.empty();
        }
        io.streamguard.model.explain.Explanation e = occlusion.get().explain(text);
        if (!e.modelVersion().equals(modelVersion)) {
            return Optional.empty(); // the heads were swapped while it ran
        }
        Map<String, List<Span>> labels = new LinkedHashMap<>();
        e.labels().forEach((label, weights) -> labels.put(label, spans(weights)));
        return Optional.of(new Explanation(
                labels, e.cost().texts(), Duration.ofNanos(e.cost().wallNanos())));
    }

    private static List<Span> spans(List<WordWeight> weights) {
        return weights.stream()
                .map(w -> new Span(w.word().start(), w.word().end(), w.weight()))
                .toList();
    }
}
