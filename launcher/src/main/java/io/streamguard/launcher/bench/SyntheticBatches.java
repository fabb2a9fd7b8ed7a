package io.streamguard.launcher.bench;

import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import io.streamguard.model.tokenizer.Encoding;
import java.util.Arrays;
import java.util.List;

/**
 * Batches of an exact shape (rows x tokens) cut from real word pieces, so each grid cell of {@code
 * bench engine} runs the shape it names on ids like those of real texts.
 */
final class SyntheticBatches {

    private SyntheticBatches() {}

    /** The word-piece ids of real texts, [CLS]/[SEP] stripped, concatenated: what batch rows are cut from. */
    static int[] tokenPool(BertTokenizer tokenizer, List<String> texts) {
        int[] pool = texts.stream()
                .map(tokenizer::encode)
                .flatMapToInt(e -> Arrays.stream(e.ids(), 1, Math.max(1, e.length() - 1)))
                .toArray();
        if (pool.length == 0) {
            throw new BenchmarkException("the benchmark texts hold no tokens");
        }
        return pool;
    }

    /** {@code [CLS]} and {@code [SEP]} of the tokenizer's vocabulary, as it emits them. */
    static int[] specialIds(BertTokenizer tokenizer) {
        Encoding empty = tokenizer.encode("");
        return new int[] {empty.ids()[0], empty.ids()[empty.length() - 1]};
    }

    /**
     * {@code size} rows of exactly {@code length} ids, {@code [CLS]} + consecutive real word pieces +
     * {@code [SEP]}, each row starting elsewhere in the pool, attention on every position.
     */
    static EncodedBatch syntheticBatch(int size, int length, int[] pool, int cls, int sep) {
        int[] ids = new int[size * length];
        int next = 0;
        for (int r = 0; r < size; r++) {
            int row = r * length;
            ids[row] = cls;
            for (int i = 1; i < length - 1; i++) {
                ids[row + i] = pool[next];
                next = (next + 1) % pool.length;
            }
            ids[row + length - 1] = sep;
        }
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        int[] lengths = new int[size];
        Arrays.fill(lengths, length);
        return new EncodedBatch(size, length, ids, mask, lengths, new boolean[size]);
    }
}
