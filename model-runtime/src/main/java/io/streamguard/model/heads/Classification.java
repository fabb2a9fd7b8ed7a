package io.streamguard.model.heads;

import java.util.Map;

/**
 * A softmax head's verdict for one text.
 *
 * @param label the most probable class
 * @param score its probability
 * @param probabilities every class's probability, in the head's label order
 */
public record Classification(String label, float score, Map<String, Float> probabilities) {

    public Classification {
        probabilities = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probabilities));
    }
}
