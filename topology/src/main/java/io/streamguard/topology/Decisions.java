package io.streamguard.topology;

import io.streamguard.avro.Decision;
import io.streamguard.model.heads.Thresholds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Scores plus policy to allow / review / block. A label at or above its block threshold blocks; else
 * one at or above its review threshold sends the text to review; else it is allowed. The triggering
 * labels are those at the decision's level, highest score first. A label's thresholds are the policy's
 * override for the text's language, else the policy's for the label, else the model's.
 */
public final class Decisions {

    /** A decision, the labels that caused it, and the policy version that decided. */
    public record Verdict(Decision decision, List<String> triggeredLabels, String policyVersion) {

        public Verdict {
            triggeredLabels = List.copyOf(triggeredLabels);
        }
    }

    /** Version recorded for a text no model scored while no policy is set. */
    static final String NO_MODEL_POLICY = "model:none";

    private Decisions() {}

    /** As {@link #decide(Map, Policy, ModelInfo, String)} with no language overrides. */
    public static Verdict decide(Map<String, Float> scores, Policy policy, ModelInfo model) {
        return decide(scores, policy, model, null);
    }

    /**
     * Decides {@code scores} of a text in {@code language} under {@code policy}, or under the model's own
     * thresholds when {@code policy} is null (version {@code model:<version>}). Labels the policy does not name
     * (for the language nor for all) use the model's thresholds; labels neither knows never trigger.
     */
    public static Verdict decide(Map<String, Float> scores, Policy policy, ModelInfo model, String language) {
        List<String> block = new ArrayList<>();
        List<String> review = new ArrayList<>();
        for (Map.Entry<String, Float> e : scores.entrySet()) {
            String label = e.getKey();
            // Compared in float, the model's precision: 0.95f must count as "at" a 0.95 threshold.
            float score = e.getValue();
            Policy.Rule rule = policy == null ? null : policy.rule(language, label);
            Double reviewAt;
            Double blockAt;
            if (rule != null) {
                if (!rule.enabled()) {
                    continue;
                }
                reviewAt = rule.review();
                blockAt = rule.block();
            } else {
                Thresholds t = model.thresholds().get(label);
                if (t == null) {
                    continue;
                }
                reviewAt = t.review();
                blockAt = t.block();
            }
            if (blockAt != null && score >= blockAt.floatValue()) {
                block.add(label);
            } else if (reviewAt != null && score >= reviewAt.floatValue()) {
                review.add(label);
            }
        }
        String version = policy == null ? model.policyVersion() : policy.version();
        Comparator<String> byScore =
                Comparator.comparing((String l) -> scores.get(l)).reversed();
        if (!block.isEmpty()) {
            block.sort(byScore);
            return new Verdict(Decision.BLOCK, block, version);
        }
        if (!review.isEmpty()) {
            review.sort(byScore);
            return new Verdict(Decision.REVIEW, review, version);
        }
        return new Verdict(Decision.ALLOW, List.of(), version);
    }

    /**
     * The verdict on a text no model scored (no encoder reads its language): the policy's
     * {@code unsupportedLanguage}, REVIEW while no policy is set (version {@value #NO_MODEL_POLICY}): a human
     * looks at it rather than it passing unread.
     */
    public static Verdict unscored(Policy policy) {
        return policy == null
                ? new Verdict(Decision.REVIEW, List.of(), NO_MODEL_POLICY)
                : new Verdict(policy.unsupportedLanguage(), List.of(), policy.version());
    }
}
