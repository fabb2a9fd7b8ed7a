package io.streamguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.model.batch.BatchPolicy;
import io.streamguard.model.encoder.EncoderConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Can text normalisation be used to slip a word past the served model (issue 16)? Insults spelled with
 * invisible or look-alike characters, scored by MiniLM v2 as the workers serve it. Characters the tokenizer
 * deletes (format: zero-width, bidi, soft hyphen; combining accents, stripped as BERT-uncased does) or folds
 * ({@link io.streamguard.model.tokenizer.LookAlikes}: full-width and mathematical letters, Cyrillic and Greek
 * look-alikes inside a Latin word) must score exactly as the clean text. Spacing and leetspeak change the word
 * pieces themselves; they are measured and printed, not hidden: only training can teach them.
 */
class ObfuscationTest {

    private static final List<String> CLEAN = List.of(
            "you are a stupid idiot", "shut up you dumb bitch", "go kill yourself loser", "what a pathetic moron");

    private static Classifier classifier;

    @BeforeAll
    static void load() {
        classifier = Classifier.load(
                EncoderConfig.of(EncoderConfig.MINILM_L6),
                Path.of("..", "models", "v2", "minilm-l6.json"),
                BatchPolicy.DEFAULT);
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void invisibleAndCombiningCharactersCannotHideAWord() {
        Map<String, java.util.function.UnaryOperator<String>> deleted = new LinkedHashMap<>();
        deleted.put("zero-width space inside words", s -> interleave(s, "\u200B"));
        deleted.put("zero-width joiner / non-joiner", s -> interleave(s, "\u200D\u200C"));
        deleted.put("word joiner and BOM", s -> interleave(s, "\u2060\uFEFF"));
        deleted.put("soft hyphens", s -> interleave(s, "\u00AD"));
        deleted.put("bidi override around the text", s -> "\u202E" + s + "\u202C");
        deleted.put("bidi isolates inside words", s -> interleave(s, "\u2066\u2069"));
        deleted.put("combining accents", s -> interleave(s, "\u0301"));
        deleted.put("full-width letters", ObfuscationTest::fullWidth);
        deleted.put("Cyrillic homoglyphs", ObfuscationTest::cyrillic);
        deleted.put("mathematical bold letters", ObfuscationTest::mathBold);
        for (String clean : CLEAN) {
            double base = offensive(clean);
            for (Map.Entry<String, java.util.function.UnaryOperator<String>> e : deleted.entrySet()) {
                assertThat(offensive(e.getValue().apply(clean)))
                        .as(e.getKey() + ": " + clean)
                        .isCloseTo(base, within(1e-5));
            }
        }
    }

    @Test
    void visibleLookAlikesAreMeasured() {
        Map<String, java.util.function.UnaryOperator<String>> variants = new LinkedHashMap<>();
        variants.put("clean", s -> s);
        variants.put("upper case", String::toUpperCase);
        variants.put("spaced letters", s -> interleave(s, " "));
        variants.put("leetspeak", s -> s.replace('i', '1').replace('o', '0').replace('e', '3'));
        variants.put("Cyrillic \u0430 for the word \"a\"", s -> s.replace(" a ", " \u0430 "));
        List<String> lines = new ArrayList<>();
        int cleanFlagged = 0;
        for (Map.Entry<String, java.util.function.UnaryOperator<String>> e : variants.entrySet()) {
            StringBuilder line = new StringBuilder(String.format("%-20s", e.getKey()));
            int flagged = 0;
            for (String clean : CLEAN) {
                double p = offensive(e.getValue().apply(clean));
                line.append(String.format(" %.2f", p));
                flagged += p >= classifier.heads().thresholds().get("offensive").review() ? 1 : 0;
            }
            lines.add(line.append("  at review: ")
                    .append(flagged)
                    .append('/')
                    .append(CLEAN.size())
                    .toString());
            if (e.getKey().equals("clean")) {
                cleanFlagged = flagged;
            }
        }
        System.out.println("ObfuscationTest (offensive score, MiniLM v2):\n" + String.join("\n", lines));
        assertThat(cleanFlagged).as("the clean insults reach review").isEqualTo(CLEAN.size());
        // Lower-casing is part of the uncased tokenizer: case cannot hide a word either.
        assertThat(offensive(CLEAN.get(0).toUpperCase())).isCloseTo(offensive(CLEAN.get(0)), within(1e-5));
    }

    private static double offensive(String text) {
        return classifier.classify(List.of(text)).get(0).scores().labels().get("offensive");
    }

    /** {@code mark} after every letter. */
    private static String interleave(String s, String mark) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c);
            if (Character.isLetter(c)) {
                out.append(mark);
            }
        }
        return out.toString();
    }

    /**
     * Cyrillic о, е, і for o, e, i. (Not а for a: the word "a" would then be wholly Cyrillic, a Cyrillic word,
     * which {@link io.streamguard.model.tokenizer.LookAlikes} leaves alone; measured in the other test.)
     */
    private static String cyrillic(String s) {
        return s.replace('o', '\u043E').replace('e', '\u0435').replace('i', '\u0456');
    }

    private static String mathBold(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 'a' && c <= 'z') {
                out.appendCodePoint(0x1D41A + (c - 'a'));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String fullWidth(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c >= 'a' && c <= 'z' ? (char) (c - 'a' + '\uFF41') : c);
        }
        return out.toString();
    }
}
