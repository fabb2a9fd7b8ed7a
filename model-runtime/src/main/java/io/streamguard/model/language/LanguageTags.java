package io.streamguard.model.language;

import java.util.Locale;

/** BCP-47 language tags as the pipeline uses them: the primary subtag alone, and which language an encoder reads. */
public final class LanguageTags {

    public static final String ENGLISH = Language.ENGLISH.code();
    public static final String CHINESE = Language.CHINESE.code();
    /** Undetermined: the text has no letters (only digits, emoji, punctuation). */
    public static final String UNDETERMINED = "und";
    /** Uncoded languages: letters of a script this package maps to no language. */
    public static final String UNCODED = "mis";

    private LanguageTags() {}

    /**
     * The primary language subtag of {@code tag}, lower case: {@code zh-CN}, {@code zh_Hant} and {@code ZH} are
     * {@code zh}, {@code en-GB} is {@code en}; the ISO 639-2 codes {@code zho}, {@code chi}, {@code cmn} are
     * {@code zh} and {@code eng} is {@code en}, as the models know them by those.
     *
     * @return null if {@code tag} is null, blank, {@code und} or has no primary subtag of 2 or 3 letters
     *     (private use {@code x-...}, a language name): then the text decides
     */
    public static String primary(String tag) {
        if (tag == null) {
            return null;
        }
        String t = tag.strip();
        int end = 0;
        while (end < t.length() && t.charAt(end) != '-' && t.charAt(end) != '_') {
            end++;
        }
        if (end < 2 || end > 3) {
            return null;
        }
        for (int i = 0; i < end; i++) {
            char c = t.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return null;
            }
        }
        String primary = t.substring(0, end).toLowerCase(Locale.ROOT);
        return switch (primary) {
            case UNDETERMINED -> null;
            case "zho", "chi", "cmn" -> CHINESE;
            case "eng" -> ENGLISH;
            default -> primary;
        };
    }

    /** The tag of the language an encoder's model reads: {@link Language#ofEncoder}'s code. */
    public static String ofEncoder(String encoderId) {
        return Language.ofEncoder(encoderId).code();
    }
}
