package io.streamguard.connectors.transforms;

import static io.streamguard.connectors.transforms.LabeledEvents.FEEDBACK;
import static io.streamguard.connectors.transforms.LabeledEvents.LABELED_EVENT;
import static io.streamguard.connectors.transforms.LabeledEvents.copyInto;
import static io.streamguard.connectors.transforms.LabeledEvents.labeledEvent;
import static io.streamguard.connectors.transforms.LabeledEvents.sinkRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MapToColumnsTest {
    private final MapToColumns<SinkRecord> transform = new MapToColumns.Value<>();

    @AfterEach
    void close() {
        transform.close();
    }

    private static Map<String, Object> config(String... keyValues) {
        Map<String, Object> config = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put(keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    private static List<String> fieldNames(Schema schema) {
        return schema.fields().stream().map(Field::name).toList();
    }

    @Test
    void configuredKeysGiveExactlyThoseColumnsInTheMapsPlace() {
        transform.configure(config("field", "scores", "prefix", "score_", "keys", "offensive,hate,spam,violence"));
        Struct event = labeledEvent(
                "c-1", Map.of("offensive", 0.9, "hate", 0.1, "spam", 0.0, "extra", 0.5), List.of("offensive"));

        SinkRecord out = transform.apply(sinkRecord("text-labeled", LABELED_EVENT, event));

        Struct value = (Struct) out.value();
        assertThat(fieldNames(out.valueSchema()))
                .containsExactly(
                        "id",
                        "score_offensive",
                        "score_hate",
                        "score_spam",
                        "score_violence",
                        "sentiment",
                        "decision",
                        "triggeredLabels",
                        "modelVersion",
                        "policyVersion",
                        "truncated",
                        "timings",
                        "workerId",
                        "text",
                        "eventTime",
                        "language",
                        "source",
                        "author",
                        "encoderName",
                        "unscoredReason",
                        "labeledAt");
        assertThat(value.getFloat64("score_offensive")).isEqualTo(0.9);
        assertThat(value.getFloat64("score_hate")).isEqualTo(0.1);
        assertThat(value.getFloat64("score_spam")).isEqualTo(0.0);
        assertThat(value.getFloat64("score_violence")).isNull();
        assertThat(out.valueSchema().field("score_violence").schema()).isEqualTo(Schema.OPTIONAL_FLOAT64_SCHEMA);
        assertThat(out.valueSchema().name()).isEqualTo("io.streamguard.avro.LabeledEvent");
        assertThat(value.getStruct("timings")).isEqualTo(event.getStruct("timings"));
        assertThat(value.getString("text")).isEqualTo("you are awful");
        assertThat(out.key()).isEqualTo("c-1");
        assertThat(out.kafkaOffset()).isEqualTo(42L);
    }

    @Test
    void withoutKeysTheRecordsOwnKeysBecomeColumnsSortedWithTheDefaultPrefix() {
        transform.configure(config("field", "scores"));

        SinkRecord out = transform.apply(sinkRecord("text-labeled", LABELED_EVENT, labeledEvent()));

        assertThat(fieldNames(out.valueSchema()))
                .startsWith("id", "scores_hate", "scores_offensive", "scores_spam", "sentiment");
        assertThat(((Struct) out.value()).getFloat64("scores_offensive")).isEqualTo(0.9);
    }

    @Test
    void keysAreSanitizedToSqlColumnNamesAndBooleanValuesKeepTheirType() {
        transform.configure(config("field", "verdicts"));
        Map<String, Boolean> verdicts = new LinkedHashMap<>();
        verdicts.put("Self-Harm", true);
        verdicts.put("hate speech", false);
        verdicts.put("spam", true);
        Struct feedback = new Struct(FEEDBACK)
                .put("eventId", "c-1")
                .put("verdicts", verdicts)
                .put("moderator", "ann")
                .put("time", new Date(0));

        SinkRecord out = transform.apply(sinkRecord("moderation-feedback", FEEDBACK, feedback));

        Struct value = (Struct) out.value();
        assertThat(fieldNames(out.valueSchema()))
                .containsExactly(
                        "eventId",
                        "verdicts_hate_speech",
                        "verdicts_self_harm",
                        "verdicts_spam",
                        "moderator",
                        "time",
                        "text");
        assertThat(value.getBoolean("verdicts_self_harm")).isTrue();
        assertThat(value.getBoolean("verdicts_hate_speech")).isFalse();
        assertThat(out.valueSchema().field("verdicts_spam").schema()).isEqualTo(Schema.OPTIONAL_BOOLEAN_SCHEMA);
    }

    @Test
    void keysThatSanitizeToTheSameColumnAreRefused() {
        assertThatThrownBy(() -> transform.configure(config("field", "scores", "keys", "Hate,hate")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("scores_hate");

        transform.configure(config("field", "scores"));
        Struct event = labeledEvent("c-1", Map.of("Hate", 0.1, "hate", 0.2), List.of());
        assertThatThrownBy(() -> transform.apply(sinkRecord("t", LABELED_EVENT, event)))
                .isInstanceOf(RecordShapeException.class)
                .hasMessageContaining("collide on column 'scores_hate'");
    }

    @Test
    void aColumnThatWouldReplaceAnExistingFieldIsRefused() {
        transform.configure(config("field", "scores", "prefix", "", "keys", "text"));

        assertThatThrownBy(() -> transform.apply(sinkRecord("t", LABELED_EVENT, labeledEvent())))
                .isInstanceOf(RecordShapeException.class)
                .hasMessageContaining("column 'text' would replace field 'text'");
    }

    @Test
    void theOutputSchemaIsBuiltOncePerInputSchemaAndKeySet() {
        transform.configure(config("field", "scores"));
        SchemaBuilder equalButDistinct = SchemaBuilder.struct().name(LABELED_EVENT.name());
        LABELED_EVENT.fields().forEach(f -> equalButDistinct.field(f.name(), f.schema()));
        Struct sameKeys = copyInto(equalButDistinct.build(), labeledEvent()).put("id", "c-2");
        assertThat(sameKeys.schema()).isEqualTo(LABELED_EVENT).isNotSameAs(LABELED_EVENT);

        Schema first =
                transform.apply(sinkRecord("t", LABELED_EVENT, labeledEvent())).valueSchema();
        Schema second =
                transform.apply(sinkRecord("t", sameKeys.schema(), sameKeys)).valueSchema();
        Schema otherKeys = transform
                .apply(sinkRecord("t", LABELED_EVENT, labeledEvent("c-3", Map.of("spam", 1.0), List.of())))
                .valueSchema();

        assertThat(second).isSameAs(first);
        assertThat(otherKeys).isNotSameAs(first);
        assertThat(fieldNames(otherKeys)).contains("scores_spam").doesNotContain("scores_hate");
    }

    @Test
    void theSchemaCacheIsBounded() {
        transform.configure(config("field", "scores"));
        Schema first =
                transform.apply(sinkRecord("t", LABELED_EVENT, labeledEvent())).valueSchema();
        for (int i = 0; i < MapToColumns.SCHEMA_CACHE_SIZE; i++) {
            transform.apply(sinkRecord("t", LABELED_EVENT, labeledEvent("c-" + i, Map.of("k" + i, 0.5), List.of())));
        }

        Schema again =
                transform.apply(sinkRecord("t", LABELED_EVENT, labeledEvent())).valueSchema();

        assertThat(again).isNotSameAs(first).isEqualTo(first);
    }

    @Test
    void aNullOptionalMapGivesNullColumns() {
        Schema schema = SchemaBuilder.struct()
                .field("id", Schema.STRING_SCHEMA)
                .field(
                        "scores",
                        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.FLOAT64_SCHEMA)
                                .optional()
                                .build())
                .build();
        transform.configure(config("field", "scores", "keys", "spam"));

        SinkRecord out = transform.apply(sinkRecord("t", schema, new Struct(schema).put("id", "c-1")));

        assertThat(fieldNames(out.valueSchema())).containsExactly("id", "scores_spam");
        assertThat(((Struct) out.value()).get("scores_spam")).isNull();
    }

    @Test
    void schemalessValuesAreSpreadTheSameWay() {
        transform.configure(config("field", "scores", "prefix", "score_", "keys", "offensive,hate"));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("id", "c-1");
        value.put("scores", Map.of("Offensive", 0.9, "offensive", 0.8, "spam", 0.1));

        SinkRecord out = transform.apply(sinkRecord("t", null, value));

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", "c-1");
        expected.put("score_offensive", 0.8);
        expected.put("score_hate", null);
        assertThat(out.valueSchema()).isNull();
        assertThat(out.value()).isEqualTo(expected);
    }

    @Test
    void aMissingOrMistypedFieldIsRefusedByName() {
        transform.configure(config("field", "verdicts"));
        assertThatThrownBy(() -> transform.apply(sinkRecord("t", LABELED_EVENT, labeledEvent())))
                .isInstanceOf(RecordShapeException.class)
                .hasMessageContaining("no field 'verdicts' in io.streamguard.avro.LabeledEvent");

        transform.configure(config("field", "triggeredLabels"));
        assertThatThrownBy(() -> transform.apply(sinkRecord("t", LABELED_EVENT, labeledEvent())))
                .isInstanceOf(RecordShapeException.class)
                .hasMessageContaining("must be a map with string keys and primitive values, is ARRAY");
    }

    @Test
    void aTombstonePassesThrough() {
        transform.configure(config("field", "scores"));
        SinkRecord tombstone = sinkRecord("t", LABELED_EVENT, null);

        assertThat(transform.apply(tombstone)).isSameAs(tombstone);
    }

    @Test
    void theKeyVariantSpreadsAMapInTheKey() {
        MapToColumns<SinkRecord> onKey = new MapToColumns.Key<>();
        onKey.configure(config("field", "scores", "prefix", "k_"));
        Schema keySchema = SchemaBuilder.struct()
                .field(
                        "scores",
                        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA)
                                .build())
                .build();
        SinkRecord record =
                new SinkRecord("t", 0, keySchema, new Struct(keySchema).put("scores", Map.of("a", 1)), null, "v", 0L);

        SinkRecord out = onKey.apply(record);

        assertThat(((Struct) out.key()).getInt32("k_a")).isEqualTo(1);
        assertThat(out.value()).isEqualTo("v");
        onKey.close();
    }
}
