/**
 * TensorFlow graph pieces the training graphs share ({@code training.TrainingGraph} for heads on frozen
 * features, {@code encoder.onnx.MiniLmTuner} for adapters and heads): the Adam step and the per-row losses.
 * Below both, so neither imports the other.
 */
package io.streamguard.model.graph;
