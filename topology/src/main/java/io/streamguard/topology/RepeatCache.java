package io.streamguard.topology;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.streamguard.model.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Answers texts the worker has already scored without the encoder: moderation traffic repeats (spam waves,
 * copy-paste raids, retweets), and a repeat's scores are those of its first copy. A bounded, worker-wide
 * cache (shared by the stream threads) in front of one encoder's {@link BatchScorer}.
 *
 * <p>Keyed by the model version and the token ids (with their truncation): the encoder and heads see nothing
 * else, so two texts the tokenizer normalises alike (case for uncased models, accents, spacing) are the same
 * entry, and a cached answer is exactly what that version would compute, up to float rounding that depends on
 * which texts share a batch. Entries of an earlier version are dropped when the served version changes, and a
 * batch still scores entirely on one version (if a swap lands mid-call, the whole batch is scored again on the
 * new one). The cache is a memo only: exactly-once, ordering and dead letters stay the pipeline's (a repeat is labeled, with
 * the version that scored it, like any event).
 */
final class RepeatCache implements BatchScorer {

    /** What the encoder sees of a text. */
    private record Key(String version, int[] ids, boolean truncated) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && truncated == k.truncated
                    && version.equals(k.version)
                    && Arrays.equals(ids, k.ids);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * version.hashCode() + Arrays.hashCode(ids)) + Boolean.hashCode(truncated);
        }
    }

    private final BatchScorer delegate;
    private final Supplier<String> version;
    private final Cache<Key, ScoredText> cache;
    private final Runnable hit;
    private final Runnable miss;
    private volatile String lastVersion;

    /**
     * @param delegate the encoder's scorer (closed by its owner, not here)
     * @param version the version {@code delegate} serves now
     * @param entries most texts kept (least recently used go first)
     * @param hit told once per text answered from the cache; {@code miss} once per text sent to the encoder
     */
    RepeatCache(BatchScorer delegate, Supplier<String> version, int entries, Runnable hit, Runnable miss) {
        if (entries < 1) {
            throw new IllegalArgumentException("a repeat cache needs at least one entry, got " + entries);
        }
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.version = Objects.requireNonNull(version, "version");
        // Eviction on the scoring thread: no pool threads of Caffeine's own beside the stream threads.
        this.cache = Caffeine.newBuilder()
                .maximumSize(entries)
                .executor(Runnable::run)
                .build();
        this.hit = hit;
        this.miss = miss;
    }

    @Override
    public List<ScoredText> score(List<Encoding> encodings) {
        String serving = version.get();
        if (!serving.equals(lastVersion)) {
            cache.invalidateAll(); // a swap: the old version's answers are no longer anyone's
            lastVersion = serving;
        }
        ScoredText[] out = new ScoredText[encodings.size()];
        // Texts to score, once each even if repeated within this batch, with every position that wants them.
        Map<Key, List<Integer>> wanted = new LinkedHashMap<>();
        for (int i = 0; i < out.length; i++) {
            Encoding e = encodings.get(i);
            Key key = new Key(serving, Arrays.copyOf(e.ids(), e.length()), e.truncated());
            ScoredText known = cache.getIfPresent(key);
            if (known != null) {
                out[i] = known;
                hit.run();
            } else {
                wanted.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        if (!wanted.isEmpty()) {
            List<Encoding> unique = new ArrayList<>(wanted.size());
            for (List<Integer> positions : wanted.values()) {
                unique.add(encodings.get(positions.get(0)));
            }
            List<ScoredText> scored = delegate.score(unique);
            if (scored.stream().anyMatch(s -> !s.model().version().equals(serving))) {
                // A swap landed between the lookups and the call: answered from the cache, part of this batch
                // would carry the old version and part the new. Score it all on the new one instead, as a
                // batch without a cache would be.
                cache.invalidateAll();
                lastVersion = null;
                return delegate.score(encodings);
            }
            int next = 0;
            for (Map.Entry<Key, List<Integer>> entry : wanted.entrySet()) {
                ScoredText s = scored.get(next++);
                cache.put(entry.getKey(), s);
                for (int i : entry.getValue()) {
                    out[i] = s;
                }
                miss.run();
                for (int repeats = entry.getValue().size() - 1; repeats > 0; repeats--) {
                    hit.run();
                }
            }
        }
        return Arrays.asList(out);
    }

    /** Texts kept now (approximate, as Caffeine counts). */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    @Override
    public String vocabHash() {
        return delegate.vocabHash();
    }

    @Override
    public EngineClock clock() {
        return delegate.clock();
    }

    @Override
    public String precision() {
        return delegate.precision();
    }

    @Override
    public String servingVersion() {
        return delegate.servingVersion();
    }

    /** The delegate's owner closes it; the cache holds nothing native. */
    @Override
    public void close() {
        cache.invalidateAll();
    }
}
