package io.streamguard.topology;

import io.streamguard.model.tokenizer.Encoding;
import java.util.List;

/**
 * What the inference processor needs from the model: one call scores one micro-batch. The seam that
 * keeps the topology independent of the engine (the model runtime's classifier in production, a
 * deterministic fake in tests).
 *
 * <p>Implementations are called from Kafka Streams threads, possibly several at once.
 */
public interface BatchScorer extends AutoCloseable {

    /**
     * Scores {@code encodings} (unpadded, as tokenized), one result per input, in input order.
     *
     * @throws RuntimeException if the engine fails; the caller then scores the texts one by one and
     *     dead-letters those that still fail
     */
    List<ScoredText> score(List<Encoding> encodings);

    /**
     * SHA-256 of the vocabulary the model was trained with; token ids from any other vocabulary are
     * rejected rather than scored.
     */
    String vocabHash();

    /**
     * The clock this scorer's calls are timed with, which also ages the batches waiting for it: time a
     * stream thread spends in the engine does not count as waiting. A fake engine returns a manual clock
     * and advances it instead of sleeping.
     */
    default EngineClock clock() {
        return EngineClock.SYSTEM;
    }

    /**
     * The model version the next call would score with, or null if this scorer cannot say (then no
     * {@link RepeatCache} is put in front of it: cached scores must be filed under the version that made them).
     */
    default String servingVersion() {
        return null;
    }

    /**
     * The arithmetic the engine runs in ({@code fp32}, {@code bf16}), as resolved on this machine: exported as
     * a metric so a fleet shows which workers run reduced precision.
     */
    default String precision() {
        return "fp32";
    }

    @Override
    default void close() {}
}
