package io.streamguard.topology;

import io.streamguard.avro.ModerationPolicy;
import io.streamguard.avro.PendingInference;
import io.streamguard.schemas.Topics;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The building blocks the three topologies share. */
final class Stages {

    static final String TOKENIZE = "tokenize";
    static final String INFER = "infer";
    static final String BUFFER_STORE = "inference-buffer";
    static final String POLICY_STORE = "moderation-policy-store";

    private Stages() {}

    static void addTokenizer(
            Topology topology,
            String parent,
            Tokenizers tokenizers,
            PipelineSettings settings,
            PipelineMetrics metrics) {
        topology.addProcessor(
                TOKENIZE, () -> new TokenizeProcessor(tokenizers, settings.maxTextBytes(), metrics), parent);
    }

    /** The inference processor under {@code parent}, its buffer store, sinks, dead letters and the policy. */
    static void addInference(
            Topology topology,
            String parent,
            Scorers scorers,
            PipelineSettings settings,
            PipelineSerdes serdes,
            PipelineMetrics metrics) {
        topology.addProcessor(
                INFER,
                () -> new InferenceProcessor(
                        scorers,
                        settings.batch(),
                        metrics,
                        settings.workerId(),
                        BUFFER_STORE,
                        POLICY_STORE,
                        settings.policyKey()),
                parent);
        topology.addStateStore(bufferStore(serdes), INFER);
        var keys = serdes.key().serializer();
        var labeled = serdes.labeledEvent().serializer();
        topology.addSink(InferenceProcessor.LABELED, Topics.TEXT_LABELED, keys, labeled, INFER);
        topology.addSink(InferenceProcessor.REVIEW, Topics.MODERATION_REVIEW, keys, labeled, INFER);
        topology.addSink(InferenceProcessor.BLOCKED, Topics.MODERATION_BLOCKED, keys, labeled, INFER);
        topology.addProcessor(InferenceProcessor.DEAD_LETTERS, DeadLetterProcessor::new, INFER);
        addPolicy(topology, serdes);
    }

    /**
     * The pending micro-batch (see {@link InferenceProcessor}): persistent and changelogged so it
     * survives crashes under exactly-once; cached, so a record buffered and emitted within one commit
     * interval never reaches the changelog at all.
     */
    private static StoreBuilder<KeyValueStore<Long, PendingInference>> bufferStore(PipelineSerdes serdes) {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(BUFFER_STORE), Serdes.Long(), serdes.pendingInference())
                .withCachingEnabled()
                // Mostly put-then-delete: short segments let compaction drop them soon.
                .withLoggingEnabled(Map.of(TopicConfig.SEGMENT_MS_CONFIG, "600000"));
    }

    /** {@code moderation-policy} as a global store, hot: every worker sees a new policy within a poll. */
    private static void addPolicy(Topology topology, PipelineSerdes serdes) {
        StoreBuilder<KeyValueStore<String, ModerationPolicy>> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(POLICY_STORE), serdes.key(), serdes.policy())
                .withLoggingDisabled();
        topology.addGlobalStore(
                store,
                "policy-source",
                serdes.key().deserializer(),
                serdes.policy().deserializer(),
                Topics.MODERATION_POLICY,
                "policy-updater",
                () -> new PolicyStoreProcessor(POLICY_STORE));
    }
}
