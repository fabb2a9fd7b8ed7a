package io.streamguard.console.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * Reads the console's queues from moderation_events, highest priority first, a keyset page at a time.
 *
 * <p><b>Priority</b>, computed in SQL per row: {@code max over labels l with a review threshold of
 * (score_l - review_l) + waited_hours * waitWeight}, where a missing score counts as 0, the max is 0
 * when no threshold is given, and {@code waited_hours = (asOf - coalesce(labeled_at, event_time)) /
 * 3600 s}, never below 0. So an item far past a threshold comes first, and every 10 hours of waiting
 * (at the default weight 0.1) is worth as much as being one whole score unit past it: nothing waits
 * forever behind a stream of fresh, slightly-worse items. Ties go to the greater id.
 *
 * <p><b>Pagination</b> is keyset on (priority, id), never OFFSET: a page's {@link Cursor} carries the
 * last (priority, id) and the {@code asOf} instant the first page computed waiting time at, and the next
 * page asks for rows strictly below it under the same {@code asOf}. The order of the rows that were
 * there is then fixed, so paging returns each of them once while new rows arrive (new rows appear in
 * the page their priority puts them in, or in none if that was already read). A row the sink rewrites
 * with other scores moves, like any re-moderated item.
 *
 * <p>Priority is a function of the clock, so it cannot be indexed: a page sorts the rows its filters
 * (indexed on decision and labeled_at, see {@link ConsoleSchema}) leave, which is cheap for a review
 * backlog of 10^5 rows (the module's benchmark measures it).
 */
public final class Queues {
    private final DataSource db;
    private final Clock clock;
    private final AtomicBoolean indexed = new AtomicBoolean();

    public Queues(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Queues(DataSource db) {
        this(db, Clock.systemUTC());
    }

    /** The labels moderation_events has a score column for, sorted; empty before the sink's first row. */
    public List<String> labels() {
        try (Connection c = db.getConnection()) {
            return List.copyOf(EventTables.discover(c).labelColumns().keySet());
        } catch (SQLException e) {
            throw new ConsoleException("could not read the label columns: " + e.getMessage(), e);
        }
    }

    /** The next page of {@code query}'s queue. */
    public QueuePage page(QueueQuery query) {
        return page(query, Optional.empty());
    }

    /**
     * As {@link #page(QueueQuery)}, leaving out items that another moderator than {@code claimant} holds
     * an unexpired claim on ({@link Claims#nextUnclaimed}).
     */
    QueuePage page(QueueQuery query, Optional<String> claimant) {
        try (Connection c = db.getConnection()) {
            EventTables tables = tables(c);
            if (!tables.eventsExist()) {
                return new QueuePage(List.of(), Optional.empty());
            }
            Instant asOf = query.cursor().map(Cursor::asOf).orElseGet(clock::instant);
            Statement sql = select(tables, query, asOf, claimant);
            List<QueueItem> items = new ArrayList<>();
            try (PreparedStatement ps = sql.prepare(c);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(item(rs, tables));
                }
            }
            Optional<Cursor> next = Optional.empty();
            if (items.size() == query.limit()) {
                QueueItem last = items.get(items.size() - 1);
                next = Optional.of(new Cursor(asOf, last.priority(), last.id()));
            }
            return new QueuePage(items, next);
        } catch (SQLException e) {
            throw new ConsoleException("could not read the " + query.queue() + " queue: " + e.getMessage(), e);
        }
    }

    /** Items in each queue, and the age of the oldest pending one; all zero before the sink's first row. */
    public QueueCounts counts() {
        Map<Queue, Long> counts = new EnumMap<>(Queue.class);
        for (Queue q : Queue.values()) {
            counts.put(q, 0L);
        }
        try (Connection c = db.getConnection()) {
            EventTables tables = tables(c);
            if (!tables.eventsExist()) {
                return new QueueCounts(counts, Optional.empty());
            }
            // "Has a verdict" once per row, not once per queue: the inner select computes it, and OFFSET 0
            // keeps the planner from inlining it back into each FILTER (5 lookups a row, 3x the time at 100k).
            String judged = "e.judged";
            StringBuilder sql = new StringBuilder("SELECT ");
            for (Queue q : Queue.values()) {
                sql.append("count(*) FILTER (WHERE ")
                        .append(q.predicate(judged))
                        .append("), ");
            }
            sql.append("min(coalesce(e.labeled_at, e.event_time)) FILTER (WHERE ")
                    .append(Queue.PENDING.predicate(judged))
                    .append(") FROM (SELECT e.decision, e.labeled_at, e.event_time, ")
                    .append(hasVerdict(tables))
                    .append(" AS judged FROM ")
                    .append(EventTables.EVENTS)
                    .append(" e OFFSET 0) e");
            try (PreparedStatement ps = c.prepareStatement(sql.toString());
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                int i = 1;
                for (Queue q : Queue.values()) {
                    counts.put(q, rs.getLong(i++));
                }
                Instant oldest = instant(rs, i, tables);
                Optional<Duration> age = Optional.ofNullable(oldest).map(o -> {
                    Duration d = Duration.between(o, clock.instant());
                    return d.isNegative() ? Duration.ZERO : d;
                });
                return new QueueCounts(counts, age);
            }
        } catch (SQLException e) {
            throw new ConsoleException("could not count the queues: " + e.getMessage(), e);
        }
    }

    /** {@code EXPLAIN (ANALYZE, BUFFERS)} of the page query, for the benchmark. */
    List<String> explain(QueueQuery query) {
        try (Connection c = db.getConnection()) {
            EventTables tables = tables(c);
            Instant asOf = query.cursor().map(Cursor::asOf).orElseGet(clock::instant);
            Statement sql = select(tables, query, asOf, Optional.empty());
            Statement explain = new Statement("EXPLAIN (ANALYZE, BUFFERS) " + sql.text, sql.params);
            List<String> lines = new ArrayList<>();
            try (PreparedStatement ps = explain.prepare(c);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            return lines;
        } catch (SQLException e) {
            throw new ConsoleException("could not explain the queue query: " + e.getMessage(), e);
        }
    }

    private EventTables tables(Connection c) throws SQLException {
        EventTables tables = EventTables.discover(c);
        if (tables.eventsExist() && !indexed.get()) {
            ConsoleSchema.ensureQueueIndexes(c);
            indexed.set(true);
        }
        return tables;
    }

    /**
     * An item has a verdict once its row is in moderation_verdicts, or as soon as the console has sent one
     * (its {@link Audit#VERDICT} row): the sink's row lags the send, and until it lands the item must
     * neither stay pending nor be offered to the next moderator. Both are index lookups.
     */
    private static String hasVerdict(EventTables tables) {
        String sent =
                "EXISTS (SELECT 1 FROM console_audit a WHERE a.event_id = e.id AND a.action = '" + Audit.VERDICT + "')";
        return tables.verdictsExist()
                ? "(EXISTS (SELECT 1 FROM " + EventTables.VERDICTS + " v WHERE v.event_id = e.id) OR " + sent + ")"
                : sent;
    }

    private static Statement select(EventTables tables, QueueQuery q, Instant asOf, Optional<String> claimant) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM (SELECT e.id, e.text, e.decision, e.triggered_labels,"
                + " e.model_version, e.language, e.source, e.labeled_at, " + tables.encoderColumns());
        for (String label : tables.labelColumns().keySet()) {
            sql.append(", ").append(tables.scoreColumn(label));
        }
        // priority: see the class javadoc
        sql.append(", ");
        Map<String, Double> thresholds = new LinkedHashMap<>();
        q.reviewThresholds().entrySet().stream()
                .filter(t -> tables.labelColumns().containsKey(t.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(t -> thresholds.put(t.getKey(), t.getValue()));
        if (thresholds.isEmpty()) {
            sql.append("0.0::float8");
        } else {
            sql.append("GREATEST(");
            String sep = "";
            for (Map.Entry<String, Double> t : thresholds.entrySet()) {
                sql.append(sep)
                        .append("coalesce(")
                        .append(tables.scoreColumn(t.getKey()))
                        .append(", 0)::float8 - ?::float8");
                params.add(t.getValue());
                sep = ", ";
            }
            sql.append(")");
        }
        double asOfSeconds = asOf.getEpochSecond() + asOf.getNano() / 1e9;
        sql.append(" + GREATEST(0.0::float8, ?::float8 - coalesce(extract(epoch FROM coalesce(e.labeled_at,"
                + " e.event_time))::float8, ?::float8)) / 3600.0::float8 * ?::float8 AS priority");
        params.add(asOfSeconds);
        params.add(asOfSeconds);
        params.add(q.waitWeight());
        sql.append(" FROM ").append(EventTables.EVENTS).append(" e WHERE ");
        sql.append(q.queue().predicate(hasVerdict(tables)));
        if (q.label().isPresent()) {
            String label = q.label().get();
            String column = tables.scoreColumn(label);
            sql.append(" AND (?::text = ANY (string_to_array(e.triggered_labels, ',')) OR ");
            params.add(label);
            Double review = q.reviewThresholds().get(label);
            if (review == null) {
                sql.append(column).append(" > 0)");
            } else {
                sql.append(column).append(" >= ?::float8)");
                params.add(review);
            }
        }
        equal(sql, params, "e.decision", q.decision());
        modelVersion(sql, params, tables, q.modelVersion());
        equal(sql, params, "e.language", q.language());
        equal(sql, params, "e.source", q.source());
        if (q.maxAge().isPresent()) {
            Instant since = asOf.minus(q.maxAge().get());
            sql.append(" AND e.labeled_at >= ?");
            params.add(
                    tables.labeledAtHasZone()
                            ? OffsetDateTime.ofInstant(since, ZoneOffset.UTC)
                            : LocalDateTime.ofInstant(since, ZoneOffset.UTC));
        }
        claimant.ifPresent(moderator -> {
            sql.append(" AND NOT EXISTS (SELECT 1 FROM console_claims c WHERE c.event_id = e.id"
                    + " AND c.expires_at > now() AND c.moderator <> ?)");
            params.add(moderator);
        });
        sql.append(") q");
        if (q.cursor().isPresent()) {
            sql.append(" WHERE (q.priority, q.id) < (?::float8, ?::text)");
            params.add(q.cursor().get().priority());
            params.add(q.cursor().get().id());
        }
        sql.append(" ORDER BY q.priority DESC, q.id DESC LIMIT ?");
        params.add(q.limit());
        return new Statement(sql.toString(), params);
    }

    /** {@code v1}: that version of any encoder; {@code <encoder>/<version>}: of that encoder only. */
    private static void modelVersion(
            StringBuilder sql, List<Object> params, EventTables tables, Optional<String> value) {
        if (value.isEmpty() || value.get().indexOf('/') < 0) {
            equal(sql, params, "e.model_version", value);
            return;
        }
        String encoder = value.get().substring(0, value.get().indexOf('/'));
        String version = value.get().substring(value.get().indexOf('/') + 1);
        equal(sql, params, "e.model_version", Optional.of(version));
        if (tables.hasEncoderName()) {
            equal(sql, params, "e.encoder_name", Optional.of(encoder));
        } else {
            sql.append(" AND FALSE"); // no row names its encoder yet
        }
    }

    private static void equal(StringBuilder sql, List<Object> params, String column, Optional<String> value) {
        value.ifPresent(v -> {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(v);
        });
    }

    private static QueueItem item(ResultSet rs, EventTables tables) throws SQLException {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (Map.Entry<String, String> label : tables.labelColumns().entrySet()) {
            double score = rs.getDouble(label.getValue());
            if (!rs.wasNull()) {
                scores.put(label.getKey(), score);
            }
        }
        String triggered = rs.getString("triggered_labels");
        List<String> labels =
                triggered == null || triggered.isEmpty() ? List.of() : Arrays.asList(triggered.split(","));
        return new QueueItem(
                rs.getString("id"),
                rs.getString("text"),
                rs.getString("decision"),
                scores,
                labels,
                rs.getString("model_version"),
                rs.getString("language"),
                rs.getString("source"),
                instant(rs, rs.findColumn("labeled_at"), tables),
                rs.getDouble("priority"),
                Optional.ofNullable(rs.getString("encoder_name")),
                Optional.ofNullable(rs.getString("unscored_reason")));
    }

    private static Instant instant(ResultSet rs, int column, EventTables tables) throws SQLException {
        if (tables.labeledAtHasZone()) {
            OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
            return t == null ? null : t.toInstant();
        }
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    /** SQL text and its parameters, bound in order. */
    private record Statement(String text, List<Object> params) {
        PreparedStatement prepare(Connection c) throws SQLException {
            PreparedStatement ps = c.prepareStatement(text);
            try {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
            } catch (SQLException | RuntimeException e) {
                ps.close();
                throw e;
            }
            return ps;
        }
    }
}
