package io.streamguard.model.encoder;

/**
 * Identity of a loaded encoder, recorded in model files and output events so a score can be traced
 * to the exact weights and vocabulary: {@code id} such as {@code bert-base-uncased} or
 * {@code minilm-l6}, the hidden size, the longest sequence it accepts, the SHA-256 of its vocabulary
 * and the device it runs on.
 */
public record EncoderInfo(String id, int hidden, int maxSequenceLength, String vocabHash, Device device) {}
