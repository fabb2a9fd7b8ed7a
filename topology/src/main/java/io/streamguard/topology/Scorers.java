package io.streamguard.topology;

import io.streamguard.model.language.LanguageTags;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The scorer of each encoder a worker serves, one per language ({@link EncoderLanguages}): a micro-batch is
 * split by encoder and each part scored by its own model. They share one {@link EngineClock}, since time a
 * stream thread spends in any of them is time it does not poll.
 */
public final class Scorers implements AutoCloseable {

    private final Map<String, BatchScorer> byEncoder;
    private final Map<String, String> encoderByLanguage;
    private final EngineClock clock;

    private Scorers(Map<String, BatchScorer> byEncoder) {
        this.byEncoder = Collections.unmodifiableMap(new LinkedHashMap<>(byEncoder));
        this.encoderByLanguage = EncoderLanguages.of(byEncoder.keySet());
        Set<BatchScorer> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(byEncoder.values());
        if (distinct.size() != byEncoder.size()) {
            throw new IllegalArgumentException(
                    "one scorer serves several encoders " + byEncoder.keySet() + ": each encoder needs its own model");
        }
        this.clock = byEncoder.values().iterator().next().clock();
        for (BatchScorer scorer : byEncoder.values()) {
            if (scorer.clock() != clock) {
                throw new IllegalArgumentException("the scorers of " + byEncoder.keySet() + " run on different clocks");
            }
        }
    }

    /**
     * @param byEncoder in configuration order
     * @throws IllegalArgumentException if empty, two encoders read one language, one scorer is given for two
     *     encoders or they run on different clocks
     */
    public static Scorers of(Map<String, BatchScorer> byEncoder) {
        return new Scorers(byEncoder);
    }

    public static Scorers single(String encoderId, BatchScorer scorer) {
        return new Scorers(Map.of(encoderId, scorer));
    }

    /**
     * The encoder that scores ids tokenized for {@code encoderId}: that one if served, else the one serving its
     * language (whose vocabulary the caller still checks: MiniLM and BERT-base share theirs); null if none.
     */
    String route(String encoderId) {
        return byEncoder.containsKey(encoderId) ? encoderId : encoderByLanguage.get(LanguageTags.ofEncoder(encoderId));
    }

    /** The scorer of a served encoder. */
    BatchScorer get(String encoderId) {
        return byEncoder.get(encoderId);
    }

    /** Encoder to scorer, in configuration order. */
    public Map<String, BatchScorer> byEncoder() {
        return byEncoder;
    }

    EngineClock clock() {
        return clock;
    }

    /** Closes every scorer, also when one fails to (the first failure is thrown, the others added to it). */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (BatchScorer scorer : byEncoder.values()) {
            try {
                scorer.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
