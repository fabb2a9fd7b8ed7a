package io.streamguard.topology;

import io.streamguard.avro.TokenizerRef;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.language.LanguageTags;
import io.streamguard.model.tokenizer.BertTokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer of each language a worker serves, one encoder per language ({@link EncoderLanguages}). The
 * first encoder's language is the default: it also reads texts without letters ({@code und}). A language no
 * encoder reads has no tokenizer: never the English vocabulary for a Japanese text.
 */
public final class Tokenizers {

    /** One language's tokenizer and the identity it stamps on its ids. */
    record Route(String encoderId, String language, BertTokenizer tokenizer, TokenizerRef identity) {}

    private final Map<String, Route> byLanguage = new LinkedHashMap<>();
    private final String defaultLanguage;

    private Tokenizers(Map<String, BertTokenizer> byEncoder) {
        EncoderLanguages.of(byEncoder.keySet()).forEach((language, encoderId) -> {
            BertTokenizer tokenizer = byEncoder.get(encoderId);
            byLanguage.put(
                    language,
                    new Route(
                            encoderId,
                            language,
                            tokenizer,
                            new TokenizerRef(
                                    encoderId,
                                    tokenizer.vocabulary().vocabHash(),
                                    tokenizer.options().maxLength())));
        });
        this.defaultLanguage = byLanguage.keySet().iterator().next();
    }

    /**
     * @param byEncoder in configuration order, the first the default language's
     * @throws IllegalArgumentException if empty or two encoders read one language
     */
    public static Tokenizers of(Map<String, BertTokenizer> byEncoder) {
        return new Tokenizers(byEncoder);
    }

    public static Tokenizers single(String encoderId, BertTokenizer tokenizer) {
        return new Tokenizers(Map.of(encoderId, tokenizer));
    }

    /** Each encoder's tokenizer, without its weights: what a tokenize-only worker needs. */
    public static Tokenizers load(List<EncoderConfig> encoders) {
        Map<String, BertTokenizer> byEncoder = new LinkedHashMap<>();
        encoders.forEach(e -> byEncoder.put(e.encoderId(), EncoderFactory.tokenizer(e)));
        return new Tokenizers(byEncoder);
    }

    /** The tokenizer of {@code language}; the default language's for {@code und}; null if none reads it. */
    Route forLanguage(String language) {
        return byLanguage.get(LanguageTags.UNDETERMINED.equals(language) ? defaultLanguage : language);
    }

    /** The tokenizer of {@code encoderId}, or null. */
    public BertTokenizer tokenizer(String encoderId) {
        for (Route route : byLanguage.values()) {
            if (route.encoderId().equals(encoderId)) {
                return route.tokenizer();
            }
        }
        return null;
    }

    /** The languages served, the default first. */
    public List<String> languages() {
        return List.copyOf(byLanguage.keySet());
    }
}
