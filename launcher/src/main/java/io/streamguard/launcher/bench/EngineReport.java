package io.streamguard.launcher.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Precision;
import java.util.Arrays;
import java.util.List;

/** Everything one {@code bench engine} run measured, in grid order: the cells, then the tokenizer shares. */
record EngineReport(
        Machine machine,
        int iterations,
        int warmup,
        double minSeconds,
        List<Cell> cells,
        List<TokenizerShare> tokenizerShares) {

    EngineReport {
        cells = List.copyOf(cells);
        tokenizerShares = List.copyOf(tokenizerShares);
    }

    /** Milliseconds per batch over a cell's iterations. */
    public record Latency(double p50Ms, double p99Ms, double meanMs) {

        static Latency of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Latency(
                    percentile(sorted, 0.50) / 1e6,
                    percentile(sorted, 0.99) / 1e6,
                    Arrays.stream(sorted).average().orElse(0) / 1e6);
        }

        /** Nearest rank: with fewer than 100 samples p99 is the maximum. */
        private static long percentile(long[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }

    /**
     * One grid cell: {@code Encoder.encode} against a bare session run of the same batch.
     *
     * @param iterations timed pairs (engine call + bare run)
     * @param ratio engine throughput as a fraction of bare TensorFlow's (1.0: no overhead): the
     *     median over pairs of bare time / engine time
     */
    @JsonPropertyOrder({
        "encoderId",
        "device",
        "batchSize",
        "length",
        "iterations",
        "engine",
        "bare",
        "ratio",
        "engineSeqPerSecond",
        "bareSeqPerSecond"
    })
    public record Cell(
            String encoderId,
            Device device,
            Precision precision,
            int batchSize,
            int length,
            int iterations,
            Latency engine,
            Latency bare,
            double ratio) {

        /** Sequences per second at the engine's median latency. */
        @JsonProperty
        public double engineSeqPerSecond() {
            return batchSize * 1000 / engine.p50Ms();
        }

        /** Sequences per second at the bare run's median latency. */
        @JsonProperty
        public double bareSeqPerSecond() {
            return batchSize * 1000 / bare.p50Ms();
        }
    }

    /**
     * Tokenizer cost against inference cost for the same real texts, sorted by length and batched
     * by {@link EngineBenchmark#SHARE_BATCH_SIZE}, each batch padded to its longest text.
     *
     * @param tokens real tokens (not padding) over all texts
     * @param tokenizerMs median time to tokenize all texts ({@code encodeBatch} per batch)
     * @param encoderMs time to encode all the resulting batches (after a warm-up)
     */
    public record TokenizerShare(
            String encoderId, int texts, int batches, long tokens, double tokenizerMs, double encoderMs) {

        /** Tokenizer time as a fraction of encoder time. */
        @JsonProperty
        public double share() {
            return tokenizerMs / encoderMs;
        }
    }
}
