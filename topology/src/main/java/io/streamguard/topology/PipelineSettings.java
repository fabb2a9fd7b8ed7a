package io.streamguard.topology;

import java.util.Objects;

/**
 * What the topologies need besides serdes, metrics and the model.
 *
 * @param workerId written into every labeled event
 * @param maxTextBytes texts longer than this (UTF-8) are dead-lettered
 * @param batch micro-batch limits of the inference stage
 * @param policyKey the key of the live policy on {@code moderation-policy}
 */
public record PipelineSettings(String workerId, int maxTextBytes, BatchSettings batch, String policyKey) {

    public static final int DEFAULT_MAX_TEXT_BYTES = 64 * 1024;
    public static final String DEFAULT_POLICY_KEY = "default";

    public PipelineSettings {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(policyKey, "policyKey");
        if (maxTextBytes < 1) {
            throw new IllegalArgumentException("maxTextBytes must be positive, got " + maxTextBytes);
        }
    }
}
