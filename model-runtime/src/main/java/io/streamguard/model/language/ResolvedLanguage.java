package io.streamguard.model.language;

import java.util.Objects;

/**
 * The language a text is routed by: the producer's tag when it names one, else what the text's scripts say.
 *
 * @param tag a primary language subtag ({@code zh}, {@code en}, {@code ja}, ...), {@link
 *     LanguageTags#UNDETERMINED} for a text without letters, {@link LanguageTags#UNCODED} for letters of an
 *     unmapped script
 * @param detected true if {@link LanguageDetector} chose it, false if the producer's tag did
 */
public record ResolvedLanguage(String tag, boolean detected) {

    public ResolvedLanguage {
        Objects.requireNonNull(tag, "tag");
    }

    /** {@code producerTag}'s primary subtag ({@link LanguageTags#primary}) if it has one, else the text's. */
    public static ResolvedLanguage of(String producerTag, CharSequence text) {
        String tagged = LanguageTags.primary(producerTag);
        return tagged != null
                ? new ResolvedLanguage(tagged, false)
                : new ResolvedLanguage(LanguageDetector.detect(text), true);
    }
}
