package io.streamguard.model.tokenizer;

import java.text.Normalizer;

/**
 * Folds characters that only look like ASCII letters and digits onto them before tokenizing, so that an
 * insult spelled with look-alikes reads to the ASCII vocabulary as the insult does (issue 16):
 *
 * <ul>
 *   <li>full-width Latin letters U+FF21..U+FF3A and U+FF41..U+FF5A ("ｉｄｉｏｔ") onto ASCII ones (not
 *       full-width digits and punctuation, which are ordinary in Chinese text: "，" "２００１");
 *   <li>mathematical alphanumerics U+1D400..U+1D7FF ("𝐢𝐝𝐢𝐨𝐭") by their NFKC decomposition;
 *   <li>inside a word that also has Latin letters, the Cyrillic and Greek letters drawn like Latin ones
 *       ("іdіоt" with Cyrillic і and о). A word wholly in Cyrillic or Greek is left alone: it is a word of
 *       that language, not a disguise.
 * </ul>
 *
 * Everything else is returned as it was (the same instance when nothing changes): this is not NFKC of the
 * whole text, which would also rewrite "…" and "™" that the models were trained on. Invisible characters
 * need no folding: {@link BasicTokenizer} deletes format characters.
 */
public final class LookAlikes {

    /** Cyrillic and Greek letters drawn like a Latin letter, and that letter. */
    private static final String FROM = "аАВеЕёкКмМнНоОрРсСтТуУхХіІјЈѕЅԁԛԝүһ" + "αΑΒεΕΖΗιΙκΚΜνΝοΟρΡτΤυΥχΧ";

    private static final String TO = "aABeEekKmMhHoOpPcCtTyYxXiIjJsSdqwyh" + "aABeEZHiIkKMvNoOpPtTuYxX";

    static {
        if (FROM.length() != TO.length()) {
            throw new ExceptionInInitializerError("look-alike tables differ in length");
        }
    }

    private LookAlikes() {}

    /** {@code text} with look-alikes folded; {@code text} itself if it has none. */
    public static String fold(String text) {
        if (!suspicious(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A)) {
                out.append((char) (cp - 0xFEE0));
            } else if (cp >= 0x1D400 && cp <= 0x1D7FF) {
                out.append(Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC));
            } else {
                out.appendCodePoint(cp);
            }
        }
        foldMixedWords(out);
        return out.toString();
    }

    /** Whether {@code text} has any character this class might fold (most texts have none). */
    private static boolean suspicious(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 0x0370 && c <= 0x052F) || (c >= 0xFF21 && c <= 0xFF5A) || Character.isHighSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Within each run of letters that has a Latin letter, Cyrillic and Greek look-alikes become Latin. */
    private static void foldMixedWords(StringBuilder s) {
        int start = 0;
        while (start < s.length()) {
            if (!Character.isLetter(s.charAt(start))) {
                start++;
                continue;
            }
            int end = start;
            boolean latin = false;
            boolean lookAlike = false;
            while (end < s.length() && Character.isLetter(s.charAt(end))) {
                char c = s.charAt(end);
                latin |= Character.UnicodeScript.of(c) == Character.UnicodeScript.LATIN;
                lookAlike |= FROM.indexOf(c) >= 0;
                end++;
            }
            if (latin && lookAlike) {
                for (int i = start; i < end; i++) {
                    int at = FROM.indexOf(s.charAt(i));
                    if (at >= 0) {
                        s.setCharAt(i, TO.charAt(at));
                    }
                }
            }
            start = end;
        }
    }
}
