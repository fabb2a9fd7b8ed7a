package io.streamguard.model.heads;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All heads' outputs for one text.
 *
 * @param labels probability per moderation label (every sigmoid head's labels), in model order
 * @param classes the verdict of each softmax head, by head name (e.g. {@code sentiment})
 */
public record Scores(Map<String, Float> labels, Map<String, Classification> classes) {

    public Scores {
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        classes = Collections.unmodifiableMap(new LinkedHashMap<>(classes));
    }

    /** The probability of moderation label {@code label}. */
    public float label(String label) {
        Float p = labels.get(label);
        if (p == null) {
            throw new IllegalArgumentException("no label " + label + "; have " + labels.keySet());
        }
        return p;
    }
}
