package io.streamguard.launcher.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Everything one {@code bench pipeline} run measured.
 *
 * @param pipelineVsEngine saturated pipeline throughput over the engine's, both at {@code
 *     batchSize}
 * @param batchedVsSingle saturated pipeline throughput at {@code batchSize} over batch size 1
 */
record PipelineReport(
        Machine machine,
        String encoderId,
        String modelVersion,
        int events,
        double rate,
        int batchSize,
        int engineBatch,
        int batchWaitMs,
        int partitions,
        String guarantee,
        List<Row> rows,
        double pipelineVsEngine,
        double batchedVsSingle) {

    /**
     * One row of the table.
     *
     * @param kind {@code engine} or {@code pipeline}
     * @param batchSize texts per micro-batch (at most)
     * @param engineBatch texts per encoder call (at most), cut by length from a micro-batch
     * @param offeredPerSecond the offered rate; 0 for saturation (and for the engine)
     * @param events texts labeled
     * @param seconds first produced (engine: first batch started) to last labeled
     * @param p50Ms end-to-end latency median (pipeline only)
     * @param p99Ms end-to-end latency 99th percentile (pipeline only)
     * @param meanBatch texts per engine call
     * @param modelMsPerBatch engine time per call
     * @param commits transactions (or offset commits) during the run (pipeline only)
     * @param commitMsAvg Kafka Streams' commit latency average (pipeline only)
     * @param threadShares the run's wall time by what the stream thread did: model (engine calls),
     *     commit, poll, punctuate (pipeline only)
     */
    record Row(
            String kind,
            int batchSize,
            int engineBatch,
            double offeredPerSecond,
            int events,
            double seconds,
            double p50Ms,
            double p99Ms,
            double meanBatch,
            double modelMsPerBatch,
            long commits,
            double commitMsAvg,
            Map<String, Double> threadShares) {
        @JsonProperty
        public double eventsPerSecond() {
            return seconds > 0 ? events / seconds : 0;
        }

        boolean saturated() {
            return offeredPerSecond <= 0;
        }
    }
}
