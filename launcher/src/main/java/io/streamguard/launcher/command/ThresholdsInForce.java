package io.streamguard.launcher.command;

import io.streamguard.avro.LabelPolicy;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.launcher.client.LiveModel;
import io.streamguard.model.heads.Thresholds;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What {@code policy show} prints: the thresholds in force per label, and who set each, the policy or the model. */
final class ThresholdsInForce {
    private ThresholdsInForce() {}

    /**
     * One line per label: the review and block thresholds in force ({@code -}: never) and where they come from, as
     * {@code Decisions} applies them: a label the policy names takes the policy's values (both of them), any other
     * the model's; a policy label the model lacks never triggers.
     */
    static String table(Optional<ModerationPolicy> policy, Optional<LiveModel> model) {
        Map<String, LabelPolicy> rules = new TreeMap<>();
        policy.ifPresent(p -> p.getLabels().forEach((k, v) -> rules.put(k.toString(), v)));
        Set<String> labels = new TreeSet<>(rules.keySet());
        model.ifPresent(m -> labels.addAll(m.labels()));
        StringBuilder out =
                new StringBuilder(String.format("%-12s %-7s %-7s %s%n", "label", "review", "block", "from"));
        for (String label : labels) {
            LabelPolicy rule = rules.get(label);
            String review;
            String block;
            String from;
            if (rule != null) {
                review = rule.getEnabled() ? threshold(rule.getReview()) : "off";
                block = rule.getEnabled() ? threshold(rule.getBlock()) : "off";
                from = "policy " + policy.get().getVersion();
                if (model.isPresent() && !model.get().labels().contains(label)) {
                    from += " (model " + model.get().version() + " has no such label: never triggers)";
                }
            } else {
                Thresholds t = model.get().thresholds().get(label);
                review = t == null ? "-" : threshold(t.review());
                block = t == null ? "-" : threshold(t.block());
                from = "model " + model.get().version();
            }
            out.append(String.format("%-12s %-7s %-7s %s%n", label, review, block, from));
        }
        return out.toString();
    }

    private static String threshold(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
