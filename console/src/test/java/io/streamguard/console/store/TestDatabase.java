package io.streamguard.console.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A real PostgreSQL 17 (zonky) with moderation_events and moderation_verdicts as the Debezium JDBC sinks
 * create them from connectors/config (their column set and types: text, float8 scores, timestamp
 * without time zone in UTC, bigint timings), three labels: offensive, hate, spam.
 */
public final class TestDatabase implements AutoCloseable {
    public static final List<String> LABELS = List.of("offensive", "hate", "spam");

    static final String EVENTS_DDL = "CREATE TABLE moderation_events (id text PRIMARY KEY, text text, decision text,"
            + " score_offensive float8, score_hate float8, score_spam float8, sentiment_label text,"
            + " sentiment_score float8, triggered_labels text, model_version text, policy_version text,"
            + " language text, source text, author text, event_time timestamp, labeled_at timestamp,"
            + " queue_wait_ms bigint, tokenize_ms bigint, model_ms bigint, end_to_end_ms bigint, batch_size int,"
            + " worker_id text, truncated boolean)";
    static final String VERDICTS_DDL = "CREATE TABLE moderation_verdicts (event_id text, moderator text,"
            + " judged_at timestamp, verdict_offensive boolean, verdict_hate boolean, verdict_spam boolean,"
            + " text text, note text, PRIMARY KEY (event_id, moderator))";

    private final EmbeddedPostgres pg;
    public final DataSource db;

    private TestDatabase(EmbeddedPostgres pg) {
        this.pg = pg;
        this.db = pg.getPostgresDatabase();
    }

    public static TestDatabase start() throws IOException {
        return new TestDatabase(EmbeddedPostgres.builder().start());
    }

    /** Drops everything, then creates the connector tables (if asked) and the console's. */
    public void reset(boolean connectorTables) throws SQLException {
        execute("DROP TABLE IF EXISTS moderation_events, moderation_verdicts, moderation_scorings, console_users,"
                + " console_claims, console_audit");
        if (connectorTables) {
            createConnectorTables();
        }
        new ConsoleSchema(db).install();
    }

    void createConnectorTables() throws SQLException {
        execute(EVENTS_DDL);
        execute(VERDICTS_DDL);
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public long count(String sql) throws SQLException {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A row as the events sink writes it. */
    public record Event(
            String id,
            String decision,
            Map<String, Double> scores,
            String triggered,
            String modelVersion,
            String language,
            String source,
            Instant labeledAt) {
        public static Event review(String id, Map<String, Double> scores, Instant labeledAt) {
            return new Event(id, "REVIEW", scores, "", "v1", "en", "comments", labeledAt);
        }

        public Event decision(String value) {
            return new Event(id, value, scores, triggered, modelVersion, language, source, labeledAt);
        }

        public Event triggered(String value) {
            return new Event(id, decision, scores, value, modelVersion, language, source, labeledAt);
        }

        public Event modelVersion(String value) {
            return new Event(id, decision, scores, triggered, value, language, source, labeledAt);
        }

        public Event language(String value) {
            return new Event(id, decision, scores, triggered, modelVersion, value, source, labeledAt);
        }

        public Event source(String value) {
            return new Event(id, decision, scores, triggered, modelVersion, language, value, labeledAt);
        }
    }

    public void insert(Event... events) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO moderation_events (id, text, decision,"
                        + " score_offensive, score_hate, score_spam, triggered_labels, model_version, policy_version,"
                        + " language, source, author, event_time, labeled_at, end_to_end_ms, worker_id, truncated)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'p1', ?, ?, 'someone', ?, ?, 12, 'w1', false)")) {
            for (Event e : events) {
                ps.setString(1, e.id());
                ps.setString(2, "text of " + e.id());
                ps.setString(3, e.decision());
                for (int i = 0; i < LABELS.size(); i++) {
                    ps.setObject(4 + i, e.scores().get(LABELS.get(i)));
                }
                ps.setString(7, e.triggered());
                ps.setString(8, e.modelVersion());
                ps.setString(9, e.language());
                ps.setString(10, e.source());
                LocalDateTime at = LocalDateTime.ofInstant(e.labeledAt(), ZoneOffset.UTC);
                ps.setObject(11, at.minusSeconds(1));
                ps.setObject(12, at);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void verdict(String eventId, String moderator) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO moderation_verdicts (event_id, moderator,"
                        + " judged_at, verdict_offensive) VALUES (?, ?, now() AT TIME ZONE 'UTC', true)")) {
            ps.setString(1, eventId);
            ps.setString(2, moderator);
            ps.executeUpdate();
        }
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
