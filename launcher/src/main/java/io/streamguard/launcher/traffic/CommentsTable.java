package io.streamguard.launcher.traffic;

import io.streamguard.launcher.cli.LauncherException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The demo application's side of the database: texts enter as rows of {@code comments} (the comments
 * source turns each into a TextEvent {@code comments:<id>}), and decisions come back as rows of {@code
 * moderation_events} (written by the JDBC sink). One connection, used by one thread.
 */
final class CommentsTable implements AutoCloseable {
    /** The id the comments source gives the TextEvent of row {@code id}. */
    static String eventId(long id) {
        return "comments:" + id;
    }

    private final Connection connection;
    private final PreparedStatement insert;

    CommentsTable(String jdbcUrl) {
        try {
            this.connection = DriverManager.getConnection(jdbcUrl);
            this.insert = connection.prepareStatement("insert into comments (body, author) values (?, ?) returning id");
        } catch (SQLException e) {
            throw new LauncherException("could not connect to the demo database " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /** Inserts a comment; returns the id of its TextEvent. */
    String insert(String body, String author) {
        try {
            insert.setString(1, body);
            insert.setString(2, author);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return eventId(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new LauncherException("could not insert a demo comment: " + e.getMessage(), e);
        }
    }

    /** How many of {@code ids} have a row in {@code moderation_events}; 0 while the sink has not created it. */
    int decided(Collection<String> ids) {
        try (PreparedStatement count =
                connection.prepareStatement("select count(*) from moderation_events where id = any(?)")) {
            Array array = connection.createArrayOf("text", ids.toArray());
            count.setArray(1, array);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // undefined_table: the sink creates it with its first row
                return 0;
            }
            throw new LauncherException("could not read moderation_events: " + e.getMessage(), e);
        }
    }

    /** The last {@code n} rows of {@code moderation_events} by labeling time, one line each, as the demo shows them. */
    List<String> latestDecisions(int n) {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement latest = connection.prepareStatement(
                // encoder_name arrives with the first decision that has it (the sink evolves the table), as in
                // every demo run: version names are per encoder, so the row names both.
                "select id, language, decision, encoder_name, model_version, policy_version, triggered_labels,"
                        + " labeled_at from moderation_events order by labeled_at desc nulls last limit ?")) {
            latest.setInt(1, n);
            try (ResultSet rs = latest.executeQuery()) {
                while (rs.next()) {
                    String encoder = rs.getString(4);
                    lines.add(String.format(
                            "%-12s %-3s %-7s model %-16s policy %-9s labels %-18s labeled_at %s",
                            rs.getString(1),
                            rs.getString(2) == null ? "-" : rs.getString(2),
                            rs.getString(3),
                            (encoder == null ? "" : encoder + "/") + rs.getString(5),
                            rs.getString(6),
                            rs.getString(7).isEmpty() ? "-" : rs.getString(7),
                            rs.getTimestamp(8)));
                }
            }
        } catch (SQLException e) {
            throw new LauncherException("could not read moderation_events: " + e.getMessage(), e);
        }
        return lines;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a connection we only read and wrote through: nothing left to lose
        }
    }
}
