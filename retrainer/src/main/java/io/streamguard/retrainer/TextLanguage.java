package io.streamguard.retrainer;

import io.streamguard.model.language.Language;
import io.streamguard.model.language.LanguageDetector;
import io.streamguard.model.language.LanguageTags;
import java.util.function.Function;

/**
 * A verdict's text's language, for routing feedback whose labeled event does not say which encoder scored it:
 * the pipeline's own detector ({@link LanguageDetector}), so a text is retrained on by the encoder that would
 * have scored it. A text without letters ({@code und}) goes to English, as workers send it to their first
 * (English) encoder; a language no encoder reads (Japanese, Russian, ...) is null and retrains nothing.
 */
public final class TextLanguage implements Function<String, Language> {

    /** The default, and only, detector. */
    public static final TextLanguage DEFAULT = new TextLanguage();

    private TextLanguage() {}

    @Override
    public Language apply(String text) {
        String code = LanguageDetector.detect(text);
        if (LanguageTags.UNDETERMINED.equals(code)) {
            return Language.ENGLISH;
        }
        for (Language l : Language.values()) {
            if (l.code().equals(code)) {
                return l;
            }
        }
        return null;
    }
}
