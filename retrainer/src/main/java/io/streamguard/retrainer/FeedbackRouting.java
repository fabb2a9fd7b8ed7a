package io.streamguard.retrainer;

import io.streamguard.model.language.Language;
import io.streamguard.model.language.LanguageTags;
import java.util.Objects;
import java.util.function.Function;

/**
 * Whether a verdict is for this retrainer's encoder, so that feedback on Chinese texts retrains only the
 * Chinese encoder's heads and feedback on English texts only an English encoder's. The labeled event decides
 * when it can: the encoder that scored it ({@code encoderName}), else its resolved language (every encoder
 * of that language takes it). An event that says neither, or a verdict whose event is not known, is routed by
 * its text's language ({@code languageOf}; the pipeline's detector, {@link TextLanguage}, by default).
 */
public final class FeedbackRouting {

    private final String encoderId;
    private final Language language;
    private final Function<String, Language> languageOf;

    /**
     * @param encoderId the retrainer's encoder
     * @param languageOf a text's language, for events that do not say who scored them
     */
    public FeedbackRouting(String encoderId, Function<String, Language> languageOf) {
        this.encoderId = Objects.requireNonNull(encoderId, "encoderId");
        this.language = Language.ofEncoder(encoderId);
        this.languageOf = Objects.requireNonNull(languageOf, "languageOf");
    }

    /** The routing of {@code encoderId} with the default text language guess ({@link TextLanguage}). */
    public static FeedbackRouting of(String encoderId) {
        return new FeedbackRouting(encoderId, TextLanguage.DEFAULT);
    }

    public String encoderId() {
        return encoderId;
    }

    public Language language() {
        return language;
    }

    /**
     * What a labeled event says: {@code TRUE} if it was scored by this encoder (or, without an encoder name,
     * is in its language), {@code FALSE} if by another, null if it says neither.
     *
     * @param encoderName the encoder that scored it, null if the record does not say
     * @param languageTag its language as a BCP-47 tag ({@code zh-CN}, {@code en}), null or unknown if not known
     */
    public Boolean byEvent(String encoderName, String languageTag) {
        if (encoderName != null && !encoderName.isBlank()) {
            return encoderId.equals(encoderName);
        }
        Language tagged = parse(languageTag);
        return tagged == null ? null : tagged == language;
    }

    /** Whether {@code text} is in this encoder's language, by {@code languageOf}. */
    public boolean byText(String text) {
        return languageOf.apply(text) == language;
    }

    /** The language of a BCP-47 tag by its primary subtag; null for none or one no encoder is for. */
    static Language parse(String tag) {
        String primary = LanguageTags.primary(tag);
        for (Language l : Language.values()) {
            if (l.code().equals(primary)) {
                return l;
            }
        }
        return null;
    }
}
