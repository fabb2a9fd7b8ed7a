package io.streamguard.model.encoder;

import io.streamguard.model.tokenizer.TokenizerOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link EncoderFactory#create(EncoderConfig)} loads.
 *
 * @param encoderId {@link #BERT_BASE_UNCASED}, {@link #MINILM_L6} or {@link #BGE_SMALL_ZH}
 * @param device where to run; see {@link Device}
 * @param cacheDir where packaged weights are unpacked once and reused across restarts; each
 *     encoder uses its own directory below it
 * @param maxLength the most tokens per text (counting [CLS] and [SEP]) the tokenizer emits;
 *     longer texts are truncated. At most the encoder's {@link EncoderInfo#maxSequenceLength()}
 * @param modelPath explicit weights instead of the jar on the classpath: the weights jar (or the
 *     zipped SavedModel inside it), or an already unpacked model directory; {@code null} to use
 *     the classpath
 * @param precision the arithmetic to run in ({@link Precision}); {@link #of} gives {@link Precision#FP32}
 */
public record EncoderConfig(
        String encoderId, Device device, Path cacheDir, int maxLength, Path modelPath, Precision precision) {

    public static final String BERT_BASE_UNCASED = "bert-base-uncased";
    public static final String MINILM_L6 = "minilm-l6";
    /** BAAI bge-small-zh-v1.5: the Chinese encoder. */
    public static final String BGE_SMALL_ZH = "bge-small-zh";

    public EncoderConfig {
        Objects.requireNonNull(encoderId, "encoderId");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(precision, "precision");
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP], got " + maxLength);
        }
    }

    /**
     * {@code encoderId} on {@link Device#AUTO}, the default cache, 128 tokens, weights from the classpath, float32
     * (workers choose {@link Precision#AUTO} through their configuration).
     */
    public static EncoderConfig of(String encoderId) {
        return new EncoderConfig(
                encoderId, Device.AUTO, defaultCacheDir(), TokenizerOptions.DEFAULT_MAX_LENGTH, null, Precision.FP32);
    }

    /** {@code ${user.home}/.cache/streamguard/models}. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "streamguard", "models");
    }

    public EncoderConfig withDevice(Device newDevice) {
        return new EncoderConfig(encoderId, newDevice, cacheDir, maxLength, modelPath, precision);
    }

    public EncoderConfig withCacheDir(Path newCacheDir) {
        return new EncoderConfig(encoderId, device, newCacheDir, maxLength, modelPath, precision);
    }

    public EncoderConfig withMaxLength(int newMaxLength) {
        return new EncoderConfig(encoderId, device, cacheDir, newMaxLength, modelPath, precision);
    }

    public EncoderConfig withModelPath(Path newModelPath) {
        return new EncoderConfig(encoderId, device, cacheDir, maxLength, newModelPath, precision);
    }

    public EncoderConfig withPrecision(Precision newPrecision) {
        return new EncoderConfig(encoderId, device, cacheDir, maxLength, modelPath, newPrecision);
    }
}
