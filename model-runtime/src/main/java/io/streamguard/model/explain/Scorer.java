package io.streamguard.model.explain;

import io.streamguard.model.ClassifiedBatch;
import io.streamguard.model.Classifier;
import java.util.List;
import java.util.Objects;

/**
 * Scores texts in one call with one heads version: the seam between occlusion and the engine, so the
 * arithmetic can be tested with a fake.
 */
@FunctionalInterface
public interface Scorer {

    /** One prediction per text, in input order, all from one heads version. */
    ClassifiedBatch score(List<String> texts);

    /** Scores with {@code classifier}, tokenizing with its own tokenizer. */
    static Scorer of(Classifier classifier) {
        Objects.requireNonNull(classifier, "classifier");
        return texts -> classifier.classifyWithStats(
                texts.stream().map(classifier.tokenizer()::encode).toList());
    }
}
