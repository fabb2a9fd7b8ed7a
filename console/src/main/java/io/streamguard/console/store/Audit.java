package io.streamguard.console.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The console's append-only record of who did what (console_audit): sign-ins, verdicts, user and policy changes. The
 * detail is JSON, checked by PostgreSQL's jsonb on insert.
 */
public final class Audit {
    /** One audit row; {@code eventId} is empty for actions on no event (a user added). */
    public record Entry(
            long id, OffsetDateTime at, String actor, String action, Optional<String> eventId, String detail) {}

    /** The action of a verdict the console sent; {@link Queues} counts such an item as decided. */
    public static final String VERDICT = "verdict";

    /**
     * The action of a threshold change an admin made on the console; its detail names the label, the new
     * and previous thresholds and the policy version written.
     */
    public static final String POLICY = "policy";

    private final DataSource db;

    public Audit(DataSource db) {
        this.db = db;
    }

    /** Appends an entry and returns its id; {@code detailJson} must be a JSON value ("{}" for none). */
    public long append(String actor, String action, String eventId, String detailJson) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO console_audit (actor, action, event_id, detail)"
                        + " VALUES (?, ?, ?, ?::jsonb) RETURNING id")) {
            ps.setString(1, actor);
            ps.setString(2, action);
            ps.setString(3, eventId);
            ps.setString(4, detailJson);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new ConsoleException("could not audit " + action + " by " + actor + ": " + e.getMessage(), e);
        }
    }

    /** The newest {@code limit} entries, newest first: the admins' audit log. */
    public List<Entry> recent(int limit) {
        return query(
                "SELECT id, at, actor, action, event_id, detail::text FROM console_audit"
                        + " ORDER BY at DESC, id DESC LIMIT ?",
                ps -> ps.setInt(1, limit),
                "the audit log");
    }

    /** An event's history, oldest first. */
    public List<Entry> forEvent(String eventId) {
        return query(
                "SELECT id, at, actor, action, event_id, detail::text FROM console_audit WHERE event_id = ?"
                        + " ORDER BY at, id",
                ps -> ps.setString(1, eventId),
                "the audit of " + eventId);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Entry> query(String sql, Binder binder, String what) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(
                            rs.getLong(1),
                            rs.getObject(2, OffsetDateTime.class),
                            rs.getString(3),
                            rs.getString(4),
                            Optional.ofNullable(rs.getString(5)),
                            rs.getString(6)));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new ConsoleException("could not read " + what + ": " + e.getMessage(), e);
        }
    }
}
