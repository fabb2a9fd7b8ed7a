package io.streamguard.model.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.model.heads.Scores;
import io.streamguard.model.heads.Thresholds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How much harmless text a model flags: per moderation label, the share of that label's {@link BenignSet}
 * texts whose score reaches the label's review threshold (a moderator has to look) and its block threshold,
 * plus the share of all benign texts that reach any review threshold they are benign for, and the
 * decision on each of the set's everyday sentences ({@link BenignSet#smoke()}). A score at a threshold reaches it, as in the pipeline.
 *
 * @param rates one per label the set covers and the model has thresholds for
 * @param anyLabel over the distinct benign texts: reaching a review (block) threshold of any label it is
 *     benign for; label {@code any}, no thresholds
 * @param smoke the everyday sentences with their decisions
 */
public record OverBlocking(List<Rate> rates, Rate anyLabel, List<Smoke> smoke) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public OverBlocking {
        rates = List.copyOf(rates);
        smoke = List.copyOf(smoke);
    }

    /**
     * Benign texts of one label at its thresholds.
     *
     * @param benign what the texts are, in words
     * @param review the review threshold; null for {@link OverBlocking#anyLabel}
     * @param block the block threshold; null likewise
     */
    public record Rate(String label, String benign, int texts, Double review, int atReview, Double block, int atBlock) {

        /** Share of the texts at or above review, 0 for no texts. */
        @JsonProperty("reviewShare")
        public double reviewShare() {
            return texts == 0 ? 0 : (double) atReview / texts;
        }

        /** Share of the texts at or above block, 0 for no texts. */
        @JsonProperty("blockShare")
        public double blockShare() {
            return texts == 0 ? 0 : (double) atBlock / texts;
        }
    }

    /**
     * One everyday sentence: its score per label and what the pipeline would do.
     *
     * @param decision {@code allow}, {@code review} or {@code block}: the most severe over the labels
     * @param because the labels that reached a threshold, e.g. {@code spam 0.905}; empty when allowed
     */
    public record Smoke(String text, Map<String, Double> scores, String decision, String because) {}

    /** {@code label}'s benign {@code scores} against its thresholds. */
    public static Rate rate(String label, String benign, double[] scores, Thresholds thresholds) {
        int review = 0;
        int block = 0;
        for (double s : scores) {
            if (s >= thresholds.review()) {
                review++;
            }
            if (s >= thresholds.block()) {
                block++;
            }
        }
        return new Rate(label, benign, scores.length, thresholds.review(), review, thresholds.block(), block);
    }

    /**
     * Scores the set's texts and the smoke sentences in one call of {@code scorer} (texts in, one
     * {@link Scores} per text out, in order) and measures them at {@code thresholds}. Labels without
     * thresholds are left out.
     */
    public static OverBlocking measure(
            BenignSet set, Map<String, Thresholds> thresholds, Function<List<String>, List<Scores>> scorer) {
        List<String> texts = new ArrayList<>(set.texts());
        texts.addAll(set.smoke());
        List<Scores> scored = scorer.apply(texts);
        if (scored.size() != texts.size()) {
            throw new IllegalStateException(
                    "scorer returned " + scored.size() + " scores for " + texts.size() + " texts");
        }
        Map<String, Scores> byText = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            byText.put(texts.get(i), scored.get(i));
        }
        List<Rate> rates = new ArrayList<>();
        Map<String, int[]> worst = new LinkedHashMap<>(); // text -> {reached review, reached block}
        for (String label : set.labels()) {
            Thresholds t = thresholds.get(label);
            if (t == null) {
                continue;
            }
            List<BenignSet.Item> items = set.items(label);
            double[] scores = new double[items.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = byText.get(items.get(i).text()).label(label);
                int[] reached = worst.computeIfAbsent(items.get(i).text(), k -> new int[2]);
                reached[0] |= scores[i] >= t.review() ? 1 : 0;
                reached[1] |= scores[i] >= t.block() ? 1 : 0;
            }
            rates.add(rate(label, set.rule(label), scores, t));
        }
        int anyReview = 0;
        int anyBlock = 0;
        for (int[] reached : worst.values()) {
            anyReview += reached[0];
            anyBlock += reached[1];
        }
        Rate any = new Rate(
                "any",
                "every distinct text above, at the thresholds of the labels it is benign for",
                worst.size(),
                null,
                anyReview,
                null,
                anyBlock);
        List<Smoke> smoke = new ArrayList<>();
        for (String text : set.smoke()) {
            smoke.add(smoke(text, byText.get(text), thresholds));
        }
        return new OverBlocking(rates, any, smoke);
    }

    static Smoke smoke(String text, Scores scores, Map<String, Thresholds> thresholds) {
        Map<String, Double> byLabel = new LinkedHashMap<>();
        int severity = 0;
        List<String> because = new ArrayList<>();
        for (Map.Entry<String, Float> e : scores.labels().entrySet()) {
            double s = e.getValue();
            byLabel.put(e.getKey(), s);
            Thresholds t = thresholds.get(e.getKey());
            if (t == null || s < t.review()) {
                continue;
            }
            severity = Math.max(severity, s >= t.block() ? 2 : 1);
            because.add(String.format(Locale.ROOT, "%s %.3f", e.getKey(), s));
        }
        return new Smoke(text, byLabel, List.of("allow", "review", "block").get(severity), String.join(", ", because));
    }

    /** Plain text for the terminal. */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%-10s %6s %8s %13s %8s %13s%n",
                "benign",
                "texts",
                "review",
                "reach review",
                "block",
                "reach block"));
        for (Rate r : allRates()) {
            out.append(String.format(
                    Locale.ROOT,
                    "%-10s %6d %8s %6d %5.1f %% %8s %6d %5.1f %%%n",
                    r.label(),
                    r.texts(),
                    threshold(r.review()),
                    r.atReview(),
                    100 * r.reviewShare(),
                    threshold(r.block()),
                    r.atBlock(),
                    100 * r.blockShare()));
        }
        out.append('\n');
        for (Smoke s : smoke) {
            out.append(String.format(
                    Locale.ROOT,
                    "%-6s  %s%s%n",
                    s.decision().toUpperCase(Locale.ROOT),
                    s.text(),
                    s.because().isEmpty() ? "" : "  (" + s.because() + ")"));
        }
        return out.toString();
    }

    /** A markdown section for the model report, saying what the benign texts are. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder("## Over-blocking\n\n");
        md.append("Harmless text that reaches a label's review (block) threshold, drawn from the training splits only"
                        + " (`BenignSet`, seed ")
                .append(BenignSet.DEFAULT_SEED)
                .append("; a trainer that learns from hard negatives leaves these texts out, `BenignSet.without`)."
                        + " Per label:\n\n");
        for (Rate r : rates) {
            md.append("- ")
                    .append(r.label())
                    .append(": ")
                    .append(r.texts())
                    .append(" ")
                    .append(r.benign())
                    .append('\n');
        }
        md.append("\n| label | benign texts | review | reach review | block | reach block |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Rate r : allRates()) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %s | %d (%.1f %%) | %s | %d (%.1f %%) |%n",
                    r.label(),
                    r.texts(),
                    threshold(r.review()),
                    r.atReview(),
                    100 * r.reviewShare(),
                    threshold(r.block()),
                    r.atBlock(),
                    100 * r.blockShare()));
        }
        List<String> labels =
                smoke.isEmpty() ? List.of() : List.copyOf(smoke.get(0).scores().keySet());
        md.append("\nEveryday sentences:\n\n| text | ");
        md.append(String.join(" | ", labels)).append(" | decision |\n|---|");
        md.append("---|".repeat(labels.size())).append("---|\n");
        for (Smoke s : smoke) {
            md.append("| ").append(s.text().replace("|", "\\|")).append(" | ");
            for (String label : labels) {
                md.append(String.format(Locale.ROOT, "%.3f | ", s.scores().get(label)));
            }
            md.append(s.decision().equals("allow") ? "allow" : "**" + s.decision() + "**")
                    .append(" |\n");
        }
        return md.append('\n').toString();
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an over-blocking report is always serialisable", e);
        }
    }

    private List<Rate> allRates() {
        List<Rate> all = new ArrayList<>(rates);
        all.add(anyLabel);
        return all;
    }

    private static String threshold(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }
}
