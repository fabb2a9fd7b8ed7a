package io.streamguard.launcher.client;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.cli.Messages;
import io.streamguard.schemas.TopicAdmin;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.Topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Creates ({@link TopicAdmin}, as {@link Topics} declares them) and inspects the standard StreamGuard topics
 * through an {@link Admin} client.
 */
public final class StreamGuardTopics {
    public static final int DEFAULT_PARTITIONS = Topics.DEFAULT_PARTITIONS;
    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    private StreamGuardTopics() {}

    /** What {@code topics list/describe} shows for one topic. */
    public record Info(String name, int partitions, int replicationFactor, Map<String, String> nonDefaultConfigs) {}

    /** The standard set ({@link Topics#ALL}), in data-flow order. */
    public static List<TopicSpec> standard() {
        return Topics.ALL;
    }

    public static Set<String> standardNames() {
        return standard().stream().map(TopicSpec::name).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Creates every standard topic that does not exist yet. The replication factor is left to the
     * broker's {@code default.replication.factor} (1 on the embedded broker), so the same call
     * works against a real cluster. Existing topics are left untouched, whatever their partition
     * count.
     *
     * @return the names actually created, in creation order
     */
    public static List<String> ensure(Admin admin, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        List<NewTopic> wanted =
                standard().stream().map(spec -> spec.newTopic(partitions)).toList();
        try {
            return TopicAdmin.createMissing(admin, wanted, Duration.ofSeconds(ADMIN_TIMEOUT_SECONDS));
        } catch (KafkaException e) {
            throw new LauncherException(e.getMessage(), e);
        }
    }

    /**
     * Describes the given topics that exist (missing ones are omitted), with their non-default
     * configs.
     */
    public static List<Info> describe(Admin admin, Collection<String> names) {
        try {
            Set<String> existing = admin.listTopics().names().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> present = names.stream().filter(existing::contains).toList();
            if (present.isEmpty()) {
                return List.of();
            }
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(present).allTopicNames().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<ConfigResource> resources = present.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                    .toList();
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(resources).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<Info> out = new ArrayList<>();
            for (String name : present) {
                TopicDescription d = descriptions.get(name);
                int rf = d.partitions().isEmpty()
                        ? 0
                        : d.partitions().get(0).replicas().size();
                Map<String, String> overrides = new TreeMap<>();
                for (ConfigEntry entry : configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                        .entries()) {
                    if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                        overrides.put(entry.name(), entry.value());
                    }
                }
                out.add(new Info(name, d.partitions().size(), rf, Map.copyOf(overrides)));
            }
            return List.copyOf(out);
        } catch (ExecutionException e) {
            throw new LauncherException("could not describe topics: " + Messages.rootMessage(e), e);
        } catch (TimeoutException e) {
            throw new LauncherException("timed out describing topics (is the broker running?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted while describing topics");
        }
    }
}
