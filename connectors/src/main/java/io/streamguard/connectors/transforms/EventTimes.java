package io.streamguard.connectors.transforms;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Date;
import org.apache.kafka.connect.data.Schema;

/**
 * Reads a time column of a change event as an instant, in each form Debezium writes one, matched on the
 * schema name so that the plugin needs no Debezium classes. Debezium's {@code Timestamp}, {@code
 * MicroTimestamp} and {@code NanoTimestamp} carry a {@code timestamp without time zone} as if it were UTC, and
 * are read so; a {@code timestamptz} arrives as a {@code ZonedTimestamp} string with its offset.
 */
final class EventTimes {
    static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
    static final String TIMESTAMP = "io.debezium.time.Timestamp";
    static final String MICRO_TIMESTAMP = "io.debezium.time.MicroTimestamp";
    static final String NANO_TIMESTAMP = "io.debezium.time.NanoTimestamp";

    private EventTimes() {}

    /** {@code value} (of {@code schema}) as a Date, null for null; a form it cannot read is a RecordShapeException. */
    static Date toDate(String column, Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Date date) {
            return date; // Connect's Timestamp (time.precision.mode=connect) or Date
        }
        String name = schema == null ? null : schema.name();
        if (value instanceof Long number) {
            if (MICRO_TIMESTAMP.equals(name)) {
                return new Date(Math.floorDiv(number, 1_000L));
            }
            if (NANO_TIMESTAMP.equals(name)) {
                return new Date(Math.floorDiv(number, 1_000_000L));
            }
            if (name == null || TIMESTAMP.equals(name)) {
                return new Date(number);
            }
        }
        if (value instanceof String text && (name == null || ZONED_TIMESTAMP.equals(name))) {
            return parse(column, text);
        }
        throw new RecordShapeException("event time column '" + column + "' of type "
                + (schema == null ? value.getClass().getSimpleName() : schema.type()) + (name == null ? "" : " " + name)
                + " is not a timestamp this transform reads (Connect Timestamp, Debezium Zoned/Micro/Nano/Timestamp,"
                + " INT64 epoch millis, ISO-8601 string)");
    }

    /** An ISO-8601 date-time; with an offset or zone as given, without one as UTC. */
    private static Date parse(String column, String text) {
        try {
            TemporalAccessor parsed =
                    DateTimeFormatter.ISO_DATE_TIME.parseBest(text, ZonedDateTime::from, LocalDateTime::from);
            Instant instant = parsed instanceof ZonedDateTime zoned
                    ? zoned.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
            return Date.from(instant);
        } catch (DateTimeParseException e) {
            throw new RecordShapeException(
                    "event time column '" + column + "' holds '" + text + "', not an ISO-8601 date-time", e);
        }
    }
}
