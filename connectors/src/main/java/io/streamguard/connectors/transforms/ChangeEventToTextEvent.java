package io.streamguard.connectors.transforms;

import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.data.Values;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Debezium (PostgreSQL) change event of a table of user texts into a StreamGuard {@code TextEvent},
 * so a database feeds the pipeline without a producer of its own. The value becomes a Struct named {@code
 * io.streamguard.avro.TextEvent} (the Avro schema's fields, in its order), the key the event's string {@code
 * id}, {@code <table>:<primary key>} (a composite key's columns joined with {@code ,} in key order). Inserts,
 * snapshot reads and updates emit the row as it is after the change: an update re-moderates the row under
 * the same id. Deletes, truncates, tombstones and anything that is not a change event with an {@code after}
 * row (heartbeats, schema changes) are dropped (null, which Connect filters), counted and logged at DEBUG.
 * Only the configured columns are read, so a column added to the table changes nothing; a configured column a
 * row lacks is null. A null text becomes the empty text, which the pipeline dead-letters as EMPTY_TEXT rather
 * than losing it. The attributes carry {@code cdc.op}, {@code cdc.table} ({@code <schema>.<table>}) and
 * {@code cdc.lsn} besides the configured columns. The topic is kept: route with Connect's {@code
 * RegexRouter} after this transform.
 *
 * <pre>{@code
 * "transforms": "text,route",
 * "transforms.text.type": "io.streamguard.connectors.transforms.ChangeEventToTextEvent",
 * "transforms.text.text.column": "body",
 * "transforms.text.author.column": "author_id",
 * "transforms.text.event.time.column": "created_at",
 * "transforms.text.attributes.columns": "thread_id",
 * "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
 * "transforms.route.regex": ".*",
 * "transforms.route.replacement": "text-events"
 * }</pre>
 */
public class ChangeEventToTextEvent<R extends ConnectRecord<R>> implements Transformation<R> {
    public static final String TEXT_COLUMN_CONFIG = "text.column";
    public static final String AUTHOR_COLUMN_CONFIG = "author.column";
    public static final String EVENT_TIME_COLUMN_CONFIG = "event.time.column";
    public static final String LANGUAGE_COLUMN_CONFIG = "language.column";
    public static final String SOURCE_CONFIG = "source";
    public static final String ATTRIBUTES_COLUMNS_CONFIG = "attributes.columns";
    public static final String ID_PREFIX_CONFIG = "id.prefix";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    TEXT_COLUMN_CONFIG,
                    ConfigDef.Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    ConfigDef.Importance.HIGH,
                    "The column holding the text to moderate; null becomes the empty text.")
            .define(
                    AUTHOR_COLUMN_CONFIG,
                    ConfigDef.Type.STRING,
                    null,
                    ConfigDef.Importance.MEDIUM,
                    "The column holding the author; none if unset.")
            .define(
                    EVENT_TIME_COLUMN_CONFIG,
                    ConfigDef.Type.STRING,
                    null,
                    ConfigDef.Importance.MEDIUM,
                    "The column holding when the text was written (timestamp, timestamptz, epoch millis or"
                            + " ISO-8601 text); unset, the pipeline uses the record timestamp.")
            .define(
                    LANGUAGE_COLUMN_CONFIG,
                    ConfigDef.Type.STRING,
                    null,
                    ConfigDef.Importance.LOW,
                    "The column holding the text's BCP-47 language tag; none if unset.")
            .define(
                    SOURCE_CONFIG,
                    ConfigDef.Type.STRING,
                    null,
                    ConfigDef.Importance.MEDIUM,
                    "The TextEvent source; default the table name.")
            .define(
                    ATTRIBUTES_COLUMNS_CONFIG,
                    ConfigDef.Type.LIST,
                    List.of(),
                    ConfigDef.Importance.LOW,
                    "Columns copied as strings into the attributes (null ones left out).")
            .define(
                    ID_PREFIX_CONFIG,
                    ConfigDef.Type.STRING,
                    null,
                    ConfigDef.Importance.MEDIUM,
                    "Put before ':<primary key>' in the id instead of the table name.");

    /** The value schema: io.streamguard.avro.TextEvent as the Avro converter maps it to Connect. */
    public static final Schema TEXT_EVENT_SCHEMA = SchemaBuilder.struct()
            .name("io.streamguard.avro.TextEvent")
            .field("id", Schema.STRING_SCHEMA)
            .field("text", Schema.STRING_SCHEMA)
            .field("language", Schema.OPTIONAL_STRING_SCHEMA)
            .field("source", Schema.OPTIONAL_STRING_SCHEMA)
            .field("author", Schema.OPTIONAL_STRING_SCHEMA)
            .field("eventTime", Timestamp.builder().optional().build())
            .field(
                    "attributes",
                    SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA)
                            .build())
            .build();

    static final String ATTRIBUTE_OP = "cdc.op";
    static final String ATTRIBUTE_TABLE = "cdc.table";
    static final String ATTRIBUTE_LSN = "cdc.lsn";

    private static final Logger log = LoggerFactory.getLogger(ChangeEventToTextEvent.class);

    /** Why a record was dropped. */
    enum Drop {
        TOMBSTONE,
        DELETE,
        TRUNCATE,
        NOT_A_ROW_CHANGE
    }

    private final Map<Drop, AtomicLong> dropped = new EnumMap<>(Drop.class);

    private String textColumn;
    private String authorColumn;
    private String eventTimeColumn;
    private String languageColumn;
    private String source;
    private List<String> attributeColumns;
    private String idPrefix;

    public ChangeEventToTextEvent() {
        for (Drop reason : Drop.values()) {
            dropped.put(reason, new AtomicLong());
        }
    }

    @Override
    public void configure(Map<String, ?> props) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, props);
        textColumn = config.getString(TEXT_COLUMN_CONFIG);
        authorColumn = config.getString(AUTHOR_COLUMN_CONFIG);
        eventTimeColumn = config.getString(EVENT_TIME_COLUMN_CONFIG);
        languageColumn = config.getString(LANGUAGE_COLUMN_CONFIG);
        source = config.getString(SOURCE_CONFIG);
        attributeColumns = List.copyOf(config.getList(ATTRIBUTES_COLUMNS_CONFIG));
        idPrefix = config.getString(ID_PREFIX_CONFIG);
    }

    @Override
    public R apply(R record) {
        if (record.value() == null) {
            return drop(record, Drop.TOMBSTONE);
        }
        if (!(record.value() instanceof Struct envelope) || !isChangeEvent(envelope.schema())) {
            return drop(record, Drop.NOT_A_ROW_CHANGE);
        }
        String op = envelope.getString("op");
        Struct after = envelope.getStruct("after");
        Drop reason =
                switch (op == null ? "" : op) {
                    case "c", "u", "r" -> after == null ? Drop.NOT_A_ROW_CHANGE : null;
                    case "d" -> Drop.DELETE;
                    case "t" -> Drop.TRUNCATE;
                    default -> Drop.NOT_A_ROW_CHANGE; // e.g. a logical decoding message (op m)
                };
        if (reason != null) {
            return drop(record, reason);
        }
        Struct sourceInfo = envelope.schema().field("source") == null ? null : envelope.getStruct("source");
        String table = string(sourceInfo, "table");
        String dbSchema = string(sourceInfo, "schema");
        if (table == null && (idPrefix == null || source == null)) {
            throw new RecordShapeException("change event on " + record.topic() + " names no source.table; set "
                    + ID_PREFIX_CONFIG + " and " + SOURCE_CONFIG);
        }
        String id = (idPrefix != null ? idPrefix : table) + ":" + primaryKey(record);

        String text = stringColumn(after, textColumn);
        Struct value = new Struct(TEXT_EVENT_SCHEMA)
                .put("id", id)
                .put("text", text == null ? "" : text)
                .put("language", stringColumn(after, languageColumn))
                .put("source", source != null ? source : table)
                .put("author", stringColumn(after, authorColumn))
                .put("eventTime", eventTime(after))
                .put("attributes", attributes(after, op, dbSchema, table, sourceInfo));
        return record.newRecord(
                record.topic(),
                record.kafkaPartition(),
                Schema.STRING_SCHEMA,
                id,
                TEXT_EVENT_SCHEMA,
                value,
                record.timestamp());
    }

    /** A Debezium change-event envelope: an {@code op} and an {@code after} row (null for deletes). */
    private static boolean isChangeEvent(Schema schema) {
        Field op = schema.field("op");
        Field after = schema.field("after");
        return op != null
                && op.schema().type() == Schema.Type.STRING
                && after != null
                && after.schema().type() == Schema.Type.STRUCT;
    }

    /** The primary key columns, in key-schema order, joined with ','. */
    private static String primaryKey(ConnectRecord<?> record) {
        Object key = record.key();
        if (key == null) {
            throw new RecordShapeException("change event on " + record.topic() + " has no key (a table without a"
                    + " primary key): set Debezium's message.key.columns for it so the text gets a stable id");
        }
        if (!(key instanceof Struct struct)) {
            return Values.convertToString(record.keySchema(), key);
        }
        StringJoiner joined = new StringJoiner(",");
        for (Field f : struct.schema().fields()) {
            Object part = struct.get(f);
            joined.add(part == null ? "" : Values.convertToString(f.schema(), part));
        }
        return joined.toString();
    }

    private Date eventTime(Struct after) {
        if (eventTimeColumn == null) {
            return null;
        }
        Field f = after.schema().field(eventTimeColumn);
        return f == null ? null : EventTimes.toDate(eventTimeColumn, f.schema(), after.get(f));
    }

    private Map<String, String> attributes(Struct after, String op, String dbSchema, String table, Struct sourceInfo) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String name : attributeColumns) {
            String value = stringColumn(after, name);
            if (value != null) {
                attributes.put(name, value);
            }
        }
        attributes.put(ATTRIBUTE_OP, op);
        if (table != null) {
            attributes.put(ATTRIBUTE_TABLE, dbSchema == null ? table : dbSchema + "." + table);
        }
        String lsn = string(sourceInfo, "lsn");
        if (lsn != null) {
            attributes.put(ATTRIBUTE_LSN, lsn);
        }
        return attributes;
    }

    /** A column of the row, null when the row has no such column or no column is configured. */
    private static Object column(Struct row, String name) {
        if (name == null) {
            return null;
        }
        Field f = row.schema().field(name);
        return f == null ? null : row.get(f);
    }

    private static String stringColumn(Struct row, String name) {
        Object value = column(row, name);
        return value == null
                ? null
                : Values.convertToString(row.schema().field(name).schema(), value);
    }

    private static String string(Struct struct, String name) {
        return struct == null ? null : stringColumn(struct, name);
    }

    private R drop(R record, Drop reason) {
        long count = dropped.get(reason).incrementAndGet();
        if (log.isDebugEnabled()) {
            log.debug(
                    "Dropped a {} record on {} partition {} ({} so far)",
                    reason,
                    record.topic(),
                    record.kafkaPartition(),
                    count);
        }
        return null;
    }

    /** How many records were dropped for {@code reason} since this instance was created. */
    long droppedCount(Drop reason) {
        return dropped.get(reason).get();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
        log.info("Change events dropped: {}", dropped);
    }
}
