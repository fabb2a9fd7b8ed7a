package io.streamguard.model.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An immutable token vocabulary: token {@code i} has id {@code i}.
 *
 * <p>Blank and duplicate tokens are rejected rather than silently shadowed (the reference
 * loaders let a later duplicate win, which leaves an id no input can produce), so a vocabulary
 * that loads is a bijection between {@code 0..size()-1} and its tokens. Blank means empty or only
 * ASCII spaces and controls: a token of Unicode separators is real, e.g. bert-base-chinese's (and
 * hence bge-small-zh's) id 343 is U+2028.
 */
public final class Vocabulary {

    private final String[] tokens;
    private final Map<String, Integer> ids;
    private final String vocabHash;

    private Vocabulary(String[] tokens) {
        if (tokens.length == 0) {
            throw new InvalidVocabularyException("vocabulary is empty");
        }
        Map<String, Integer> index = new HashMap<>(tokens.length * 2);
        for (int id = 0; id < tokens.length; id++) {
            String token = tokens[id];
            if (token == null || isBlank(token)) {
                throw new InvalidVocabularyException("blank token at id " + id);
            }
            Integer previous = index.putIfAbsent(token, id);
            if (previous != null) {
                throw new InvalidVocabularyException(
                        "duplicate token '" + token + "' at ids " + previous + " and " + id);
            }
        }
        this.tokens = tokens;
        this.ids = index;
        this.vocabHash = sha256(tokens);
    }

    private static boolean isBlank(String token) {
        return stripTrailingAscii(token).isEmpty();
    }

    /** Drops trailing ASCII spaces and controls (CR, tab), but not Unicode separators like U+2028. */
    private static String stripTrailingAscii(String line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) <= ' ') {
            end--;
        }
        return line.substring(0, end);
    }

    /** A vocabulary whose ids are the positions in {@code tokens}. */
    public static Vocabulary of(List<String> tokens) {
        return new Vocabulary(tokens.toArray(String[]::new));
    }

    /**
     * Reads a BERT {@code vocab.txt}: UTF-8, one token per line, id = zero-based line number.
     * Trailing ASCII whitespace (including a CR from CRLF files) and a leading BOM are dropped, as
     * the reference loaders do; other trailing characters are kept, even Unicode separators.
     */
    public static Vocabulary fromVocabTxt(Path vocabTxt) throws IOException {
        try (InputStream in = Files.newInputStream(vocabTxt)) {
            return fromVocabTxt(in);
        }
    }

    /** As {@link #fromVocabTxt(Path)}; does not close {@code in}. */
    public static Vocabulary fromVocabTxt(InputStream in) throws IOException {
        // A decoder that reports malformed bytes: replacing them would corrupt tokens silently.
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()));
        List<String> tokens = new ArrayList<>(32_768);
        String line;
        while ((line = reader.readLine()) != null) {
            if (tokens.isEmpty() && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            tokens.add(stripTrailingAscii(line));
        }
        return of(tokens);
    }

    /** Reads {@code model.vocab} (token to id map) from a HuggingFace {@code tokenizer.json}. */
    public static Vocabulary fromTokenizerJson(Path tokenizerJson) throws IOException {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return fromTokenizerJson(in);
        }
    }

    /** As {@link #fromTokenizerJson(Path)}; does not close {@code in}. */
    public static Vocabulary fromTokenizerJson(InputStream in) throws IOException {
        return TokenizerJson.parse(in).vocabulary();
    }

    /** Builds from a token to id map whose ids must be exactly {@code 0..size-1}. */
    static Vocabulary fromIdMap(Map<String, Integer> tokenToId) {
        String[] tokens = new String[tokenToId.size()];
        for (Map.Entry<String, Integer> e : tokenToId.entrySet()) {
            int id = e.getValue();
            if (id < 0 || id >= tokens.length) {
                throw new InvalidVocabularyException("token '" + e.getKey() + "' has id " + id + ", outside 0.."
                        + (tokens.length - 1) + " (ids must be contiguous)");
            }
            if (tokens[id] != null) {
                throw new InvalidVocabularyException(
                        "tokens '" + tokens[id] + "' and '" + e.getKey() + "' share id " + id);
            }
            tokens[id] = e.getKey();
        }
        return new Vocabulary(tokens);
    }

    public int size() {
        return tokens.length;
    }

    /** The id of {@code token}, or empty if it is not in the vocabulary. */
    public OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** The id of a token the caller requires, e.g. a special token. */
    int requireId(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new InvalidVocabularyException("vocabulary has no '" + token + "' token");
        }
        return id;
    }

    /** @throws IndexOutOfBoundsException if {@code id} is not in {@code 0..size()-1} */
    public String token(int id) {
        Objects.checkIndex(id, tokens.length);
        return tokens[id];
    }

    /** All tokens in id order. */
    public List<String> tokens() {
        return Collections.unmodifiableList(Arrays.asList(tokens));
    }

    /**
     * Lower-case hex SHA-256 of the tokens in id order, each UTF-8 encoded and followed by
     * {@code '\n'}. That is the hash of the canonical {@code vocab.txt}, so {@code sha256sum
     * vocab.txt} gives the same value for an LF-terminated file, and a vocabulary read from a
     * {@code tokenizer.json} hashes the same as the equivalent {@code vocab.txt}.
     */
    public String vocabHash() {
        return vocabHash;
    }

    private static String sha256(String[] tokens) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
        for (String token : tokens) {
            digest.update(token.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Vocabularies are equal when they hold the same tokens in the same order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary other && Arrays.equals(tokens, other.tokens);
    }

    @Override
    public int hashCode() {
        return vocabHash.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary[size=" + tokens.length + ", sha256=" + vocabHash + "]";
    }
}
