package io.streamguard.launcher.bench;

import io.streamguard.avro.LabeledEvent;
import java.util.List;
import java.util.Map;

/**
 * What {@code bench repeats} measured: per run, throughput, latency and the cache's hits; the speed-up of the
 * cache on the repeating stream; and how the two runs of that stream agree, event by event.
 *
 * @param repeats events of the repeating stream that copy an earlier one
 * @param speedup events/s with the cache over events/s without, on the same repeating stream
 * @param distinctRatio the same on distinct texts: what the cache costs when nothing repeats
 */
record RepeatReport(
        Machine machine,
        String encoderId,
        String modelVersion,
        String precision,
        int events,
        double share,
        int repeats,
        List<Run> runs,
        double speedup,
        double distinctRatio,
        Agreement agreement) {

    /**
     * One run. {@code labeled} counts labeled events read, {@code ids} distinct ids among them, {@code duplicates}
     * ids read more than once (exactly-once: {@code ids == labeled == events}, no duplicates).
     */
    record Run(
            String name,
            int cacheEntries,
            int distinctTexts,
            int labeled,
            int ids,
            int duplicates,
            double seconds,
            double eventsPerSecond,
            double p50Ms,
            double p99Ms,
            long hits,
            long misses) {

        /** Hits over texts the cache was asked about; 0 without a cache. */
        public double hitRate() {
            return hits + misses == 0 ? 0 : (double) hits / (hits + misses);
        }
    }

    /**
     * The repeating stream with the cache on against it off, by position in the stream: events decided alike,
     * and the largest difference of any label's score (batches are composed differently in the two runs, and
     * a repeat takes its first copy's scores, so scores may differ in the last digits, more so in bfloat16).
     */
    record Agreement(int compared, int sameDecision, double maxScoreDifference) {

        static Agreement of(Map<Integer, LabeledEvent> off, Map<Integer, LabeledEvent> on) {
            int compared = 0;
            int same = 0;
            double max = 0;
            for (Map.Entry<Integer, LabeledEvent> e : off.entrySet()) {
                LabeledEvent other = on.get(e.getKey());
                if (other == null) {
                    continue;
                }
                compared++;
                if (other.getDecision() == e.getValue().getDecision()) {
                    same++;
                }
                for (Map.Entry<String, Double> score : e.getValue().getScores().entrySet()) {
                    Double theirs = other.getScores().get(score.getKey());
                    if (theirs != null) {
                        max = Math.max(max, Math.abs(theirs - score.getValue()));
                    }
                }
            }
            return new Agreement(compared, same, max);
        }
    }
}
