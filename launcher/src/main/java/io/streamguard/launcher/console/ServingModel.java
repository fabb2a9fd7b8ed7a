package io.streamguard.launcher.console;

import io.streamguard.console.web.Explainer;
import io.streamguard.console.web.LiveModel;
import io.streamguard.model.explain.Occlusion;
import io.streamguard.model.explain.Scorer;
import io.streamguard.model.explain.WordWeight;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.Thresholds;
import io.streamguard.model.language.Language;
import io.streamguard.model.language.LanguageDetector;
import io.streamguard.model.language.LanguageTags;
import io.streamguard.topology.ClassifierScorer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The models the workers serve, one per encoder, as the console needs them: their versions for the header
 * and the stale marks ({@link LiveModel}), the first encoder's own thresholds for labels the policy leaves to
 * it, and word attributions by leave-one-word-out occlusion ({@link Explainer}).
 *
 * <p>Attributions run on the {@link ClassifierScorer} of the encoder that scored the item, whose heads
 * follow {@code model-versions}: in {@code up} the worker's own, so no second encoder is loaded. Versions
 * are per encoder (English and Chinese may both be at {@code v1}), so an item is explained only by the
 * scorer of its own encoder (the row's {@code encoder_name}; for rows labeled before events named it, the
 * encoder of the text's language), and only while the heads that scored it are the ones loaded (checked
 * on the batch that computed the attribution, so a swap in between cannot slip through). An item scored by
 * an older version, by an encoder not served here, or by none gets no attribution rather than one of a
 * score it was not given.
 */
public final class ServingModel implements LiveModel, Explainer {
    /** One encoder's heads (following model-versions) and, with an engine, its occlusion. */
    record Served(Supplier<HeadsModel> heads, Optional<Occlusion> occlusion) {
        static Served scoring(Supplier<HeadsModel> heads, Scorer texts) {
            return new Served(heads, Optional.of(new Occlusion(texts)));
        }
    }

    /** By encoder id, in the order given: the first is the default (thresholds, rows naming no encoder). */
    private final Map<String, Served> encoders;

    private ServingModel(Map<String, Served> encoders) {
        if (encoders.isEmpty()) {
            throw new IllegalArgumentException("a serving model needs at least one encoder");
        }
        this.encoders = encoders;
    }

    /** Explains with {@code scorer}, the one encoder served (not closed here: its owner closes it). */
    public static ServingModel of(ClassifierScorer scorer) {
        return of(List.of(scorer));
    }

    /**
     * Explains each item with the scorer of its encoder ({@code scorer.heads().encoderId()}); the first is
     * the default. Not closed here: their owner closes them.
     *
     * @throws IllegalArgumentException if none is given or two are of the same encoder
     */
    public static ServingModel of(List<ClassifierScorer> scorers) {
        return new ServingModel(byEncoder(scorers.stream()
                .map(s -> Served.scoring(Objects.requireNonNull(s, "scorer")::heads, s.textScorer()))
                .toList()));
    }

    /** No engine, only a heads file's version and thresholds (a console without the pipeline). */
    public static ServingModel headsOnly(HeadsModel heads) {
        Objects.requireNonNull(heads, "heads");
        return new ServingModel(byEncoder(List.of(new Served(() -> heads, Optional.empty()))));
    }

    /** No engine, only heads files' versions and thresholds, one per encoder, the default first. */
    public static ServingModel headsOnly(List<HeadsModel> heads) {
        return new ServingModel(byEncoder(heads.stream()
                .map(h -> new Served(() -> Objects.requireNonNull(h, "heads"), Optional.empty()))
                .toList()));
    }

    /** The given encoders as they are, for tests with fake scorers. */
    static ServingModel of(Served... served) {
        return new ServingModel(byEncoder(List.of(served)));
    }

    private static Map<String, Served> byEncoder(List<Served> served) {
        Map<String, Served> out = new LinkedHashMap<>();
        for (Served s : served) {
            String encoder = s.heads().get().encoderId();
            if (out.put(encoder, s) != null) {
                throw new IllegalArgumentException("two scorers of encoder " + encoder);
            }
        }
        return out;
    }

    private Served primary() {
        return encoders.values().iterator().next();
    }

    /** The live version: with one encoder its version, with several each one's ("minilm-l6 v2, bge-small-zh v1"). */
    @Override
    public Optional<String> version() {
        if (encoders.size() == 1) {
            return Optional.of(primary().heads().get().version());
        }
        return Optional.of(encoders.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().heads().get().version())
                .collect(Collectors.joining(", ")));
    }

    @Override
    public Optional<String> version(Optional<String> encoder) {
        Served served = encoder.isPresent() ? encoders.get(encoder.get()) : primary();
        return served == null
                ? Optional.empty()
                : Optional.of(served.heads().get().version());
    }

    /** The encoder ids served, the default first. */
    public List<String> encoderIds() {
        return List.copyOf(encoders.keySet());
    }

    /** The first encoder's own REVIEW/BLOCK thresholds per moderation label. */
    public Map<String, Thresholds> thresholds() {
        return thresholds(Optional.empty());
    }

    /**
     * The own REVIEW/BLOCK thresholds per moderation label of {@code encoder}'s model (empty: the first
     * encoder's); none for an encoder not served.
     */
    public Map<String, Thresholds> thresholds(Optional<String> encoder) {
        Served served = encoder.isPresent() ? encoders.get(encoder.get()) : primary();
        if (served == null) {
            return Map.of();
        }
        HeadsModel model = served.heads().get();
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
    public Optional<Explanation> explain(String text, String modelVersion, Optional<String> encoder) {
        Served served = encoder.map(encoders::get).orElseGet(() -> ofLanguage(LanguageDetector.detect(text)));
        if (served == null
                || served.occlusion().isEmpty()
                || !served.heads().get().version().equals(modelVersion)) {
            return Optional.empty();
        }
        io.streamguard.model.explain.Explanation e = served.occlusion().get().explain(text);
        if (!e.modelVersion().equals(modelVersion)) {
            return Optional.empty(); // the heads were swapped while it ran
        }
        Map<String, List<Span>> labels = new LinkedHashMap<>();
        e.labels().forEach((label, weights) -> labels.put(label, spans(weights)));
        return Optional.of(new Explanation(
                labels, e.cost().texts(), Duration.ofNanos(e.cost().wallNanos())));
    }

    /**
     * For a row that names no encoder: the encoder of the text's language, as the workers route; a text
     * without letters ({@code und}) went to the first encoder; null if no encoder served reads it.
     */
    private Served ofLanguage(String language) {
        if (language.equals(LanguageTags.UNDETERMINED)) {
            return primary();
        }
        return encoders.entrySet().stream()
                .filter(e -> Language.ofEncoder(e.getKey()).code().equals(language))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    private static List<Span> spans(List<WordWeight> weights) {
        return weights.stream()
                .map(w -> new Span(w.word().start(), w.word().end(), w.weight()))
                .toList();
    }
}
