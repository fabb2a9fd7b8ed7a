package io.streamguard.launcher.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of {@code streamguard bench chaos}: what was lost, duplicated, reordered or wrongly
 * dead-lettered, and per fault how long the pipeline took to catch up.
 *
 * @param command the command line that produced it
 * @param produced good events the broker acknowledged
 * @param labeled distinct good events labeled for a {@code read_committed} consumer
 * @param lost acknowledged good events never labeled
 * @param duplicated labeled events seen more than once
 * @param outOfOrder labeled events that came after a later event of the same key
 * @param goodDeadLettered good events on the dead-letter topic (must be 0)
 * @param badSent bad records (empty texts) acknowledged
 * @param badDeadLettered distinct bad records dead-lettered
 * @param badDeadLetteredTwice bad records dead-lettered more than once
 * @param deadLetterReasons dead letters per reason
 * @param unexpectedExits worker JVMs that exited without being killed or stopped
 * @param evolvedSent events written with the newer schema during the registry outage
 * @param baselineP50Ms end-to-end p50 before the first fault
 * @param baselineP99Ms end-to-end p99 before the first fault
 * @param caughtUpThresholdMs latency under which the pipeline counts as caught up
 * @param faults one row per fault, in order
 * @param versions labeled events per model and policy version
 * @param memory per worker JVM at the end, heap in use after a full GC and resident memory (MiB)
 * @param seconds wall time of the run
 */
record ChaosReport(
        String machine,
        String command,
        long produced,
        long labeled,
        long lost,
        long duplicated,
        long outOfOrder,
        long goodDeadLettered,
        long badSent,
        long badDeadLettered,
        long badDeadLetteredTwice,
        Map<String, Integer> deadLetterReasons,
        int unexpectedExits,
        long evolvedSent,
        long baselineP50Ms,
        long baselineP99Ms,
        long caughtUpThresholdMs,
        List<Fault> faults,
        Map<String, Long> versions,
        Map<String, Long> memory,
        double seconds) {

    /**
     * One fault.
     *
     * @param name what was done
     * @param atSeconds when it began, seconds into the run
     * @param faultSeconds how long the fault lasted (kill to replacement READY, or the outage)
     * @param recoveredSeconds from the fault's end until latency stayed under the threshold for 5 s; -1 if it
     *     never did within the step's patience
     * @param maxLatencyMs the oldest text labeled from the fault's start until recovery
     * @param longestSilenceMs the longest time without any labeled event in that window
     * @param observed what the workers' endpoints answered during the fault (distinct answers)
     */
    record Fault(
            String name,
            double atSeconds,
            double faultSeconds,
            double recoveredSeconds,
            long maxLatencyMs,
            long longestSilenceMs,
            List<String> observed) {}

    boolean passed() {
        return lost == 0
                && duplicated == 0
                && outOfOrder == 0
                && goodDeadLettered == 0
                && badDeadLettered == badSent
                && badDeadLetteredTwice == 0
                && unexpectedExits == 0;
    }

    /** The report as text: the verdict, the counts, then one line per fault. */
    String table() {
        StringBuilder b = new StringBuilder();
        b.append("bench chaos on ").append(machine).append('\n');
        b.append("command: ").append(command).append('\n');
        b.append(String.format(
                Locale.ROOT,
                "%s: produced %d, labeled %d, lost %d, duplicated %d, out of per-key order %d, good dead-lettered"
                        + " %d; bad records %d sent, %d dead-lettered (%d twice); unexpected worker exits %d;"
                        + " %.0f s%n",
                passed() ? "PASS" : "FAIL",
                produced,
                labeled,
                lost,
                duplicated,
                outOfOrder,
                goodDeadLettered,
                badSent,
                badDeadLettered,
                badDeadLetteredTwice,
                unexpectedExits,
                seconds));
        b.append("dead letters by reason: ").append(deadLetterReasons).append('\n');
        b.append("labeled by version: ").append(versions).append('\n');
        b.append(String.format(
                Locale.ROOT,
                "baseline end-to-end p50 %d ms, p99 %d ms; caught up = every event for 5 s labeled within %d ms%n",
                baselineP50Ms,
                baselineP99Ms,
                caughtUpThresholdMs));
        b.append(String.format(
                Locale.ROOT,
                "%-46s %7s %8s %10s %12s %12s%n",
                "fault",
                "at s",
                "lasted s",
                "recover s",
                "max latency",
                "max silence"));
        for (Fault f : faults) {
            b.append(String.format(
                    Locale.ROOT,
                    "%-46s %7.0f %8.1f %10s %9.1f s %9.1f s%n",
                    f.name(),
                    f.atSeconds(),
                    f.faultSeconds(),
                    f.recoveredSeconds() < 0 ? "never" : String.format(Locale.ROOT, "%.1f", f.recoveredSeconds()),
                    f.maxLatencyMs() / 1000.0,
                    f.longestSilenceMs() / 1000.0));
            for (String o : f.observed()) {
                b.append("    ").append(o).append('\n');
            }
        }
        if (evolvedSent > 0) {
            b.append("events written with a newer schema during the registry outage: ")
                    .append(evolvedSent)
                    .append('\n');
        }
        b.append("worker memory at the end, heap after a full GC and RSS (MiB): ")
                .append(memory)
                .append('\n');
        return b.toString();
    }
}
