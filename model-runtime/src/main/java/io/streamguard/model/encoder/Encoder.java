package io.streamguard.model.encoder;

import io.streamguard.model.tokenizer.EncodedBatch;

/**
 * A pre-trained text encoder: a batch of token ids in, one embedding per text out. The one seam
 * between the runtime and an engine, so CPU/GPU and BERT-base/MiniLM are configuration
 * ({@link EncoderFactory}), never code paths elsewhere.
 *
 * <p>Implementations are thread-safe (one session per worker, shared by its threads) and own native
 * memory: {@link #close()} releases it.
 */
public interface Encoder extends AutoCloseable {

    /** What this encoder is: id, sizes, vocabulary, device it actually runs on. */
    EncoderInfo info();

    /**
     * Encodes a padded batch ({@code batch.sequenceLength()} may be anything up to the model's maximum:
     * callers pad to the longest text, not to the maximum).
     *
     * @throws EncoderException if the engine fails; the batch can be retried or dead-lettered
     * @throws EncoderClosedException if called after {@link #close()}
     */
    Embeddings encode(EncodedBatch batch);

    @Override
    void close();
}
