package io.streamguard.topology;

/**
 * When the pending micro-batch of one task closes by time. Closing by size or token budget is
 * {@link BatchBuffer}'s; this is the wait.
 *
 * <p>A batch closes once its oldest text has waited {@code maxWait} <em>while its stream thread could
 * gather more</em>: time the thread spends in the engine (for this task or another, see
 * {@link EngineClock}) does not count, since no record is polled meanwhile. Otherwise, under a backlog,
 * every size-closed batch would be followed by a small one: the rest of the same poll, aged by the
 * engine calls of the thread's other tasks, would be "late" before the next poll could fill it.
 *
 * <p><b>Backlogs.</b> When the task reads a backlog (its newest text was already more than
 * {@code maxWait} old when it arrived) and texts keep arriving, the wait is stretched up to
 * {@value #BACKLOG_WAIT_FACTOR} x {@code maxWait}: Kafka Streams hands a task its polled records a slice
 * at a time, so a batch closed at {@code maxWait} would run half full although more texts sit right
 * behind it, and those texts' latency is lost already. A full batch is cheaper per text.
 */
final class BatchClock {

    /** How far a backlog may stretch the wait, in multiples of {@code maxWait}. */
    static final int BACKLOG_WAIT_FACTOR = 5;

    private final long maxWait;
    private final EngineClock engine;

    private long oldestQueuedAt;
    /** The thread's engine time when the oldest text was queued. */
    private long engineNanosAtOldest;
    /** Whether a text arrived since the last tick, and whether the newest was late on arrival. */
    private boolean arrivedSinceTick;

    private boolean newestWasLate;
    /** The last cached time Kafka Streams gave, and the thread's engine time when it was first seen. */
    private long cachedTime = Long.MIN_VALUE;

    private long engineNanosAtCachedTime;

    BatchClock(BatchSettings settings, EngineClock engine) {
        this.maxWait = settings.maxWait().toMillis();
        this.engine = engine;
    }

    /**
     * The wall clock, from Kafka Streams' cached time. Kafka Streams gives a task one cached time for a
     * whole slice of records, taken before the slice; a batch closed by size inside the slice holds the
     * thread in the engine, and the slice's later records would look that much older than they are (and
     * close the next batch at once, small). So the engine time since that cached value was first seen is
     * added back: a lower bound of the real time, exact when the engine is what delayed the slice.
     */
    long now(long cached) {
        long spent = engine.engineNanos();
        if (cached != cachedTime) {
            cachedTime = cached;
            engineNanosAtCachedTime = spent;
        }
        return cached + (spent - engineNanosAtCachedTime) / 1_000_000;
    }

    /** A text with record timestamp {@code timestamp} arrived at {@code now}. */
    void arrived(long now, long timestamp) {
        arrivedSinceTick = true;
        newestWasLate = now - timestamp > maxWait;
    }

    /** The first text of a new batch was queued at {@code queuedAt} (also one restored after a crash). */
    void started(long queuedAt) {
        oldestQueuedAt = queuedAt;
        engineNanosAtOldest = engine.engineNanos();
    }

    /** At a punctuation: whether a batch of {@code pending} texts, started as told, is due at {@code now}. */
    boolean due(long now, int pending) {
        boolean arriving = arrivedSinceTick;
        arrivedSinceTick = false;
        if (pending == 0) {
            return false;
        }
        long engineMillis = (engine.engineNanos() - engineNanosAtOldest) / 1_000_000;
        long gathering = now - oldestQueuedAt - engineMillis;
        boolean backlog = arriving && newestWasLate;
        return gathering >= (backlog ? BACKLOG_WAIT_FACTOR * maxWait : maxWait);
    }
}
