package io.streamguard.launcher.bench;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * When each labeled event arrived and how old its text was then, in arrival order: the raw material of
 * recovery times. Not thread-safe ({@link ChaosLedger} guards it).
 */
final class Arrivals {
    private long[] arrivedMs = new long[1 << 16];
    private long[] latencyMs = new long[1 << 16];
    private int size;

    /** One labeled event, arrived at {@code arrivedMs} (not before the previous one) {@code latencyMs} old. */
    void add(long arrivedMs, long latencyMs) {
        if (size == this.arrivedMs.length) {
            this.arrivedMs = Arrays.copyOf(this.arrivedMs, size * 2);
            this.latencyMs = Arrays.copyOf(this.latencyMs, size * 2);
        }
        this.arrivedMs[size] = arrivedMs;
        this.latencyMs[size] = Math.max(0, latencyMs);
        size++;
    }

    /** Latencies (ms) of the events that arrived in {@code [fromMs, toMs)}, sorted. */
    long[] latencies(long fromMs, long toMs) {
        long[] out = new long[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (arrivedMs[i] >= fromMs && arrivedMs[i] < toMs) {
                out[n++] = latencyMs[i];
            }
        }
        long[] sorted = Arrays.copyOf(out, n);
        Arrays.sort(sorted);
        return sorted;
    }

    /**
     * The first arrival at or after {@code fromMs} from which on, for {@code windowMs}, no event was older than
     * {@code thresholdMs} (and a later arrival shows the window is over): when the pipeline had caught up.
     * Empty while that has not been seen.
     */
    OptionalLong caughtUpAt(long fromMs, long thresholdMs, long windowMs) {
        int i = 0;
        while (i < size && arrivedMs[i] < fromMs) {
            i++;
        }
        while (i < size) {
            long end = arrivedMs[i] + windowMs;
            if (arrivedMs[size - 1] < end) {
                return OptionalLong.empty(); // the window has not been seen whole yet
            }
            int late = -1;
            for (int j = i; j < size && arrivedMs[j] < end; j++) {
                if (latencyMs[j] > thresholdMs) {
                    late = j;
                    break;
                }
            }
            if (late < 0) {
                return OptionalLong.of(arrivedMs[i]);
            }
            i = late + 1; // no window starting at or before a late event is clean
        }
        return OptionalLong.empty();
    }

    /** The oldest text among the events that arrived in {@code [fromMs, toMs)}, ms; 0 if none arrived. */
    long maxLatency(long fromMs, long toMs) {
        long max = 0;
        for (int i = 0; i < size; i++) {
            if (arrivedMs[i] >= fromMs && arrivedMs[i] < toMs) {
                max = Math.max(max, latencyMs[i]);
            }
        }
        return max;
    }

    /** The longest span (ms) within {@code [fromMs, toMs]} without an arrival, the ends included. */
    long longestSilence(long fromMs, long toMs) {
        long previous = fromMs;
        long longest = 0;
        for (int i = 0; i < size && arrivedMs[i] < toMs; i++) {
            if (arrivedMs[i] >= fromMs) {
                longest = Math.max(longest, arrivedMs[i] - previous);
                previous = arrivedMs[i];
            }
        }
        return Math.max(longest, toMs - previous);
    }
}
