package io.streamguard.topology;

import io.streamguard.avro.LabelPolicy;
import io.streamguard.avro.ModerationPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A validated moderation policy: per-label review/block cut-offs. Labels it does not name fall back
 * to the model's thresholds, so a label added by a new model is never silently allowed.
 *
 * @param version recorded in every decision made under this policy
 * @param rules per label
 */
public record Policy(String version, Map<String, Rule> rules) {

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
    }

    /**
     * The policy a {@code moderation-policy} record describes.
     *
     * @throws InvalidPolicyException if a threshold is outside [0, 1], review exceeds block, or the
     *     version is blank
     */
    public static Policy fromAvro(ModerationPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (Map.Entry<String, LabelPolicy> e : policy.getLabels().entrySet()) {
            LabelPolicy p = e.getValue();
            try {
                rules.put(e.getKey(), new Rule(p.getReview(), p.getBlock(), p.getEnabled()));
            } catch (InvalidPolicyException ex) {
                throw new InvalidPolicyException("label '" + e.getKey() + "': " + ex.getMessage());
            }
        }
        return new Policy(policy.getVersion(), rules);
    }
}
