package io.streamguard.console.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Creates the console's own tables ({@code console.sql}) and the indexes its queues need on the
 * connector's moderation_events, each step idempotent.
 *
 * <p>The JDBC sink creates moderation_events on its first record, which may come after the console
 * starts; so {@link #install()} creates the queue indexes only where the table exists, and {@link Queues}
 * calls {@link #ensureQueueIndexes} again (once per process, on the first query that finds the table).
 */
public final class ConsoleSchema {
    static final String CONSOLE_SQL = "console.sql";

    /**
     * The queue indexes: the queues filter on decision and age (and page REVIEW items newest-first when
     * ordered by age); the "has a verdict" test is an index lookup on moderation_verdicts' primary key
     * (event_id, moderator), which the sink creates.
     */
    static final List<String> QUEUE_INDEXES = List.of(
            "CREATE INDEX IF NOT EXISTS moderation_events_decision_labeled_at ON moderation_events (decision, labeled_at)",
            "CREATE INDEX IF NOT EXISTS moderation_events_labeled_at ON moderation_events (labeled_at)");

    private final DataSource db;

    public ConsoleSchema(DataSource db) {
        this.db = db;
    }

    /** console.sql, then the queue indexes if moderation_events exists yet. */
    public void install() {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute(script());
            ensureQueueIndexes(c);
        } catch (SQLException e) {
            throw new ConsoleException("could not create the console's tables: " + e.getMessage(), e);
        }
    }

    /** Creates the queue indexes if moderation_events exists; says whether it does. */
    static boolean ensureQueueIndexes(Connection c) throws SQLException {
        if (!EventTables.discover(c).eventsExist()) {
            return false;
        }
        try (Statement s = c.createStatement()) {
            for (String ddl : QUEUE_INDEXES) {
                s.execute(ddl);
            }
        }
        return true;
    }

    private static String script() {
        try (InputStream in = ConsoleSchema.class.getResourceAsStream(CONSOLE_SQL)) {
            if (in == null) {
                throw new ConsoleException(CONSOLE_SQL + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConsoleException("could not read " + CONSOLE_SQL, e);
        }
    }
}
