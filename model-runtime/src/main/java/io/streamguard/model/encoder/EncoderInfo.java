package io.streamguard.model.encoder;

/**
 * Identity of a loaded encoder, recorded in model files and output events so a score can be traced
 * to the exact weights and vocabulary: {@code id} such as {@code bert-base-uncased} or
 * {@code minilm-l6}, the hidden size, the longest sequence it accepts, the SHA-256 of its vocabulary,
 * the device it runs on and the arithmetic it runs in (resolved: never {@link Precision#AUTO}).
 */
public record EncoderInfo(
        String id, int hidden, int maxSequenceLength, String vocabHash, Device device, Precision precision) {

    /** An encoder running in float32. */
    public EncoderInfo(String id, int hidden, int maxSequenceLength, String vocabHash, Device device) {
        this(id, hidden, maxSequenceLength, vocabHash, device, Precision.FP32);
    }
}
