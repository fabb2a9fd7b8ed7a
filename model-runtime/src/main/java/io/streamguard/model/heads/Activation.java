package io.streamguard.model.heads;

/** Non-linearity after a {@link Dense} layer; the last layer of a head uses {@link #NONE} (logits). */
public enum Activation {
    NONE,
    RELU
}
