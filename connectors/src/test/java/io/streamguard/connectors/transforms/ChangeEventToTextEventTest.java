package io.streamguard.connectors.transforms;

import static io.streamguard.connectors.transforms.DebeziumEvents.KEY;
import static io.streamguard.connectors.transforms.DebeziumEvents.LSN;
import static io.streamguard.connectors.transforms.DebeziumEvents.ROW;
import static io.streamguard.connectors.transforms.DebeziumEvents.TOPIC;
import static io.streamguard.connectors.transforms.DebeziumEvents.change;
import static io.streamguard.connectors.transforms.DebeziumEvents.comment;
import static io.streamguard.connectors.transforms.DebeziumEvents.envelope;
import static io.streamguard.connectors.transforms.DebeziumEvents.record;
import static io.streamguard.connectors.transforms.DebeziumEvents.row;
import static io.streamguard.connectors.transforms.DebeziumEvents.source;
import static io.streamguard.connectors.transforms.LabeledEvents.copyInto;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.connectors.transforms.ChangeEventToTextEvent.Drop;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChangeEventToTextEventTest {
    private static final Instant CREATED = Instant.parse("2026-12-06T22:00:00.123Z");

    private final ChangeEventToTextEvent<SourceRecord> transform = new ChangeEventToTextEvent<>();

    @AfterEach
    void close() {
        transform.close();
    }

    private void configure(String... keyValues) {
        Map<String, Object> config = new HashMap<>(Map.of(
                "text.column", "body",
                "author.column", "author_id",
                "event.time.column", "created_at",
                "attributes.columns", "thread_id"));
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put(keyValues[i], keyValues[i + 1]);
        }
        transform.configure(config);
    }

    @Test
    void anInsertBecomesATextEventKeyedByTableAndPrimaryKey() {
        configure();
        SourceRecord insert = change("c", null, comment(42, "you are awful"));

        SourceRecord out = transform.apply(insert);

        Struct event = (Struct) out.value();
        assertThat(out.valueSchema().name()).isEqualTo("io.streamguard.avro.TextEvent");
        assertThat(out.valueSchema().fields().stream().map(Field::name))
                .containsExactly("id", "text", "language", "source", "author", "eventTime", "attributes");
        assertThat(out.valueSchema().field("eventTime").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(out.keySchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(out.key()).isEqualTo("comments:42");
        assertThat(event.getString("id")).isEqualTo("comments:42");
        assertThat(event.getString("text")).isEqualTo("you are awful");
        assertThat(event.getString("language")).isNull();
        assertThat(event.getString("source")).isEqualTo("comments");
        assertThat(event.getString("author")).isEqualTo("u-7");
        assertThat(event.get("eventTime")).isEqualTo(Date.from(CREATED));
        assertThat(event.getMap("attributes"))
                .containsExactly(
                        Map.entry("thread_id", "3"),
                        Map.entry("cdc.op", "c"),
                        Map.entry("cdc.table", "public.comments"),
                        Map.entry("cdc.lsn", Long.toString(LSN)));
        assertThat(out.topic()).isEqualTo(TOPIC);
        assertThat(out.timestamp()).isEqualTo(insert.timestamp());
        assertThat(out.sourceOffset()).isEqualTo(insert.sourceOffset());
        event.validate();
    }

    @Test
    void anUpdateEmitsTheNewRowUnderTheSameId() {
        configure();

        SourceRecord out = transform.apply(change("u", comment(42, "nice"), comment(42, "you are awful")));

        Struct event = (Struct) out.value();
        assertThat(out.key()).isEqualTo("comments:42");
        assertThat(event.getString("text")).isEqualTo("you are awful");
        assertThat(event.getMap("attributes")).containsEntry("cdc.op", "u");
    }

    @Test
    void aSnapshotReadIsEmittedLikeAnInsert() {
        configure();

        SourceRecord out = transform.apply(change("r", null, comment(7, "hello")));

        assertThat(out.key()).isEqualTo("comments:7");
        assertThat(((Struct) out.value()).getMap("attributes")).containsEntry("cdc.op", "r");
    }

    @Test
    void deletesTruncatesTombstonesHeartbeatsAndSchemaChangesAreDroppedAndCounted() {
        configure();
        Schema heartbeat = SchemaBuilder.struct()
                .name("io.debezium.connector.common.Heartbeat")
                .field("ts_ms", Schema.INT64_SCHEMA)
                .build();
        Schema schemaChange = SchemaBuilder.struct()
                .name("io.debezium.connector.schema.Change")
                .field("source", DebeziumEvents.SOURCE)
                .field("databaseName", Schema.STRING_SCHEMA)
                .field("ddl", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Schema envelope = envelope(ROW);
        Struct truncate = new Struct(envelope).put("source", source("false")).put("op", "t");

        assertThat(transform.apply(change("d", comment(42, "bye"), null))).isNull();
        assertThat(transform.apply(record(KEY, new Struct(KEY).put("id", 42L), null, null)))
                .isNull();
        assertThat(transform.apply(record(null, null, envelope, truncate))).isNull();
        assertThat(transform.apply(record(null, null, heartbeat, new Struct(heartbeat).put("ts_ms", 1L))))
                .isNull();
        assertThat(transform.apply(record(
                        null,
                        null,
                        schemaChange,
                        new Struct(schemaChange)
                                .put("source", source("false"))
                                .put("databaseName", "app")
                                .put("ddl", "ALTER TABLE comments ADD COLUMN score real"))))
                .isNull();
        assertThat(transform.apply(record(null, null, null, "not a struct"))).isNull();

        assertThat(transform.droppedCount(Drop.DELETE)).isEqualTo(1);
        assertThat(transform.droppedCount(Drop.TOMBSTONE)).isEqualTo(1);
        assertThat(transform.droppedCount(Drop.TRUNCATE)).isEqualTo(1);
        assertThat(transform.droppedCount(Drop.NOT_A_ROW_CHANGE)).isEqualTo(3);
    }

    static Stream<Arguments> eventTimes() {
        long millis = CREATED.toEpochMilli();
        return Stream.of(
                Arguments.of(Timestamp.builder().optional().build(), Date.from(CREATED)),
                Arguments.of(DebeziumEvents.ZONED_TIMESTAMP, "2026-12-06T22:00:00.123Z"),
                Arguments.of(named("io.debezium.time.Timestamp"), millis),
                Arguments.of(named("io.debezium.time.MicroTimestamp"), millis * 1_000L + 456L),
                Arguments.of(named("io.debezium.time.NanoTimestamp"), millis * 1_000_000L + 456_789L),
                Arguments.of(Schema.OPTIONAL_INT64_SCHEMA, millis),
                Arguments.of(Schema.OPTIONAL_STRING_SCHEMA, "2026-12-06T22:00:00.123"),
                Arguments.of(Schema.OPTIONAL_STRING_SCHEMA, "2026-12-06T17:00:00.123-05:00"));
    }

    private static Schema named(String name) {
        return SchemaBuilder.int64().name(name).optional().build();
    }

    @ParameterizedTest
    @MethodSource("eventTimes")
    void eventTimesAreReadInEachFormDebeziumWrites(Schema createdAt, Object value) {
        configure();
        Schema row = row(createdAt).build();
        Struct after = new Struct(row).put("id", 1L).put("body", "hi").put("created_at", value);

        Struct event = (Struct) transform.apply(change("c", null, after)).value();

        assertThat(event.get("eventTime")).isEqualTo(Date.from(CREATED));
    }

    @Test
    void anEventTimeOfAnotherTypeIsRefusedByColumn() {
        configure();
        Schema row = row(Schema.OPTIONAL_INT32_SCHEMA).build();
        Struct after = new Struct(row).put("id", 1L).put("body", "hi").put("created_at", 5);

        assertThatThrownBy(() -> transform.apply(change("c", null, after)))
                .isInstanceOf(RecordShapeException.class)
                .hasMessageContaining("event time column 'created_at' of type INT32");
    }

    @Test
    void aCompositeKeyJoinsItsColumnsInKeyOrderAndIdPrefixReplacesTheTable() {
        configure("id.prefix", "forum", "source", "forum-db");
        Schema key = SchemaBuilder.struct()
                .field("tenant", Schema.STRING_SCHEMA)
                .field("id", Schema.INT64_SCHEMA)
                .build();
        SourceRecord insert = change("c", null, comment(42, "hi"));
        SourceRecord composite =
                record(key, new Struct(key).put("tenant", "acme").put("id", 42L), insert.valueSchema(), insert.value());

        SourceRecord out = transform.apply(composite);

        assertThat(out.key()).isEqualTo("forum:acme,42");
        assertThat(((Struct) out.value()).getString("source")).isEqualTo("forum-db");
        assertThat(((Struct) out.value()).getMap("attributes")).containsEntry("cdc.table", "public.comments");
    }

    @Test
    void aColumnAddedToTheTableChangesNothing() {
        configure();
        Schema wider = row(DebeziumEvents.ZONED_TIMESTAMP)
                .field("score", Schema.OPTIONAL_FLOAT32_SCHEMA)
                .build();
        Struct after = copyInto(wider, comment(42, "you are awful")).put("score", 0.5f);

        Object widerOut = transform.apply(change("c", null, after)).value();
        Object narrowOut =
                transform.apply(change("c", null, comment(42, "you are awful"))).value();

        assertThat(widerOut).isEqualTo(narrowOut);
    }

    @Test
    void aConfiguredColumnTheRowLacksIsNull() {
        configure("author.column", "author", "language.column", "lang", "attributes.columns", "thread_id,mood");

        Struct event =
                (Struct) transform.apply(change("c", null, comment(42, "hi"))).value();

        assertThat(event.getString("author")).isNull();
        assertThat(event.getString("language")).isNull();
        assertThat(event.getMap("attributes")).containsKey("thread_id").doesNotContainKey("mood");
    }

    @Test
    void aNullTextBecomesTheEmptyTextSoThePipelineDeadLettersIt() {
        configure();

        Struct event =
                (Struct) transform.apply(change("c", null, comment(42, null))).value();

        assertThat(event.getString("text")).isEmpty();
        assertThat(event.getString("id")).isEqualTo("comments:42");
    }

    @Test
    void aRowWithoutAKeyIsRefusedWithTheDebeziumSettingThatGivesItOne() {
        configure();
        SourceRecord insert = change("c", null, comment(42, "hi"));

        assertThatThrownBy(() -> transform.apply(record(null, null, insert.valueSchema(), insert.value())))
                .isInstanceOf(RecordShapeException.class)
                .hasMessageContaining("message.key.columns");
    }

    @Test
    void theTextColumnIsRequired() {
        assertThatThrownBy(() -> transform.configure(Map.of("author.column", "author_id")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("text.column");
    }
}
