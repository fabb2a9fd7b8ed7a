package io.streamguard.launcher.traffic;

import java.util.concurrent.TimeUnit;

/**
 * The schedule of a producer that offers a steady rate: the n-th send is due at start + n / rate, so a
 * slow send does not lower the offered rate (the next ones are due at once until the schedule is met).
 * One per producing thread.
 */
public final class FixedRate {
    private final long intervalNanos;
    private long next = System.nanoTime();

    /** @param perSecond sends per second, positive */
    public FixedRate(double perSecond) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be positive, was " + perSecond);
        }
        this.intervalNanos = (long) (1e9 / perSecond);
    }

    /**
     * Sleeps until the next send is due.
     *
     * @return false if interrupted (the interrupt flag is set again): stop producing
     */
    public boolean awaitNext() {
        long wait = next - System.nanoTime();
        next += intervalNanos;
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
