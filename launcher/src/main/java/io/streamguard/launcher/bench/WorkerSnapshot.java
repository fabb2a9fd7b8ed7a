package io.streamguard.launcher.bench;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker's counters at one moment, read from its Micrometer registry: a pipeline run reports what
 * changed between the snapshot before and the one after it.
 *
 * @param batches micro-batches scored
 * @param batchedTexts texts in them
 * @param modelMs engine time
 * @param thread per stream-thread activity: {count, Kafka Streams' windowed average latency in ms}
 */
record WorkerSnapshot(double batches, double batchedTexts, double modelMs, Map<String, double[]> thread) {
    /** The stream thread's activities whose time Kafka Streams measures (count, average ms). */
    static final List<String> ACTIVITIES = List.of("commit", "poll", "punctuate");

    static WorkerSnapshot of(MeterRegistry meters) {
        DistributionSummary size = meters.find("streamguard.batch.size").summary();
        Timer model = meters.find("streamguard.model.time").timer();
        Map<String, double[]> thread = new LinkedHashMap<>();
        for (String activity : ACTIVITIES) {
            thread.put(activity, new double[] {
                threadMetric(meters, activity + ".total"), threadMetric(meters, activity + ".latency.avg")
            });
        }
        return new WorkerSnapshot(
                size == null ? 0 : size.count(),
                size == null ? 0 : size.totalAmount(),
                model == null ? 0 : model.totalTime(TimeUnit.MILLISECONDS),
                thread);
    }

    /**
     * Shares of {@code wallMs} the stream thread spent in the engine and in each activity
     * since {@code before} (count x Kafka Streams' windowed average latency for the activities).
     */
    Map<String, Double> sharesSince(WorkerSnapshot before, double wallMs) {
        Map<String, Double> shares = new LinkedHashMap<>();
        shares.put("model", (modelMs - before.modelMs) / wallMs);
        thread.forEach(
                (activity, now) -> shares.put(activity, (now[0] - before.thread.get(activity)[0]) * now[1] / wallMs));
        return shares;
    }

    /** Sum over stream threads of Kafka Streams' thread-level metric {@code name}. */
    private static double threadMetric(MeterRegistry meters, String name) {
        double sum = 0;
        for (Meter m : meters.find("kafka.stream.thread." + name).meters()) {
            for (var measurement : m.measure()) {
                if (Double.isFinite(measurement.getValue())) {
                    sum += measurement.getValue();
                }
            }
        }
        return sum;
    }
}
