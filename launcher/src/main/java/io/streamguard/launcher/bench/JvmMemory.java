package io.streamguard.launcher.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another JVM's memory seen from outside: heap in use right after a full GC ({@code jcmd <pid> GC.run},
 * then {@code GC.heap_info}), so what is left is live data, not garbage waiting for a collection; and its
 * resident set size ({@code VmRSS} of {@code /proc/<pid>/status}), which also holds the native memory
 * TensorFlow and RocksDB allocate outside the heap.
 *
 * @param heapUsedKb heap in use after the GC, in KiB
 * @param rssKb resident set size, in KiB
 */
record JvmMemory(long heapUsedKb, long rssKb) {
    /** A heap line of {@code GC.heap_info}: G1's one, or each generation of the serial and parallel collectors. */
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final long JCMD_TIMEOUT_SECONDS = 60;

    /** Collects {@code pid}'s garbage, then measures it. */
    static JvmMemory of(long pid) {
        jcmd(pid, "GC.run");
        long heap = heapUsedKb(jcmd(pid, "GC.heap_info"), pid);
        String status;
        try {
            status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        } catch (IOException e) {
            throw new BenchmarkException("cannot read /proc/" + pid + "/status: " + e.getMessage(), e);
        }
        return new JvmMemory(heap, first(VM_RSS, status, "VmRSS of " + pid));
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                    .redirectErrorStream(true)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new BenchmarkException(
                        "jcmd " + pid + " " + command + " failed: " + new String(out, StandardCharsets.UTF_8).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BenchmarkException("cannot run " + jcmd + " (a JDK is needed): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("interrupted while running jcmd " + command);
        }
    }

    /**
     * Heap in use in {@code GC.heap_info}'s output: the sum over its heap lines (G1 has one; the serial and
     * parallel collectors one per generation), leaving out Metaspace, which is not heap.
     */
    static long heapUsedKb(String heapInfo, long pid) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        long used = 0;
        boolean found = false;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new BenchmarkException("no heap used in GC.heap_info of " + pid + ": " + heapInfo.strip());
        }
        return used;
    }

    private static long first(Pattern pattern, String text, String what) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new BenchmarkException("no " + what + " in: " + text.strip());
        }
        return Long.parseLong(m.group(1));
    }
}
