package io.streamguard.launcher.console;

import io.streamguard.avro.LabelPolicy;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.console.web.Thresholds;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The thresholds in force per label, combined as the workers' {@code Decisions} combine them: a label the
 * policy overrides for the item's language takes that override, else a label the policy names takes the
 * policy's values (a disabled one never triggers, so it is left out), any other the own thresholds of the
 * model of the item's encoder. Asked on every page, so a new policy or model version shows at once.
 */
final class LiveThresholds implements Thresholds {
    /** Where a policy leaves a threshold unset (that decision never happens): above every score. */
    static final double NEVER = 1.0;

    private final Supplier<Optional<ModerationPolicy>> policy;
    private final ServingModel model;

    LiveThresholds(Supplier<Optional<ModerationPolicy>> policy, ServingModel model) {
        this.policy = policy;
        this.model = model;
    }

    /** For the first encoder's items, without language overrides (the admin's page, queue priority). */
    @Override
    public Map<String, Label> current() {
        return forItem(Optional.empty(), null);
    }

    @Override
    public Map<String, Label> forItem(Optional<String> encoder, String language) {
        Map<String, Label> out = new TreeMap<>();
        model.thresholds(encoder).forEach((label, t) -> out.put(label, new Label(t.review(), t.block())));
        policy.get().ifPresent(p -> {
            p.getLabels().forEach((name, rule) -> apply(out, name.toString(), rule));
            if (language != null) {
                p.getLanguages().forEach((lang, rules) -> {
                    if (lang.toString().equals(language)) {
                        rules.forEach((name, rule) -> apply(out, name.toString(), rule));
                    }
                });
            }
        });
        return out;
    }

    private static void apply(Map<String, Label> out, String label, LabelPolicy rule) {
        if (!rule.getEnabled() || rule.getReview() == null && rule.getBlock() == null) {
            out.remove(label);
            return;
        }
        double block = rule.getBlock() == null ? NEVER : rule.getBlock();
        double review = rule.getReview() == null ? block : rule.getReview();
        out.put(label, new Label(review, block));
    }
}
