package io.streamguard.model.encoder;

import io.streamguard.model.tokenizer.EncodedBatch;

/**
 * Benchmarking seam, not for serving: runs an engine's own TensorFlow session on one fixed batch
 * whose input tensors are created once and reused, fetching the outputs {@link Encoder#encode}
 * fetches and closing each result, but skipping the engine's per-call work (tensors from Java
 * arrays, copying outputs out, the lifecycle lock, building {@link Embeddings}). That is the
 * ceiling TensorFlow itself allows for the shape, so a benchmark can report an engine's overhead as
 * the ratio of the two.
 *
 * <p>Engines implement it next to {@link Encoder}; callers test with {@code instanceof}, so the
 * {@link Encoder} interface stays what serving needs.
 */
public interface SessionBaseline {

    /**
     * Creates the input tensors for {@code batch} once.
     *
     * <p>Fails as {@link Encoder#encode} would for the same batch or on a closed engine.
     */
    BareRun prepare(EncodedBatch batch);

    /**
     * One prepared batch. Not thread-safe; close it before the encoder it came from (its session
     * must outlive it).
     */
    interface BareRun extends AutoCloseable {

        /** One session run on the prepared inputs; outputs are fetched and released, not copied. */
        void run();

        /** Releases the input tensors. */
        @Override
        void close();
    }
}
