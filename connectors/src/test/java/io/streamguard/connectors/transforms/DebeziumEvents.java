package io.streamguard.connectors.transforms;

import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** Debezium PostgreSQL change events, shaped as its connector hands them to a source's transforms. */
final class DebeziumEvents {
    static final String TOPIC = "cdc.public.comments";
    static final Map<String, ?> SOURCE_PARTITION = Map.of("server", "cdc");
    static final Map<String, ?> SOURCE_OFFSET = Map.of("lsn", 987_654L);
    static final long LSN = 987_654L;

    static final Schema SOURCE = SchemaBuilder.struct()
            .name("io.debezium.connector.postgresql.Source")
            .field("version", Schema.STRING_SCHEMA)
            .field("connector", Schema.STRING_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
            .field("db", Schema.STRING_SCHEMA)
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    static final Schema ZONED_TIMESTAMP = SchemaBuilder.string()
            .name("io.debezium.time.ZonedTimestamp")
            .optional()
            .build();

    /** comments(id bigint primary key, body text, author_id text, created_at timestamptz, thread_id int). */
    static final Schema ROW = row(ZONED_TIMESTAMP).build();

    static final Schema KEY = SchemaBuilder.struct()
            .name("cdc.public.comments.Key")
            .field("id", Schema.INT64_SCHEMA)
            .build();

    private DebeziumEvents() {}

    static SchemaBuilder row(Schema createdAt) {
        return SchemaBuilder.struct()
                .name("cdc.public.comments.Value")
                .field("id", Schema.INT64_SCHEMA)
                .field("body", Schema.OPTIONAL_STRING_SCHEMA)
                .field("author_id", Schema.OPTIONAL_STRING_SCHEMA)
                .field("created_at", createdAt)
                .field("thread_id", Schema.OPTIONAL_INT32_SCHEMA)
                .optional();
    }

    static Schema envelope(Schema row) {
        return SchemaBuilder.struct()
                .name("cdc.public.comments.Envelope")
                .field("before", row)
                .field("after", row)
                .field("source", SOURCE)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
    }

    static Struct comment(long id, String body) {
        return new Struct(ROW)
                .put("id", id)
                .put("body", body)
                .put("author_id", "u-7")
                .put("created_at", "2026-12-06T23:00:00.123456+01:00")
                .put("thread_id", 3);
    }

    static Struct source(String snapshot) {
        return new Struct(SOURCE)
                .put("version", "3.6.1.Final")
                .put("connector", "postgresql")
                .put("name", "cdc")
                .put("ts_ms", 1_765_058_400_000L)
                .put("snapshot", snapshot)
                .put("db", "app")
                .put("schema", "public")
                .put("table", "comments")
                .put("txId", 771L)
                .put("lsn", LSN);
    }

    static SourceRecord change(String op, Struct before, Struct after) {
        Schema row = after != null ? after.schema() : before != null ? before.schema() : ROW;
        Schema envelope = envelope(row);
        Struct value = new Struct(envelope)
                .put("before", before)
                .put("after", after)
                .put("source", source(op.equals("r") ? "true" : "false"))
                .put("op", op)
                .put("ts_ms", 1_765_058_400_500L);
        long id = (after != null ? after : before).getInt64("id");
        return record(KEY, new Struct(KEY).put("id", id), envelope, value);
    }

    static SourceRecord record(Schema keySchema, Object key, Schema valueSchema, Object value) {
        return new SourceRecord(
                SOURCE_PARTITION, SOURCE_OFFSET, TOPIC, 0, keySchema, key, valueSchema, value, 1_765_058_400_600L);
    }
}
