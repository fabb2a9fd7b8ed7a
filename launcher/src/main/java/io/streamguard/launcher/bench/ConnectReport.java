package io.streamguard.launcher.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.streamguard.launcher.traffic.DemoTraffic;
import java.util.Arrays;

/**
 * Everything one {@code bench connectors} run measured: the pipeline beside the moderation-events sink
 * at saturation, and database-to-database latency through the comments source, pipeline and sink.
 */
record ConnectReport(
        Machine machine,
        String encoderId,
        String modelVersion,
        int batchSize,
        int partitions,
        Throughput throughput,
        Latency latency) {

    /**
     * {@code events} texts produced at once to {@code text-events}.
     *
     * @param events texts produced
     * @param pipelineSeconds first produced .. last labeled event at a read_committed consumer
     * @param sinkRows the run's rows in {@code moderation_events} at the end
     * @param sinkSeconds first row visible .. last row visible
     * @param lagMs last labeled event .. last row visible (the sink's lag behind the pipeline)
     */
    record Throughput(int events, double pipelineSeconds, int sinkRows, double sinkSeconds, double lagMs) {
        /**
         * A sink bound by the pipeline writes at the pipeline's rate, give or take the polls' resolution
         * (50 ms against tens of seconds); one that falls behind writes measurably slower, and its lag grows
         * with the events.
         */
        static final double KEEPS_UP_RATIO = 0.95;

        @JsonProperty
        public double pipelineEventsPerSecond() {
            return pipelineSeconds > 0 ? events / pipelineSeconds : 0;
        }

        @JsonProperty
        public double sinkRowsPerSecond() {
            return sinkSeconds > 0 ? sinkRows / sinkSeconds : 0;
        }

        /** The sink's rate over the pipeline's. */
        @JsonProperty
        public double sinkVsPipeline() {
            double pipeline = pipelineEventsPerSecond();
            return pipeline > 0 ? sinkRowsPerSecond() / pipeline : 0;
        }

        /** Whether the sink wrote every row, at least {@link #KEEPS_UP_RATIO} of the pipeline's rate. */
        @JsonProperty
        public boolean sinkKeepsUp() {
            return sinkRows >= events && sinkVsPipeline() >= KEEPS_UP_RATIO;
        }
    }

    /**
     * {@code comments} rows inserted into {@code comments} at {@code rate}, each timed from its {@code
     * created_at} to the first poll (every {@code pollMs}) that saw its {@code comments:<id>} row in {@code
     * moderation_events}, both on PostgreSQL's clock, and split into stages at when its text event reached a
     * read_committed consumer of {@code text-events} and at the row's {@code labeled_at} (clocks of the same
     * machine).
     *
     * @param endToEnd created_at .. row visible
     * @param source created_at .. on text-events: the comments source's capture
     * @param pipeline on text-events .. labeled_at: the labeling worker
     * @param sink labeled_at .. row visible: the worker's transaction commit, the sink's fetch and write
     */
    record Latency(
            int comments, double rate, double pollMs, Spread endToEnd, Spread source, Spread pipeline, Spread sink) {}

    /** p50, p99 and max of a set of latencies. */
    record Spread(double p50Ms, double p99Ms, double maxMs) {
        /** The nearest-rank percentiles of {@code millis} (any order; left as given). */
        static Spread of(double[] millis) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return new Spread(
                    DemoTraffic.percentile(sorted, 50),
                    DemoTraffic.percentile(sorted, 99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        }
    }
}
