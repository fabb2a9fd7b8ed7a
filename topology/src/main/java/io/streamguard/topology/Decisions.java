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
 * labels are those at the decision's level, highest score first.
 */
public final class Decisions {

    /** A decision, the labels that caused it, and the policy version that decided. */
    public record Verdict(Decision decision, List<String> triggeredLabels, String policyVersion) {

        public Verdict {
            triggeredLabels = List.copyOf(triggeredLabels);
        }
    }

    private Decisions() {}

    /**
     * Decides {@code scores} under {@code policy}, or under the model's own thresholds when
     * {@code policy} is null (version {@code model:<version>}). Labels the policy does not name use
     * the model's thresholds; labels neither knows never trigger.
     */
    public static Verdict decide(Map<String, Float> scores, Policy policy, ModelInfo model) {
        List<String> block = new ArrayList<>();
        List<String> review = new ArrayList<>();
        for (Map.Entry<String, Float> e : scores.entrySet()) {
            String label = e.getKey();
            // Compared in float, the model's precision: 0.95f must count as "at" a 0.95 threshold.
            float score = e.getValue();
            Policy.Rule rule = policy == null ? null : policy.rules().get(label);
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
}
