package io.streamguard.schemas;

import java.util.List;
import java.util.Objects;

/** Kafka topic names of the pipeline and the registry subjects derived from them. */
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

    /** A topic and whether it uses log compaction ({@code cleanup.policy=compact}) instead of deletion. */
    public record TopicSpec(String name, boolean compacted) {

        public TopicSpec {
            Objects.requireNonNull(name, "name");
        }
    }

    /** All pipeline topics, in data-flow order. */
    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(TEXT_EVENTS, false),
            new TopicSpec(TEXT_TOKENIZED, false),
            new TopicSpec(TEXT_LABELED, false),
            new TopicSpec(MODERATION_REVIEW, false),
            new TopicSpec(MODERATION_BLOCKED, false),
            new TopicSpec(TEXT_EVENTS_DLQ, false),
            new TopicSpec(MODERATION_FEEDBACK, false),
            new TopicSpec(MODEL_VERSIONS, true),
            new TopicSpec(MODERATION_POLICY, true));

    private Topics() {
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
