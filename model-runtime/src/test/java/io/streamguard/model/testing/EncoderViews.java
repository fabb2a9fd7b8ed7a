package io.streamguard.model.testing;

import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.Encoder;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.tokenizer.EncodedBatch;

/**
 * Views of a loaded encoder for tests that share one: closing a view leaves the encoder open, and a view may
 * report another id, for code that chooses by encoder id (the Chinese data, tasks and retrainer of {@code
 * bge-small-zh}) without loading that encoder: MiniLM stands in for it.
 */
public final class EncoderViews {

    private EncoderViews() {}

    /** {@code encoder} reporting id {@code id}. */
    public static LoadedEncoder renamed(LoadedEncoder encoder, String id) {
        EncoderInfo info = encoder.encoder().info();
        return view(
                encoder,
                new EncoderInfo(
                        id,
                        info.hidden(),
                        info.maxSequenceLength(),
                        info.vocabHash(),
                        info.device(),
                        info.precision()));
    }

    /** {@code encoder} as it is, for code that closes what it is given while other tests still use it. */
    public static LoadedEncoder unclosable(LoadedEncoder encoder) {
        return view(encoder, encoder.encoder().info());
    }

    private static LoadedEncoder view(LoadedEncoder encoder, EncoderInfo info) {
        Encoder view = new Encoder() {
            @Override
            public EncoderInfo info() {
                return info;
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
