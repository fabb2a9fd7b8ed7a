package io.streamguard.model.heads;

/** How a head turns its logits into scores. */
public enum HeadKind {
    /** One independent probability per label (multi-label: a text can be both offensive and spam). */
    SIGMOID,
    /** One probability distribution over the labels (exactly one sentiment class). */
    SOFTMAX
}
