package io.streamguard.model.encoder;

/** Where an encoder runs. {@code AUTO} picks the GPU when TensorFlow sees one, else the CPU. */
public enum Device {
    AUTO,
    CPU,
    GPU
}
