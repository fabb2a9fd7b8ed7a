package io.streamguard.model.testing;

import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.Encoder;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.tokenizer.EncodedBatch;

/**
 * A loaded encoder under another id, for tests of code that chooses by encoder id (the Chinese data, tasks and
 * retrainer of {@code bge-small-zh}) without loading that encoder: MiniLM stands in for it.
 */
public final class RenamedEncoder {

    private RenamedEncoder() {}

    /** {@code encoder} reporting id {@code id}; closing the view leaves the encoder open. */
    public static LoadedEncoder as(LoadedEncoder encoder, String id) {
        EncoderInfo info = encoder.encoder().info();
        EncoderInfo renamed =
                new EncoderInfo(id, info.hidden(), info.maxSequenceLength(), info.vocabHash(), info.device());
        Encoder view = new Encoder() {
            @Override
            public EncoderInfo info() {
                return renamed;
            }

            @Override
            public Embeddings encode(EncodedBatch batch) {
                return encoder.encoder().encode(batch);
            }

            @Override
            public void close() {}
        };
        return new LoadedEncoder(view, encoder.tokenizer());
    }
}
