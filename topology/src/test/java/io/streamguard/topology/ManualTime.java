package io.streamguard.topology;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;

/** A clock that moves only when told: {@link #sleep} and {@link #advanceNanos} return at once. */
final class ManualTime implements Time {

    private long nanos = TimeUnit.SECONDS.toNanos(1_000);

    @Override
    public synchronized long milliseconds() {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Override
    public synchronized long nanoseconds() {
        return nanos;
    }

    @Override
    public void sleep(long ms) {
        advanceNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    synchronized void advanceNanos(long delta) {
        nanos += delta;
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
        throw new UnsupportedOperationException("nothing waits on a manual clock");
    }
}
