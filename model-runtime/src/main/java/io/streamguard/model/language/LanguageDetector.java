package io.streamguard.model.language;

import java.lang.Character.UnicodeScript;
import java.util.EnumMap;
import java.util.Map;

/**
 * A text's language from its scripts, for texts whose producer did not say: one pass over the code points,
 * no regular expression, no allocation per character (one small count array per text).
 *
 * <p>It counts units: every Han (and Bopomofo) character, every kana, and every word (a run of letters) of an
 * alphabetic script, Hangul included. Chinese has no spaces, so one Han character weighs about one English
 * word. If Han and kana make at least {@value #CJK_PERCENT} % of the units the text is Chinese, or Japanese when
 * kana are at least {@value #KANA_PERCENT} % of them (Japanese mixes kanji and kana; Chinese has none): so
 * Chinese with English words in it goes to the Chinese model, whose vocabulary covers English word pieces too.
 * Otherwise the script with the most words decides: Latin is {@code en}, Cyrillic {@code ru}, Arabic {@code ar},
 * Hangul {@code ko}, ... (the most used language of the script; Latin cannot tell English from French: a
 * producer's tag can). Letters of a script not mapped here are {@link LanguageTags#UNCODED}; a text without
 * letters (digits, emoji, punctuation) is {@link LanguageTags#UNDETERMINED}.
 */
public final class LanguageDetector {

    /** Share of units that are Han or kana from which a text is Chinese or Japanese. */
    static final int CJK_PERCENT = 30;
    /** Share of the Han and kana units that are kana from which such a text is Japanese. */
    static final int KANA_PERCENT = 10;

    private static final UnicodeScript[] SCRIPTS = UnicodeScript.values();
    private static final int LATIN = UnicodeScript.LATIN.ordinal();
    private static final int NONE = -1;
    private static final Map<UnicodeScript, String> LANGUAGES = new EnumMap<>(Map.ofEntries(
            Map.entry(UnicodeScript.LATIN, LanguageTags.ENGLISH),
            Map.entry(UnicodeScript.CYRILLIC, "ru"),
            Map.entry(UnicodeScript.ARABIC, "ar"),
            Map.entry(UnicodeScript.HANGUL, "ko"),
            Map.entry(UnicodeScript.GREEK, "el"),
            Map.entry(UnicodeScript.HEBREW, "he"),
            Map.entry(UnicodeScript.DEVANAGARI, "hi"),
            Map.entry(UnicodeScript.BENGALI, "bn"),
            Map.entry(UnicodeScript.GURMUKHI, "pa"),
            Map.entry(UnicodeScript.GUJARATI, "gu"),
            Map.entry(UnicodeScript.TAMIL, "ta"),
            Map.entry(UnicodeScript.TELUGU, "te"),
            Map.entry(UnicodeScript.KANNADA, "kn"),
            Map.entry(UnicodeScript.MALAYALAM, "ml"),
            Map.entry(UnicodeScript.SINHALA, "si"),
            Map.entry(UnicodeScript.THAI, "th"),
            Map.entry(UnicodeScript.LAO, "lo"),
            Map.entry(UnicodeScript.KHMER, "km"),
            Map.entry(UnicodeScript.MYANMAR, "my"),
            Map.entry(UnicodeScript.TIBETAN, "bo"),
            Map.entry(UnicodeScript.GEORGIAN, "ka"),
            Map.entry(UnicodeScript.ARMENIAN, "hy"),
            Map.entry(UnicodeScript.ETHIOPIC, "am"),
            Map.entry(UnicodeScript.MONGOLIAN, "mn")));

    private LanguageDetector() {}

    /** The primary language subtag {@code text} is most likely in; see the class comment. */
    public static String detect(CharSequence text) {
        int han = 0;
        int kana = 0;
        int[] words = new int[SCRIPTS.length];
        int run = NONE; // the script of the word being read
        int n = text.length();
        for (int i = 0; i < n; ) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                int lower = cp | 0x20;
                if (lower >= 'a' && lower <= 'z') {
                    if (run != LATIN) {
                        words[LATIN]++;
                        run = LATIN;
                    }
                } else if (cp != '\'' || run == NONE) { // an apostrophe inside a word ("don't") keeps it
                    run = NONE;
                }
                continue;
            }
            if (cp >= 0x4E00 && cp <= 0x9FFF) { // CJK Unified Ideographs, the common case, without a lookup
                han++;
                run = NONE;
                continue;
            }
            if (cp == 0x30FC) { // the katakana length mark, script Common, used only in Japanese
                kana++;
                run = NONE;
                continue;
            }
            UnicodeScript script = UnicodeScript.of(cp);
            switch (script) {
                case HAN, BOPOMOFO -> {
                    han++;
                    run = NONE;
                }
                case HIRAGANA, KATAKANA -> {
                    kana++;
                    run = NONE;
                }
                case INHERITED -> {} // a combining mark belongs to the letter before it
                case COMMON, UNKNOWN -> {
                    if (cp != 0x2019 || run == NONE) { // ’ as an apostrophe
                        run = NONE;
                    }
                }
                default -> {
                    int s = script.ordinal();
                    if (run != s) {
                        words[s]++;
                        run = s;
                    }
                }
            }
        }
        return decide(han, kana, words);
    }

    private static String decide(int han, int kana, int[] words) {
        long total = han + kana;
        int best = NONE;
        for (int s = 0; s < words.length; s++) {
            total += words[s];
            if (words[s] > 0 && (best == NONE || words[s] > words[best])) {
                best = s; // ties go to the script listed first: Latin before every other
            }
        }
        if (total == 0) {
            return LanguageTags.UNDETERMINED;
        }
        int cjk = han + kana;
        if (cjk * 100L >= total * CJK_PERCENT) {
            return kana * 100L >= cjk * (long) KANA_PERCENT ? "ja" : LanguageTags.CHINESE;
        }
        return LANGUAGES.getOrDefault(SCRIPTS[best], LanguageTags.UNCODED);
    }
}
