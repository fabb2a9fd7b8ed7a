package io.streamguard.model.language;

import io.streamguard.model.encoder.EncoderConfig;
import java.util.Locale;

/**
 * The language of the text an encoder was pre-trained on, and so of the data its heads are trained and
 * evaluated on. {@link #ofEncoder} is the one mapping from encoder id to language: training, evaluation
 * and reports ask it rather than comparing encoder ids themselves.
 */
public enum Language {
    ENGLISH("en"),
    CHINESE("zh");

    private final String code;

    Language(String code) {
        this.code = code;
    }

    /** ISO 639-1 code, e.g. {@code zh}. */
    public String code() {
        return code;
    }

    /** E.g. {@code Chinese}, for messages and reports. */
    public String displayName() {
        return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
    }

    /**
     * The language of encoder {@code encoderId}: {@link #CHINESE} for {@value EncoderConfig#BGE_SMALL_ZH},
     * {@link #ENGLISH} for every other encoder (BERT-base uncased, MiniLM, and ids this build does not know,
     * which fail later where the encoder is loaded).
     */
    public static Language ofEncoder(String encoderId) {
        return EncoderConfig.BGE_SMALL_ZH.equals(encoderId) ? CHINESE : ENGLISH;
    }
}
