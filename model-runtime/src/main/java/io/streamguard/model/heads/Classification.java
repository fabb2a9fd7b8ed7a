package io.streamguard.model.heads;

import java.util.Collections;
import java.util.LinkedHashMap;
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
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
    }
}
