package io.streamguard.console.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the connector tables look like right now, read from information_schema: whether they exist yet
 * (the sinks create them on their first record), which {@code score_<label>} columns moderation_events
 * has (a new label becomes a new column through the sink's schema evolution), and whether it has the
 * columns of events labeled per language yet ({@code encoder_name}, {@code unscored_reason}: a table
 * created before them gains them with the first such record, and its older rows read as null).
 *
 * <p>Label columns are the only identifiers the console puts into SQL text; they come from here, never
 * from a request, and are checked against {@link #COLUMN} before they are quoted.
 */
record EventTables(
        boolean eventsExist,
        boolean verdictsExist,
        boolean scoringsExist,
        Map<String, String> labelColumns,
        boolean labeledAtHasZone,
        boolean hasEncoderName,
        boolean hasUnscoredReason,
        boolean scoringsHaveEncoderName) {

    static final String EVENTS = "moderation_events";
    static final String VERDICTS = "moderation_verdicts";
    /** Every (event, model version) that labeled an event, where moderation_events keeps only the latest. */
    static final String SCORINGS = "moderation_scorings";

    private static final Pattern COLUMN = Pattern.compile("score_[a-z0-9_]{1,50}");

    static EventTables discover(Connection c) throws SQLException {
        boolean events = false;
        boolean verdicts = false;
        boolean scorings = false;
        boolean zoned = false;
        boolean encoder = false;
        boolean unscored = false;
        boolean scoringEncoder = false;
        Map<String, String> labels = new TreeMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name, column_name, data_type"
                        + " FROM information_schema.columns WHERE table_schema = current_schema()"
                        + " AND table_name IN ('" + EVENTS + "', '" + VERDICTS + "', '" + SCORINGS + "')")) {
            while (rs.next()) {
                String table = rs.getString(1);
                String column = rs.getString(2);
                if (table.equals(VERDICTS)) {
                    verdicts = true;
                    continue;
                }
                if (table.equals(SCORINGS)) {
                    scorings = true;
                    scoringEncoder |= column.equals("encoder_name");
                    continue;
                }
                events = true;
                encoder |= column.equals("encoder_name");
                unscored |= column.equals("unscored_reason");
                if (column.equals("labeled_at")) {
                    zoned = rs.getString(3).equals("timestamp with time zone");
                }
                if (COLUMN.matcher(column).matches()) {
                    labels.put(column.substring("score_".length()), column);
                }
            }
        }
        return new EventTables(
                events,
                verdicts,
                scorings,
                Collections.unmodifiableMap(labels),
                zoned,
                encoder,
                unscored,
                scoringEncoder);
    }

    /** The select-list entries for encoder_name and unscored_reason: the columns, or nulls where absent. */
    String encoderColumns() {
        return (hasEncoderName ? "e.encoder_name" : "NULL::text AS encoder_name") + ", "
                + (hasUnscoredReason ? "e.unscored_reason" : "NULL::text AS unscored_reason");
    }

    /** The quoted column of a known label. */
    String scoreColumn(String label) {
        String column = labelColumns.get(label);
        if (column == null) {
            throw new UnknownLabelException(label);
        }
        return "e.\"" + column + "\"";
    }
}
