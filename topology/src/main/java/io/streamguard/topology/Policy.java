package io.streamguard.topology;

import io.streamguard.avro.Decision;
import io.streamguard.avro.LabelPolicy;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.model.language.LanguageTags;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A validated moderation policy: per-label review/block cut-offs, overridden per language, and the decision for
 * languages no model reads. Labels it does not name fall back to the model's thresholds, so a label added by a
 * new model is never silently allowed.
 *
 * @param version recorded in every decision made under this policy
 * @param rules per label
 * @param languages per language (primary subtag), per label: rules that replace {@code rules} for its events
 * @param unsupportedLanguage the decision for events no model scored (their language has none)
 */
public record Policy(
        String version,
        Map<String, Rule> rules,
        Map<String, Map<String, Rule>> languages,
        Decision unsupportedLanguage) {

    /**
     * Cut-offs for one label; a null threshold never triggers.
     *
     * @param review score at or above which a human reviews
     * @param block score at or above which the text is blocked
     * @param enabled false: the label never triggers
     */
    public record Rule(Double review, Double block, boolean enabled) {

        public Rule {
            check("review", review);
            check("block", block);
            if (review != null && block != null && review > block) {
                throw new InvalidPolicyException("review threshold " + review + " is above block threshold " + block);
            }
        }

        private static void check(String name, Double value) {
            if (value != null && !(value >= 0 && value <= 1)) {
                throw new InvalidPolicyException(name + " threshold must lie in [0, 1], got " + value);
            }
        }
    }

    public Policy {
        if (version == null || version.isBlank()) {
            throw new InvalidPolicyException("policy version must not be blank");
        }
        rules = Map.copyOf(rules);
        Map<String, Map<String, Rule>> copy = new LinkedHashMap<>();
        languages.forEach((language, r) -> copy.put(language, Map.copyOf(r)));
        languages = Map.copyOf(copy);
        Objects.requireNonNull(unsupportedLanguage, "unsupportedLanguage");
    }

    /** Per-label rules alone: no language overrides, unsupported languages go to review. */
    public Policy(String version, Map<String, Rule> rules) {
        this(version, rules, Map.of(), Decision.REVIEW);
    }

    /** The rule for {@code label} in events of {@code language} (may be null): its override, else the label's. */
    Rule rule(String language, String label) {
        Map<String, Rule> own = language == null ? null : languages.get(language);
        Rule rule = own == null ? null : own.get(label);
        return rule != null ? rule : rules.get(label);
    }

    /**
     * The policy a {@code moderation-policy} record describes. Languages are keyed by their primary subtag
     * ({@code zh-CN} counts as {@code zh}).
     *
     * @throws InvalidPolicyException if a threshold is outside [0, 1], review exceeds block, the version is
     *     blank, or a language is no language tag or named twice
     */
    public static Policy fromAvro(ModerationPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        Map<String, Map<String, Rule>> languages = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, LabelPolicy>> e :
                policy.getLanguages().entrySet()) {
            String language = LanguageTags.primary(e.getKey());
            if (language == null) {
                throw new InvalidPolicyException("language '" + e.getKey() + "' is not a language tag (e.g. zh, en)");
            }
            if (languages.put(language, rules(e.getValue(), "language " + language + ", ")) != null) {
                throw new InvalidPolicyException("language " + language + " is named twice");
            }
        }
        return new Policy(
                policy.getVersion(), rules(policy.getLabels(), ""), languages, policy.getUnsupportedLanguage());
    }

    private static Map<String, Rule> rules(Map<String, LabelPolicy> labels, String where) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (Map.Entry<String, LabelPolicy> e : labels.entrySet()) {
            LabelPolicy p = e.getValue();
            try {
                rules.put(e.getKey(), new Rule(p.getReview(), p.getBlock(), p.getEnabled()));
            } catch (InvalidPolicyException ex) {
                throw new InvalidPolicyException(where + "label '" + e.getKey() + "': " + ex.getMessage());
            }
        }
        return rules;
    }
}
