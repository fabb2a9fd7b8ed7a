package io.streamguard.launcher.console;

import io.streamguard.avro.Decision;
import io.streamguard.avro.LabelPolicy;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.console.store.ConsoleException;
import io.streamguard.console.web.PolicyEditor;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.PolicyTopic;
import io.streamguard.topology.InvalidPolicyException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;

/**
 * An admin's threshold change as {@code policy set --label L --review X --block Y} makes it: the current
 * policy read from {@code moderation-policy}, that one label replaced (enabled), written as the next
 * version by {@link PolicyTopic#write}, which validates it as the workers will. Changes from one console
 * are serialized, so two admins cannot both write the same next version.
 */
final class TopicPolicyEditor implements PolicyEditor {
    private final String bootstrap;
    private final String registryUrl;
    private final String key;

    TopicPolicyEditor(String bootstrap, String registryUrl, String key) {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.key = key;
    }

    @Override
    public synchronized String setThresholds(String label, double review, double block, String admin) {
        try {
            Optional<ModerationPolicy> current = PolicyTopic.read(bootstrap, registryUrl, key);
            Map<String, LabelPolicy> labels = new LinkedHashMap<>();
            current.ifPresent(p -> labels.putAll(p.getLabels()));
            labels.put(label, new LabelPolicy(review, block, true));
            String version = PolicyTopic.nextVersion(current);
            PolicyTopic.write(
                    bootstrap,
                    registryUrl,
                    key,
                    ModerationPolicy.newBuilder()
                            .setVersion(version)
                            .setLabels(labels)
                            // Per-language overrides and the unsupported-language decision stay as they were.
                            .setLanguages(
                                    current.map(ModerationPolicy::getLanguages).orElse(Map.of()))
                            .setUnsupportedLanguage(current.map(ModerationPolicy::getUnsupportedLanguage)
                                    .orElse(Decision.REVIEW))
                            .setUpdatedAt(Instant.now())
                            .setUpdatedBy(admin)
                            .setDescription(String.format(
                                    Locale.ROOT, "console: %s review %.3f block %.3f", label, review, block))
                            .build());
            return version;
        } catch (InvalidPolicyException | LauncherException | KafkaException e) {
            throw new ConsoleException("the policy was not changed: " + e.getMessage(), e);
        }
    }
}
