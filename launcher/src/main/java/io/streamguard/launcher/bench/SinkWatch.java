package io.streamguard.launcher.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * When the sink's rows become visible in {@code moderation_events}, seen from a JDBC connection and a
 * thread of its own (so producing or inserting is never held up by the polling): the table as any reader
 * of it sees it, committed rows only. The rows of one run are those whose {@code id} starts with its
 * prefix. A run whose rows stop growing for {@link #IDLE_LIMIT} has stalled. Closing the watch stops it.
 *
 * @param <T> what it finds
 */
final class SinkWatch<T> implements AutoCloseable {
    static final Duration IDLE_LIMIT = Duration.ofSeconds(90);
    private static final String TABLE = "moderation_events";
    /** PostgreSQL's undefined_table: the sink creates the table with its first row. */
    private static final String UNDEFINED_TABLE = "42P01";

    /**
     * When a run's rows showed, on this machine's clock.
     *
     * @param rows rows counted at the end
     * @param firstMs the first poll that counted any (epoch ms)
     * @param lastMs the first poll that counted them all (epoch ms)
     */
    record RowTimes(int rows, long firstMs, long lastMs) {}

    /** One poll: what it found once done, else null to poll again. */
    private interface Poll<T> {
        T poll(ResultSet rows) throws SQLException;
    }

    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final Thread thread;

    private SinkWatch(String jdbcUrl, String sql, String idPrefix, Duration every, Poll<T> poll, IntSupplier rowsSeen) {
        this.thread =
                new Thread(() -> watch(jdbcUrl, sql, idPrefix, every, poll, rowsSeen), "streamguard-bench-sink-watch");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Counts the rows with {@code idPrefix} every {@code every} until there are {@code expected}: when the
     * first and the last showed.
     */
    static SinkWatch<RowTimes> count(String jdbcUrl, String idPrefix, int expected, Duration every) {
        long[] first = {0};
        int[] count = {0};
        return new SinkWatch<>(
                jdbcUrl,
                "SELECT count(*) FROM " + TABLE + " WHERE id LIKE ?",
                idPrefix,
                every,
                rows -> {
                    count[0] = rows.next() ? rows.getInt(1) : 0;
                    long now = System.currentTimeMillis();
                    if (count[0] > 0 && first[0] == 0) {
                        first[0] = now;
                    }
                    return count[0] >= expected ? new RowTimes(count[0], first[0], now) : null;
                },
                () -> count[0]);
    }

    /**
     * Lists the ids with {@code idPrefix} every {@code every} until it has seen {@code expected}: each id with
     * the database's clock ({@code clock_timestamp()}) of the first poll that saw it.
     */
    static SinkWatch<Map<String, Instant>> firstSeen(String jdbcUrl, String idPrefix, int expected, Duration every) {
        Map<String, Instant> seen = new HashMap<>();
        return new SinkWatch<>(
                jdbcUrl,
                "SELECT id, clock_timestamp() FROM " + TABLE + " WHERE id LIKE ?",
                idPrefix,
                every,
                rows -> {
                    while (rows.next()) {
                        seen.putIfAbsent(
                                rows.getString(1),
                                rows.getObject(2, OffsetDateTime.class).toInstant());
                    }
                    return seen.size() >= expected ? Map.copyOf(seen) : null;
                },
                seen::size);
    }

    private void watch(
            String jdbcUrl, String sql, String idPrefix, Duration every, Poll<T> poll, IntSupplier rowsSeen) {
        try (Connection db = DriverManager.getConnection(jdbcUrl);
                PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, like(idPrefix));
            long progressed = System.nanoTime();
            int before = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try (ResultSet rows = query.executeQuery()) {
                    T found = poll.poll(rows);
                    if (found != null) {
                        result.complete(found);
                        return;
                    }
                } catch (SQLException e) {
                    if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                        throw e;
                    }
                }
                int now = rowsSeen.getAsInt();
                if (now > before) {
                    before = now;
                    progressed = System.nanoTime();
                } else if (System.nanoTime() - progressed > IDLE_LIMIT.toNanos()) {
                    throw new BenchmarkException("the moderation-events sink stalled: " + now + " rows " + idPrefix
                            + "* in " + TABLE + ", none new for " + IDLE_LIMIT.toSeconds()
                            + " s (see the Connect worker's log and connect-sink-dlq)");
                }
                LockSupport.parkNanos(every.toNanos());
            }
            result.cancel(false);
        } catch (SQLException | RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** What it found; waits at most a few idle limits. */
    T await() {
        try {
            return result.get(IDLE_LIMIT.toSeconds() * 20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BenchmarkException be) {
                throw be;
            }
            throw new BenchmarkException("watching " + TABLE + " failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new BenchmarkException("watching " + TABLE + " took too long", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("interrupted while watching " + TABLE, e);
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }

    private static String like(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
