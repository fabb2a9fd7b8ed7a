package io.streamguard.topology;

import java.util.Locale;

/** What a worker runs; tokenizers (CPU) and inference workers (GPU) scale separately. */
public enum Role {
    /** {@link TokenizeTopology}: text-events to text-tokenized. */
    TOKENIZER("streamguard-tokenizer"),
    /** {@link InferenceTopology}: text-tokenized to labeled events. */
    INFERENCE("streamguard-inference"),
    /** {@link LabelingTopology}: both in one process. */
    ALL("streamguard");

    private final String defaultApplicationId;

    Role(String defaultApplicationId) {
        this.defaultApplicationId = defaultApplicationId;
    }

    /**
     * The Kafka Streams application id (consumer group) when none is configured: one per role, so
     * workers of a role share its partitions and the two stages never share a group.
     */
    public String defaultApplicationId() {
        return defaultApplicationId;
    }

    public boolean tokenizes() {
        return this != INFERENCE;
    }

    public boolean infers() {
        return this != TOKENIZER;
    }

    /** {@code tokenizer}, {@code inference} or {@code all}, any case. */
    public static Role parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role must be tokenizer, inference or all, got '" + value + "'");
        }
    }
}
