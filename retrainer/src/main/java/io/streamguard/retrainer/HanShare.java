package io.streamguard.retrainer;

import io.streamguard.model.language.Language;
import java.util.function.Function;

/**
 * The default guess of a text's language for routing feedback, used only when the labeled event does not say
 * which encoder scored it: {@link Language#CHINESE} if Han characters are at least {@value #CHINESE_SHARE} of
 * its letters (Han included), else {@link Language#ENGLISH}. Deliberately simple; the pipeline's own language
 * detector can replace it ({@link Retrainer.Config#languageOf()}) so both decide alike.
 */
public final class HanShare implements Function<String, Language> {

    /** Share of Han characters among letters from which a text counts as Chinese. */
    public static final double CHINESE_SHARE = 0.3;

    /** The default detector. */
    public static final HanShare DEFAULT = new HanShare();

    private HanShare() {}

    @Override
    public Language apply(String text) {
        int han = 0;
        int letters = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
                han++;
                letters++;
            } else if (Character.isLetter(c)) {
                letters++;
            }
        }
        return han > 0 && han >= CHINESE_SHARE * letters ? Language.CHINESE : Language.ENGLISH;
    }
}
