package io.streamguard.console.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * One item as the console's item page shows it: its whole moderation_events row and its verdict rows
 * from moderation_verdicts (both written by the sinks, read here by id; {@link Queues} reads pages).
 */
public final class Events {
    /**
     * An item: the model's scores and decision, and when, by which model (encoder and version), policy and
     * worker; or, for an unscored item, why no model scored it.
     */
    public record Event(
            String id,
            String text,
            String decision,
            Map<String, Double> scores,
            List<String> triggeredLabels,
            Optional<String> sentimentLabel,
            Optional<Double> sentimentScore,
            String modelVersion,
            String policyVersion,
            String workerId,
            String language,
            String source,
            Optional<Instant> labeledAt,
            Optional<String> encoderName,
            Optional<String> unscoredReason) {}

    /** A moderator's verdict row as the verdicts sink wrote it; labels without a verdict are absent. */
    public record Verdict(String moderator, Optional<Instant> judgedAt, Map<String, Boolean> labels, String note) {}

    /**
     * One model version's scoring of an item (a row of moderation_scorings: one per event and version), and
     * the encoder whose version it is (empty for rows from before encoders were named, and when unscored).
     */
    public record Scoring(
            String modelVersion,
            String decision,
            String policyVersion,
            String workerId,
            Optional<Instant> labeledAt,
            Optional<String> encoderName) {}

    private final DataSource db;

    public Events(DataSource db) {
        this.db = db;
    }

    /** The item with this id, if the sink has written it. */
    public Optional<Event> find(String id) {
        try (Connection c = db.getConnection()) {
            EventTables tables = EventTables.discover(c);
            if (!tables.eventsExist()) {
                return Optional.empty();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + EventTables.EVENTS + " WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Map<String, Double> scores = new LinkedHashMap<>();
                    for (Map.Entry<String, String> label : tables.labelColumns().entrySet()) {
                        double score = rs.getDouble(label.getValue());
                        if (!rs.wasNull()) {
                            scores.put(label.getKey(), score);
                        }
                    }
                    String triggered = rs.getString("triggered_labels");
                    double sentiment = rs.getDouble("sentiment_score");
                    Optional<Double> sentimentScore = rs.wasNull() ? Optional.empty() : Optional.of(sentiment);
                    return Optional.of(new Event(
                            rs.getString("id"),
                            rs.getString("text"),
                            rs.getString("decision"),
                            scores,
                            triggered == null || triggered.isEmpty() ? List.of() : Arrays.asList(triggered.split(",")),
                            Optional.ofNullable(rs.getString("sentiment_label")),
                            sentimentScore,
                            rs.getString("model_version"),
                            rs.getString("policy_version"),
                            rs.getString("worker_id"),
                            rs.getString("language"),
                            rs.getString("source"),
                            Optional.ofNullable(instant(rs.getObject("labeled_at"))),
                            Optional.ofNullable(tables.hasEncoderName() ? rs.getString("encoder_name") : null),
                            Optional.ofNullable(tables.hasUnscoredReason() ? rs.getString("unscored_reason") : null)));
                }
            }
        } catch (SQLException e) {
            throw new ConsoleException("could not read event " + id + ": " + e.getMessage(), e);
        }
    }

    /** The item's verdict rows, oldest first; empty before the verdicts sink's first row. */
    public List<Verdict> verdicts(String id) {
        try (Connection c = db.getConnection()) {
            if (!EventTables.discover(c).verdictsExist()) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + EventTables.VERDICTS
                    + " WHERE event_id = ? ORDER BY judged_at NULLS FIRST, moderator")) {
                ps.setString(1, id);
                List<Verdict> verdicts = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        Map<String, Boolean> labels = new TreeMap<>();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            String column = meta.getColumnName(i);
                            if (column.startsWith("verdict_")) {
                                boolean value = rs.getBoolean(i);
                                if (!rs.wasNull()) {
                                    labels.put(column.substring("verdict_".length()), value);
                                }
                            }
                        }
                        verdicts.add(new Verdict(
                                rs.getString("moderator"),
                                Optional.ofNullable(instant(rs.getObject("judged_at"))),
                                labels,
                                rs.getString("note")));
                    }
                }
                return verdicts;
            }
        } catch (SQLException e) {
            throw new ConsoleException("could not read the verdicts on " + id + ": " + e.getMessage(), e);
        }
    }

    /** Every model version that scored the item, oldest first; empty before the scorings sink's first row. */
    public List<Scoring> scorings(String id) {
        try (Connection c = db.getConnection()) {
            EventTables tables = EventTables.discover(c);
            if (!tables.scoringsExist()) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT model_version, decision, policy_version, worker_id,"
                    + " labeled_at, " + (tables.scoringsHaveEncoderName() ? "encoder_name" : "NULL::text")
                    + " FROM " + EventTables.SCORINGS
                    + " WHERE id = ? ORDER BY labeled_at NULLS FIRST, model_version")) {
                ps.setString(1, id);
                List<Scoring> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Scoring(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                Optional.ofNullable(instant(rs.getObject(5))),
                                Optional.ofNullable(rs.getString(6))));
                    }
                }
                return out;
            }
        } catch (SQLException e) {
            throw new ConsoleException("could not read the scorings of " + id + ": " + e.getMessage(), e);
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof java.sql.Timestamp t) {
            // the sink writes UTC into timestamp without time zone; the driver read it in the JVM's zone
            return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
        }
        if (value instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC);
        }
        return null;
    }
}
