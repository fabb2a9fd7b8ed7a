package io.streamguard.topology;

import io.streamguard.model.heads.Thresholds;
import java.util.Map;
import java.util.Objects;

/**
 * A loaded model's identity and the per-label thresholds it was trained with, which decide while no
 * policy has been published.
 */
public record ModelInfo(String version, Map<String, Thresholds> thresholds) {

    public ModelInfo {
        Objects.requireNonNull(version, "version");
        thresholds = Map.copyOf(thresholds);
    }

    /** The policy version recorded when the model's own thresholds decided: {@code model:<version>}. */
    public String policyVersion() {
        return "model:" + version;
    }
}
