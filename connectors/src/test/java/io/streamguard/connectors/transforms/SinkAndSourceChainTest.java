package io.streamguard.connectors.transforms;

import static io.streamguard.connectors.transforms.LabeledEvents.EVENT_TIME;
import static io.streamguard.connectors.transforms.LabeledEvents.LABELED_EVENT;
import static io.streamguard.connectors.transforms.LabeledEvents.labeledEvent;
import static io.streamguard.connectors.transforms.LabeledEvents.sinkRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Flatten;
import org.apache.kafka.connect.transforms.RegexRouter;
import org.apache.kafka.connect.transforms.ReplaceField;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.Test;

/**
 * The chains the connector configs declare, ours and Connect's own transforms in order, as a worker runs
 * them: a LabeledEvent becomes a flat row of the moderation_events table; a comments change event a
 * TextEvent on text-events.
 */
class SinkAndSourceChainTest {
    /** The moderation_events sink's transforms, with the settings its connector config gives them. */
    static final Map<String, Map<String, String>> SINK_CHAIN = Map.of(
            "scores", Map.of("field", "scores", "prefix", "score_", "keys", "offensive,hate,spam"),
            "labels", Map.of("field", "triggeredLabels", "delimiter", ","),
            "flatten", Map.of("delimiter", "_"),
            "rename",
                    Map.of(
                            "renames",
                            "triggeredLabels:triggered_labels,modelVersion:model_version,"
                                    + "policyVersion:policy_version,workerId:worker_id,eventTime:event_time,"
                                    + "timings_queueWaitMs:timings_queue_wait_ms,timings_tokenizeMs:timings_tokenize_ms,"
                                    + "timings_modelMs:timings_model_ms,timings_endToEndMs:timings_end_to_end_ms,"
                                    + "timings_batchSize:timings_batch_size"),
            "route", Map.of("regex", "text-labeled", "replacement", "moderation_events"));

    private static <R extends ConnectRecord<R>> Transformation<R> configured(
            Transformation<R> transform, Map<String, String> config) {
        transform.configure(config);
        return transform;
    }

    private static <R extends ConnectRecord<R>> R run(R record, List<Transformation<R>> chain) {
        for (Transformation<R> transform : chain) {
            if (record == null) {
                return null;
            }
            record = transform.apply(record);
        }
        for (Transformation<R> transform : chain) {
            transform.close();
        }
        return record;
    }

    @Test
    void aLabeledEventBecomesAFlatRowOfModerationEvents() {
        List<Transformation<SinkRecord>> chain = List.of(
                configured(new MapToColumns.Value<SinkRecord>(), SINK_CHAIN.get("scores")),
                configured(new JoinArray.Value<SinkRecord>(), SINK_CHAIN.get("labels")),
                configured(new Flatten.Value<SinkRecord>(), SINK_CHAIN.get("flatten")),
                configured(new ReplaceField.Value<SinkRecord>(), SINK_CHAIN.get("rename")),
                configured(new RegexRouter<SinkRecord>(), SINK_CHAIN.get("route")));

        SinkRecord row = run(sinkRecord("text-labeled", LABELED_EVENT, labeledEvent()), chain);

        Struct value = (Struct) row.value();
        assertThat(row.topic()).isEqualTo("moderation_events");
        assertThat(row.valueSchema().fields().stream().map(Field::name))
                .containsExactly(
                        "id",
                        "score_offensive",
                        "score_hate",
                        "score_spam",
                        "sentiment_label",
                        "sentiment_score",
                        "decision",
                        "triggered_labels",
                        "model_version",
                        "policy_version",
                        "truncated",
                        "timings_queue_wait_ms",
                        "timings_tokenize_ms",
                        "timings_model_ms",
                        "timings_end_to_end_ms",
                        "timings_batch_size",
                        "worker_id",
                        "text",
                        "event_time");
        assertThat(row.valueSchema().fields())
                .allSatisfy(f ->
                        assertThat(f.schema().type().isPrimitive()).as(f.name()).isTrue());
        assertThat(value.getString("id")).isEqualTo("c-1");
        assertThat(value.getFloat64("score_offensive")).isEqualTo(0.9);
        assertThat(value.getString("sentiment_label")).isEqualTo("NEGATIVE");
        assertThat(value.getString("decision")).isEqualTo("BLOCK");
        assertThat(value.getString("triggered_labels")).isEqualTo("offensive,hate");
        assertThat(value.getString("policy_version")).isEqualTo("p7");
        assertThat(value.getFloat64("timings_model_ms")).isEqualTo(12.25);
        assertThat(value.getInt32("timings_batch_size")).isEqualTo(8);
        assertThat(value.get("event_time")).isEqualTo(EVENT_TIME);
        assertThat(row.key()).isEqualTo("c-1");
    }

    @Test
    void aCommentsChangeEventBecomesATextEventOnTextEventsAndADeleteNothing() {
        List<Transformation<SourceRecord>> chain = List.of(
                configured(
                        new ChangeEventToTextEvent<SourceRecord>(),
                        Map.of("text.column", "body", "author.column", "author_id", "event.time.column", "created_at")),
                configured(new RegexRouter<SourceRecord>(), Map.of("regex", ".*", "replacement", "text-events")));

        SourceRecord event = run(DebeziumEvents.change("c", null, DebeziumEvents.comment(42, "hi")), chain);
        SourceRecord delete = run(DebeziumEvents.change("d", DebeziumEvents.comment(42, "hi"), null), chain);

        assertThat(event.topic()).isEqualTo("text-events");
        assertThat(event.key()).isEqualTo("comments:42");
        assertThat(((Struct) event.value()).getString("text")).isEqualTo("hi");
        assertThat(delete).isNull();
    }
}
