package io.streamguard.schemas;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The pipeline's Kafka topics, each declared once with the configs it is created with ({@link #ALL}), and the
 * registry subjects derived from their names. {@code up}, {@code topics create} and the retrainer create them
 * from here ({@link TopicAdmin}).
 */
public final class Topics {

    /** Incoming {@code TextEvent}s. */
    public static final String TEXT_EVENTS = "text-events";
    /**
     * Internal hand-over between tokenizer and inference workers ({@code TokenizedEvent}), keyed like
     * {@code text-events} so per-key order survives the hop.
     */
    public static final String TEXT_TOKENIZED = "text-tokenized";
    /** Every scored event ({@code LabeledEvent}). */
    public static final String TEXT_LABELED = "text-labeled";
    /** {@code LabeledEvent}s a human must look at. */
    public static final String MODERATION_REVIEW = "moderation-review";
    /** {@code LabeledEvent}s that were blocked. */
    public static final String MODERATION_BLOCKED = "moderation-blocked";
    /** Input records that could not be processed, with the reason in headers. */
    public static final String TEXT_EVENTS_DLQ = "text-events-dlq";
    /** Moderators' {@code Feedback}. */
    public static final String MODERATION_FEEDBACK = "moderation-feedback";
    /** {@code ModelVersion}s, keyed by version; compacted so the full history stays readable. */
    public static final String MODEL_VERSIONS = "model-versions";
    /** The active {@code ModerationPolicy}; compacted, latest value per key (policy name) wins. */
    public static final String MODERATION_POLICY = "moderation-policy";

    /** Partitions of a topic {@code up} and {@code topics create} make when not told otherwise. */
    public static final int DEFAULT_PARTITIONS = 3;
    /**
     * Largest {@code model-versions} record ({@code max.message.bytes} of the topic, and the fetch and request
     * sizes of its clients): a heads file of a BERT-sized MLP is several MB, over the broker's 1 MB default.
     */
    public static final int MODEL_VERSION_MAX_BYTES = 32 * 1024 * 1024;
    /**
     * Largest {@code text-events-dlq} record ({@code max.message.bytes} of the topic, and the request size of
     * the workers' producers): a dead letter carries its {@code text-events} record whole, up to the broker's
     * default 1 MiB, plus Kafka Streams' error headers (exception, message, stack trace) and ours. At the
     * broker's default the dead letter of the largest record did not fit, and the failed send of a dead
     * letter was dead-lettered again until the stream thread overflowed its stack.
     */
    public static final int DEAD_LETTER_MAX_BYTES = 2 * 1024 * 1024;

    /**
     * A topic as the pipeline creates it: its name, whether it uses log compaction
     * ({@code cleanup.policy=compact}) instead of deletion, and the other topic-level configs it needs; every
     * other setting, the replication factor included, is the broker's default.
     *
     * @param extraConfigs topic configs besides {@code cleanup.policy}
     */
    public record TopicSpec(String name, boolean compacted, Map<String, String> extraConfigs) {

        public TopicSpec {
            Objects.requireNonNull(name, "name");
            extraConfigs = Map.copyOf(extraConfigs);
        }

        public TopicSpec(String name, boolean compacted) {
            this(name, compacted, Map.of());
        }

        /** The topic-level configs it is created with. */
        public Map<String, String> configs() {
            Map<String, String> configs = new TreeMap<>(extraConfigs);
            if (compacted) {
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            }
            return Map.copyOf(configs);
        }

        /** The same topic under another name, e.g. a per-run topic in tests. */
        public TopicSpec named(String otherName) {
            return new TopicSpec(otherName, compacted, extraConfigs);
        }

        /** What to ask the broker for: {@code partitions} partitions, its replication factor, these configs. */
        public NewTopic newTopic(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
            }
            return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs());
        }
    }

    /** All pipeline topics, in data-flow order. */
    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(TEXT_EVENTS, false),
            new TopicSpec(TEXT_TOKENIZED, false),
            new TopicSpec(TEXT_LABELED, false),
            new TopicSpec(MODERATION_REVIEW, false),
            new TopicSpec(MODERATION_BLOCKED, false),
            new TopicSpec(
                    TEXT_EVENTS_DLQ,
                    false,
                    Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(DEAD_LETTER_MAX_BYTES))),
            new TopicSpec(MODERATION_FEEDBACK, false),
            new TopicSpec(
                    MODEL_VERSIONS,
                    true,
                    Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MODEL_VERSION_MAX_BYTES))),
            new TopicSpec(MODERATION_POLICY, true));

    private Topics() {}

    /**
     * The declaration of pipeline topic {@code name}.
     *
     * @throws IllegalArgumentException if {@code name} is not one of {@link #ALL}
     */
    public static TopicSpec spec(String name) {
        return ALL.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a pipeline topic: " + name));
    }

    /** Subject of the topic's record values under Confluent's TopicNameStrategy: {@code <topic>-value}. */
    public static String valueSubject(String topic) {
        return Objects.requireNonNull(topic, "topic") + "-value";
    }

    /** Subject of the topic's record keys under TopicNameStrategy: {@code <topic>-key}. */
    public static String keySubject(String topic) {
        return Objects.requireNonNull(topic, "topic") + "-key";
    }
}
