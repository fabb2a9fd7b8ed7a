package io.streamguard.model.heads;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a model version came from, so an evaluation or a rollback can be traced.
 *
 * @param createdAt ISO-8601 instant
 * @param parentVersion the version it was warm-started from, or {@code null}
 * @param seed the training seed (same data and seed give the same weights)
 * @param trainingData every file that went into training or threshold selection
 * @param notes free-form details (trainer settings, feedback offsets), for people
 */
public record Provenance(
        String createdAt, String parentVersion, long seed, List<DataRef> trainingData, Map<String, String> notes) {

    public Provenance {
        Objects.requireNonNull(createdAt, "createdAt");
        trainingData = List.copyOf(trainingData);
        notes = Collections.unmodifiableMap(new TreeMap<>(notes));
    }

    /**
     * One data file used.
     *
     * @param task e.g. {@code sentiment}
     * @param split e.g. {@code train} or {@code validation}
     * @param path as given to the trainer
     * @param sha256 of the file's bytes
     * @param rows examples read from it
     */
    public record DataRef(String task, String split, String path, String sha256, int rows) {
        public DataRef {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(split, "split");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
        }
    }
}
