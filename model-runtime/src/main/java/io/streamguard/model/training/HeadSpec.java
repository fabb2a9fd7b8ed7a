package io.streamguard.model.training;

import io.streamguard.model.heads.HeadKind;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What head to train.
 *
 * @param name the head's name in the model, e.g. {@code offensive} or {@code sentiment}
 * @param kind {@link HeadKind#SIGMOID}: a binary task with one logit, {@code labels} holds only the
 *     positive label and training labels are 0/1; {@link HeadKind#SOFTMAX}: one of {@code labels.size()}
 *     classes, training labels are class indices
 * @param labels the positive label (sigmoid) or the class names in index order (softmax)
 */
public record HeadSpec(String name, HeadKind kind, List<String> labels) {

    public HeadSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        labels = List.copyOf(labels);
        if (name.isBlank()) {
            throw new IllegalArgumentException("head name is blank");
        }
        if (new HashSet<>(labels).size() != labels.size()) {
            throw new IllegalArgumentException("head " + name + " has duplicate labels " + labels);
        }
        if (kind == HeadKind.SIGMOID && labels.size() != 1) {
            throw new IllegalArgumentException(
                    "binary head " + name + " takes exactly its positive label, got " + labels);
        }
        if (kind == HeadKind.SOFTMAX && labels.size() < 2) {
            throw new IllegalArgumentException("softmax head " + name + " needs at least 2 classes, got " + labels);
        }
    }

    /** A binary head whose one logit scores {@code positiveLabel}. */
    public static HeadSpec binary(String name, String positiveLabel) {
        return new HeadSpec(name, HeadKind.SIGMOID, List.of(positiveLabel));
    }

    /** A softmax head over {@code classes} (label {@code i} is {@code classes.get(i)}). */
    public static HeadSpec softmax(String name, List<String> classes) {
        return new HeadSpec(name, HeadKind.SOFTMAX, classes);
    }

    /** Distinct values a training label can take: 2 for binary heads. */
    public int classes() {
        return kind == HeadKind.SIGMOID ? 2 : labels.size();
    }

    /** Logits the head emits: 1 for binary heads. */
    public int outputs() {
        return labels.size();
    }
}
