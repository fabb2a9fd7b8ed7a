package io.streamguard.topology;

import io.streamguard.model.language.LanguageTags;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which configured encoder serves which language ({@link LanguageTags#ofEncoder}), one encoder per language:
 * a worker routes each event by its language, so two encoders for one language would leave the choice to
 * chance.
 */
final class EncoderLanguages {

    private EncoderLanguages() {}

    /**
     * Language to encoder, in the order of {@code encoderIds} (the first is the default language's).
     *
     * @throws IllegalArgumentException if none is given, one twice, or two read one language
     */
    static Map<String, String> of(Collection<String> encoderIds) {
        if (encoderIds.isEmpty()) {
            throw new IllegalArgumentException("no encoder configured");
        }
        Map<String, String> byLanguage = new LinkedHashMap<>();
        for (String encoderId : encoderIds) {
            String language = LanguageTags.ofEncoder(encoderId);
            String other = byLanguage.putIfAbsent(language, encoderId);
            if (other != null) {
                throw new IllegalArgumentException(
                        other.equals(encoderId)
                                ? "encoder " + encoderId + " is configured twice"
                                : "encoders " + other + " and " + encoderId + " both read language " + language
                                        + ": configure one encoder per language");
            }
        }
        return byLanguage;
    }
}
