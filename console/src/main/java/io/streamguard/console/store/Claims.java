package io.streamguard.console.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Who is working on which item, so two moderators never judge the same one at once. A claim lasts
 * {@code ttl} (a moderator who closes the tab frees the item by expiry); the database clock decides
 * expiry, so console instances with skewed clocks still agree.
 *
 * <p>{@link #claim} is one upsert: it inserts the claim, or takes over the existing row only where that
 * has expired or is the same moderator's; PostgreSQL serializes concurrent upserts of one key, so exactly
 * one of two racing moderators wins.
 */
public final class Claims {
    private static final String CLAIM = "INSERT INTO console_claims AS c (event_id, moderator, claimed_at, expires_at)"
            + " VALUES (?, ?, now(), now() + ? * interval '1 millisecond')"
            + " ON CONFLICT (event_id) DO UPDATE SET moderator = excluded.moderator,"
            + " claimed_at = CASE WHEN c.moderator = excluded.moderator AND c.expires_at > now()"
            + " THEN c.claimed_at ELSE excluded.claimed_at END,"
            + " expires_at = excluded.expires_at"
            + " WHERE c.expires_at <= now() OR c.moderator = excluded.moderator"
            + " RETURNING moderator";

    /** Candidates read per round by {@link #nextUnclaimed}; a lost race moves to the next one. */
    static final int CANDIDATES = 20;

    private final DataSource db;
    private final Queues queues;

    public Claims(DataSource db, Queues queues) {
        this.db = db;
        this.queues = queues;
    }

    /**
     * Claims {@code eventId} for {@code moderator} for {@code ttl}: true if it was unclaimed, expired or
     * already this moderator's (whose claim is then extended), false if another moderator holds it.
     */
    public boolean claim(String eventId, String moderator, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new ConsoleException("claim ttl must be positive: " + ttl);
        }
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setString(1, eventId);
            ps.setString(2, moderator);
            ps.setLong(3, ttl.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new ConsoleException("could not claim " + eventId + ": " + e.getMessage(), e);
        }
    }

    /** Gives up {@code moderator}'s claim on {@code eventId}; false if it held none. */
    public boolean release(String eventId, String moderator) {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("DELETE FROM console_claims WHERE event_id = ? AND moderator = ?")) {
            ps.setString(1, eventId);
            ps.setString(2, moderator);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new ConsoleException("could not release " + eventId + ": " + e.getMessage(), e);
        }
    }

    /** The moderator holding an unexpired claim on {@code eventId}, if any. */
    public Optional<String> holder(String eventId) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT moderator FROM console_claims WHERE event_id = ? AND expires_at > now()")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new ConsoleException("could not read the claim on " + eventId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Claims and returns the highest-priority item of {@code query}'s queue that no other moderator holds
     * (the moderator's own claimed item comes back first if it is the highest). Reads candidates without
     * others' live claims, then claims them in order until one claim wins: a candidate another moderator
     * took in between is lost to {@link #claim}'s upsert, never shared.
     */
    public Optional<QueueItem> nextUnclaimed(QueueQuery query, String moderator, Duration ttl) {
        QueueQuery candidates = new QueueQuery(
                query.queue(),
                query.label(),
                query.decision(),
                query.modelVersion(),
                query.language(),
                query.source(),
                query.maxAge(),
                query.reviewThresholds(),
                query.waitWeight(),
                CANDIDATES,
                Optional.empty());
        while (true) {
            QueuePage page = queues.page(candidates, Optional.of(moderator));
            for (QueueItem item : page.items()) {
                if (claim(item.id(), moderator, ttl)) {
                    return Optional.of(item);
                }
            }
            if (page.next().isEmpty()) {
                return Optional.empty();
            }
            candidates = candidates.after(page.next().get());
        }
    }
}
