package io.streamguard.model.tokenizer;

import java.util.Arrays;

/**
 * Greedy longest-match-first WordPiece over a character trie of the vocabulary.
 *
 * <p>The reference implementation probes the vocabulary with ever shorter substrings, allocating a
 * string per probe (quadratic in the word length). Walking a trie finds the same longest match in
 * one forward pass without allocating. The trie is an open-addressing hash table keyed by
 * {@code (node, char)}, which is compact for a 30k-token vocabulary and needs no per-node objects.
 *
 * <p>Immutable after construction, so safe to share between threads.
 */
final class WordPiece {

    static final String CONTINUATION_PREFIX = "##";
    /** Longer words (in code points, after normalisation) become a single [UNK], as in BERT. */
    static final int MAX_INPUT_CHARS_PER_WORD = 100;
    /** Upper bound on the pieces of one word: at most one per char of a word that is not [UNK]. */
    static final int MAX_PIECES_PER_WORD = 2 * MAX_INPUT_CHARS_PER_WORD;

    private static final int ROOT = 0;
    private static final long EMPTY = -1L;

    // Trie edges: keys[slot] = node << 16 | char, children[slot] = child node; linear probing.
    private final long[] keys;
    private final int[] children;
    private final int mask;
    private final int shift;
    /** The token id that ends at each node, or -1. */
    private final int[] nodeToken;
    /** The node reached by "##", or -1 if no token starts with it. */
    private final int continuationNode;

    private final int unkId;

    WordPiece(Vocabulary vocabulary, int unkId) {
        TrieBuilder builder = new TrieBuilder();
        for (int id = 0; id < vocabulary.size(); id++) {
            builder.insert(vocabulary.token(id), id);
        }
        this.keys = builder.keys;
        this.children = builder.children;
        this.mask = builder.keys.length - 1;
        this.shift = shift(builder.keys.length);
        this.nodeToken = Arrays.copyOf(builder.nodeToken, builder.nodes);
        this.unkId = unkId;
        int node = ROOT;
        for (int i = 0; i < CONTINUATION_PREFIX.length() && node >= 0; i++) {
            node = child(node, CONTINUATION_PREFIX.charAt(i));
        }
        this.continuationNode = node;
    }

    /**
     * Writes the ids of the pieces of {@code word[0, length)} to {@code pieces} and returns how
     * many; {@code pieces} must hold {@link #MAX_PIECES_PER_WORD}. A word that is too long or that
     * cannot be covered completely by vocabulary pieces becomes the single id of [UNK].
     */
    int encodeWord(char[] word, int length, int[] pieces) {
        if (length > MAX_INPUT_CHARS_PER_WORD && Character.codePointCount(word, 0, length) > MAX_INPUT_CHARS_PER_WORD) {
            pieces[0] = unkId;
            return 1;
        }
        int count = 0;
        int start = 0;
        while (start < length) {
            int node = start == 0 ? ROOT : continuationNode;
            int bestEnd = -1;
            int bestId = -1;
            for (int i = start; i < length && node >= 0; i++) {
                node = child(node, word[i]);
                if (node >= 0 && nodeToken[node] >= 0 && isCodePointBoundary(word, i + 1, length)) {
                    bestEnd = i + 1;
                    bestId = nodeToken[node];
                }
            }
            if (bestId < 0) {
                pieces[0] = unkId;
                return 1;
            }
            pieces[count++] = bestId;
            start = bestEnd;
        }
        return count;
    }

    /** Pieces never split a surrogate pair: the reference works on code points. */
    private static boolean isCodePointBoundary(char[] word, int index, int length) {
        return index == length
                || !(Character.isLowSurrogate(word[index]) && Character.isHighSurrogate(word[index - 1]));
    }

    private int child(int node, char c) {
        long key = ((long) node << 16) | c;
        int slot = slot(key, shift);
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return children[slot];
            }
            if (k == EMPTY) {
                return -1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static int shift(int capacity) {
        return 64 - Integer.numberOfTrailingZeros(capacity);
    }

    /** Fibonacci hashing: the top bits of the product spread (node, char) keys well. */
    private static int slot(long key, int shift) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    /** Mutable construction state, so the trie itself can have final fields. */
    private static final class TrieBuilder {
        long[] keys;
        int[] children;
        int[] nodeToken = new int[1 << 16];
        int nodes = 1;
        private int entries;

        TrieBuilder() {
            allocate(1 << 16);
            nodeToken[ROOT] = -1;
        }

        void insert(String token, int id) {
            int node = ROOT;
            for (int i = 0; i < token.length(); i++) {
                node = childOrCreate(node, token.charAt(i));
            }
            nodeToken[node] = id;
        }

        private int childOrCreate(int node, char c) {
            long key = ((long) node << 16) | c;
            int mask = keys.length - 1;
            int slot = slot(key, shift(keys.length));
            while (keys[slot] != EMPTY) {
                if (keys[slot] == key) {
                    return children[slot];
                }
                slot = (slot + 1) & mask;
            }
            int created = nodes++;
            if (created == nodeToken.length) {
                nodeToken = Arrays.copyOf(nodeToken, created * 2);
            }
            nodeToken[created] = -1;
            keys[slot] = key;
            children[slot] = created;
            if (++entries * 2 > keys.length) { // load factor at most 1/2 keeps probe runs short
                rehash();
            }
            return created;
        }

        private void rehash() {
            long[] oldKeys = keys;
            int[] oldChildren = children;
            allocate(oldKeys.length * 2);
            int mask = keys.length - 1;
            int shift = shift(keys.length);
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != EMPTY) {
                    int slot = slot(oldKeys[i], shift);
                    while (keys[slot] != EMPTY) {
                        slot = (slot + 1) & mask;
                    }
                    keys[slot] = oldKeys[i];
                    children[slot] = oldChildren[i];
                }
            }
        }

        private void allocate(int capacity) {
            keys = new long[capacity];
            Arrays.fill(keys, EMPTY);
            children = new int[capacity];
        }
    }
}
