package io.streamguard.retrainer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which feedback texts are near-copies of each other, so the gate never counts two of them as independent
 * evidence and the hold-out never splits them: a template with a name, coin or number swapped is one text.
 *
 * <p>A text's key is its set of words after normalisation (NFKC, lower case, every run of digits one token
 * {@code 0}, punctuation dropped; Chinese and Japanese characters are one token each). Two texts are near-copies
 * when the Jaccard similarity of their word sets is at least {@code threshold} (0.5 by default: a 25-word message
 * with 4 words swapped scores about 0.7, two unrelated sentences below 0.3); identical normalised texts score 1.
 * Groups are the transitive closure. Exact, not sampled: all pairs over the threshold are found with the prefix
 * filter of Bayardo et al. (two sets with Jaccard at least t share a word among their rarest
 * {@code |x| - ceil(t|x|) + 1}), so thousands of verdicts take milliseconds. Pure and thread-safe.
 */
public final class NearDuplicates {

    private static final String CJK = "\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}";
    /** One Chinese or Japanese character, a run of digits, or a run of other letters. */
    private static final Pattern WORD = Pattern.compile("[" + CJK + "]|\\p{N}+|[\\p{L}\\p{M}&&[^" + CJK + "]]+");

    private final double threshold;

    /** @param threshold word-set Jaccard similarity from which two texts are one, in (0, 1] */
    public NearDuplicates(double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("near-duplicate similarity must lie in (0, 1], got " + threshold);
        }
        this.threshold = threshold;
    }

    public double threshold() {
        return threshold;
    }

    /** The words of {@code text} a comparison uses. */
    public static TreeSet<String> words(String text) {
        String normal = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        TreeSet<String> out = new TreeSet<>();
        Matcher m = WORD.matcher(normal);
        while (m.find()) {
            String w = m.group();
            out.add(Character.isDigit(w.codePointAt(0)) ? "0" : w);
        }
        return out;
    }

    /** Jaccard similarity of the two texts' word sets (two texts without words are the same). */
    public static double similarity(String a, String b) {
        TreeSet<String> x = words(a);
        TreeSet<String> y = words(b);
        if (x.isEmpty() && y.isEmpty()) {
            return 1;
        }
        TreeSet<String> shared = new TreeSet<>(x);
        shared.retainAll(y);
        return (double) shared.size() / (x.size() + y.size() - shared.size());
    }

    /**
     * The near-duplicate group of each text: {@code groups[i]} is the smallest index of a text in the same group
     * as text {@code i} (so {@code groups[i] == i} for the first text of each group).
     */
    public int[] groups(List<String> texts) {
        int n = texts.size();
        Map<String, Integer> ids = new HashMap<>();
        List<int[]> sets = new ArrayList<>(n);
        List<Integer> frequency = new ArrayList<>();
        for (String text : texts) {
            TreeSet<String> words = words(text);
            int[] set = new int[words.size()];
            int k = 0;
            for (String w : words) {
                int id = ids.computeIfAbsent(w, key -> {
                    frequency.add(0);
                    return frequency.size() - 1;
                });
                frequency.set(id, frequency.get(id) + 1);
                set[k++] = id;
            }
            sets.add(set);
        }
        // Rarest words first: prefixes then share few, rare words, and the index stays small.
        Integer[] order = new Integer[frequency.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) -> frequency.get(a).equals(frequency.get(b))
                        ? Integer.compare(a, b)
                        : Integer.compare(frequency.get(a), frequency.get(b)));
        int[] rank = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            rank[order[i]] = i;
        }
        int[] parent = new int[n];
        Map<Integer, List<Integer>> index = new HashMap<>();
        int firstEmpty = -1;
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            int[] x = sets.get(i);
            for (int k = 0; k < x.length; k++) {
                x[k] = rank[x[k]];
            }
            Arrays.sort(x);
            if (x.length == 0) {
                if (firstEmpty < 0) {
                    firstEmpty = i;
                } else {
                    union(parent, firstEmpty, i);
                }
                continue;
            }
            int prefix = x.length - (int) Math.ceil(threshold * x.length - 1e-9) + 1;
            boolean[] seen = new boolean[i];
            for (int k = 0; k < prefix; k++) {
                for (int j : index.getOrDefault(x[k], List.of())) {
                    if (!seen[j] && find(parent, j) != find(parent, i)) {
                        seen[j] = true;
                        if (jaccard(x, sets.get(j)) >= threshold - 1e-12) {
                            union(parent, i, j);
                        }
                    }
                }
                index.computeIfAbsent(x[k], key -> new ArrayList<>()).add(i);
            }
        }
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            groups[i] = find(parent, i);
        }
        return groups;
    }

    private static double jaccard(int[] x, int[] y) {
        int shared = 0;
        int i = 0;
        int j = 0;
        while (i < x.length && j < y.length) {
            if (x[i] == y[j]) {
                shared++;
                i++;
                j++;
            } else if (x[i] < y[j]) {
                i++;
            } else {
                j++;
            }
        }
        return (double) shared / (x.length + y.length - shared);
    }

    /** Root of {@code i}: always the smallest index of its group (unions keep the smaller root). */
    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
