package io.streamguard.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.tensorflow.TensorFlow;

/**
 * Where and with what a benchmark ran, printed beside its numbers: they mean little without it.
 *
 * @param cpu the CPU model ({@code model name} in {@code /proc/cpuinfo}, else the architecture)
 * @param cores processors this JVM may use
 * @param tensorflow the native TensorFlow version
 * @param java the Java runtime version
 * @param date the day it ran (ISO-8601)
 */
record Machine(String cpu, int cores, String tensorflow, String java, String date) {

    /** This machine, now. */
    public static Machine current() {
        return new Machine(
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                TensorFlow.version(),
                System.getProperty("java.version"),
                LocalDate.now().toString());
    }

    /** One line: {@code AMD EPYC, 2 cores, TensorFlow 2.18.0, Java 17.0.18, 2026-11-23}. */
    public String describe() {
        return cpu + ", " + cores + " cores, TensorFlow " + tensorflow + ", Java " + java + ", " + date;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture is the best we know
        }
        return System.getProperty("os.arch");
    }
}
