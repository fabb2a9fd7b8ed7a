package io.streamguard.launcher.bench;

import io.streamguard.model.tokenizer.Encoding;
import io.streamguard.topology.BatchScorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The engine alone, as the pipeline calls it when every micro-batch is full: the ceiling {@code
 * bench pipeline} sets each pipeline run beside.
 */
final class EnginePasses {
    /** Timed passes of the engine over all texts; the median pass counts. */
    static final int PASSES = 3;

    private EnginePasses() {}

    /**
     * The texts in arrival order in scorer calls of {@code batch}, each cut by length into encoder
     * calls of at most {@code engineBatch}; median of {@link #PASSES} passes after one warm-up call.
     */
    static PipelineReport.Row measure(BatchScorer scorer, List<Encoding> encodings, int batch, int engineBatch) {
        List<List<Encoding>> batches = new ArrayList<>();
        for (int from = 0; from < encodings.size(); from += batch) {
            batches.add(encodings.subList(from, Math.min(encodings.size(), from + batch)));
        }
        scorer.score(batches.get(0)); // warm
        long[] passes = new long[PASSES];
        for (int p = 0; p < PASSES; p++) {
            long start = System.nanoTime();
            for (List<Encoding> b : batches) {
                scorer.score(b);
            }
            passes[p] = System.nanoTime() - start;
        }
        Arrays.sort(passes);
        double seconds = passes[PASSES / 2] / 1e9;
        return new PipelineReport.Row(
                "engine",
                batch,
                engineBatch,
                0,
                encodings.size(),
                seconds,
                0,
                0,
                (double) encodings.size() / batches.size(),
                seconds * 1000 / batches.size(),
                0,
                0,
                Map.of());
    }
}
