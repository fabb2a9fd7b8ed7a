package io.streamguard.launcher.client;

import io.streamguard.launcher.cli.LauncherException;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Waiting for a Kafka Streams client (a worker) to start processing: RUNNING, or a one-line failure
 * as soon as it can no longer get there (ERROR, NOT_RUNNING) or the time is up.
 */
public final class StreamsRunning {
    /** State changes take tens of milliseconds at least; checking more often buys nothing. */
    private static final long CHECK_MS = 50;

    private StreamsRunning() {}

    /**
     * Returns once {@code state} reads RUNNING.
     *
     * @param what the client as the messages name it, e.g. "the worker"
     * @throws LauncherException "{@code what} stopped while starting" or "did not reach RUNNING within
     *     ..." with the last state, or when interrupted
     */
    public static void await(String what, Supplier<KafkaStreams.State> state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (KafkaStreams.State s = state.get(); s != KafkaStreams.State.RUNNING; s = state.get()) {
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING) {
                throw new LauncherException(what + " stopped while starting (state " + s + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new LauncherException(what
                        + " did not reach RUNNING within "
                        + timeout.toSeconds()
                        + " s (state "
                        + s
                        + "; is the broker reachable?)");
            }
            try {
                Thread.sleep(CHECK_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("interrupted while " + what + " started");
            }
        }
    }
}
