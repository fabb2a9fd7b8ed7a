package io.streamguard.topology;

import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;

/**
 * The clock engine calls are timed with, and the time each stream thread has spent in them. A stream
 * thread runs several tasks, each with its own inference processor, and only the thread is busy or
 * not: while one task's batch is in the engine, nothing is polled for any of them. So the account is
 * per thread, shared by every processor that uses this clock.
 *
 * <p>Production uses {@link #SYSTEM}; tests give the scorer a manual {@link Time} and advance it where a
 * real engine would take time, instead of sleeping.
 */
public final class EngineClock {

    /** The real clock, one account per thread for the whole process. */
    public static final EngineClock SYSTEM = new EngineClock(Time.SYSTEM);

    private final Time time;
    private final ThreadLocal<long[]> engineNanos = ThreadLocal.withInitial(() -> new long[1]);

    public EngineClock(Time time) {
        this.time = time;
    }

    public Time time() {
        return time;
    }

    long nanoseconds() {
        return time.nanoseconds();
    }

    /** Nanoseconds the current thread has spent in {@link #timed} calls; only differences mean anything. */
    long engineNanos() {
        return engineNanos.get()[0];
    }

    /** Runs one engine call, counting its time (also when it fails) as the current thread's engine time. */
    <T> T timed(Supplier<T> call) {
        long t0 = time.nanoseconds();
        try {
            return call.get();
        } finally {
            engineNanos.get()[0] += time.nanoseconds() - t0;
        }
    }
}
