package io.streamguard.connectors.transforms;

import static io.streamguard.connectors.transforms.LabeledEvents.LABELED_EVENT;
import static io.streamguard.connectors.transforms.LabeledEvents.labeledEvent;
import static io.streamguard.connectors.transforms.LabeledEvents.sinkRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JoinArrayTest {
    private static final Schema OPTIONAL_INTS = SchemaBuilder.struct()
            .field("id", Schema.STRING_SCHEMA)
            .field(
                    "ranks",
                    SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).optional().build())
            .build();

    private final JoinArray<SinkRecord> transform = new JoinArray.Value<>();

    @AfterEach
    void close() {
        transform.close();
    }

    @Test
    void triggeredLabelsBecomeOneStringInTheirPlace() {
        transform.configure(Map.of("field", "triggeredLabels"));

        SinkRecord out = transform.apply(sinkRecord("text-labeled", LABELED_EVENT, labeledEvent()));

        assertThat(((Struct) out.value()).getString("triggeredLabels")).isEqualTo("offensive,hate");
        assertThat(out.valueSchema().field("triggeredLabels").schema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(out.valueSchema().fields().stream().map(Field::name).toList())
                .isEqualTo(LABELED_EVENT.fields().stream().map(Field::name).toList());
        assertThat(((Struct) out.value()).getString("modelVersion")).isEqualTo("v2");
    }

    @Test
    void theDelimiterIsConfigurableAndAnEmptyArrayIsTheEmptyString() {
        transform.configure(Map.of("field", "triggeredLabels", "delimiter", "|"));

        Struct joined = (Struct)
                transform.apply(sinkRecord("t", LABELED_EVENT, labeledEvent())).value();
        Struct empty = (Struct) transform
                .apply(sinkRecord("t", LABELED_EVENT, labeledEvent("c-2", Map.of(), List.of())))
                .value();

        assertThat(joined.getString("triggeredLabels")).isEqualTo("offensive|hate");
        assertThat(empty.getString("triggeredLabels")).isEmpty();
    }

    @Test
    void aNullArrayStaysNullInAnOptionalColumnAndNumbersAreWrittenAsText() {
        transform.configure(Map.of("field", "ranks"));

        SinkRecord nulls = transform.apply(sinkRecord("t", OPTIONAL_INTS, new Struct(OPTIONAL_INTS).put("id", "a")));
        SinkRecord numbers = transform.apply(sinkRecord(
                "t", OPTIONAL_INTS, new Struct(OPTIONAL_INTS).put("id", "b").put("ranks", Arrays.asList(3, null, 1))));

        assertThat(((Struct) nulls.value()).getString("ranks")).isNull();
        assertThat(nulls.valueSchema().field("ranks").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(((Struct) numbers.value()).getString("ranks")).isEqualTo("3,,1");
        assertThat(numbers.valueSchema()).isSameAs(nulls.valueSchema());
    }

    @Test
    void anArrayOfStructsIsRefused() {
        transform.configure(Map.of("field", "nested"));
        Schema schema = SchemaBuilder.struct()
                .field("nested", SchemaBuilder.array(LabeledEvents.SENTIMENT).build())
                .build();

        assertThatThrownBy(() -> transform.apply(sinkRecord("t", schema, new Struct(schema).put("nested", List.of()))))
                .isInstanceOf(RecordShapeException.class)
                .hasMessageContaining("must be an array of primitives, is ARRAY of STRUCT");
    }

    @Test
    void schemalessValuesAreJoinedToo() {
        transform.configure(Map.of("field", "labels"));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("id", "c-1");
        value.put("labels", List.of("spam", "hate"));

        SinkRecord out = transform.apply(sinkRecord("t", null, value));

        assertThat(out.value()).isEqualTo(Map.of("id", "c-1", "labels", "spam,hate"));
    }
}
