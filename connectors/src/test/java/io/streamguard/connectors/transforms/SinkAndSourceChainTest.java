package io.streamguard.connectors.transforms;

import static io.streamguard.connectors.transforms.LabeledEvents.EVENT_TIME;
import static io.streamguard.connectors.transforms.LabeledEvents.LABELED_EVENT;
import static io.streamguard.connectors.transforms.LabeledEvents.labeledEvent;
import static io.streamguard.connectors.transforms.LabeledEvents.sinkRecord;
import static io.streamguard.connectors.transforms.LabeledEvents.unscoredEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.RegexRouter;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.Test;

/**
 * The chains the connector configs declare, ours and Connect's own transforms in order, as a worker runs
 * them: a LabeledEvent becomes a flat row of the moderation_events table (read from the committed sink
 * configs); a comments change event a TextEvent on text-events.
 */
class SinkAndSourceChainTest {
    /**
     * The transforms chain of a connector config in {@code connectors/config/}, as a worker builds it: each
     * name of {@code transforms} in order, its {@code type} instantiated and configured with its own keys.
     * Read from the committed file, so a column the config leaves unrenamed shows up here.
     */
    @SuppressWarnings("unchecked")
    static List<Transformation<SinkRecord>> sinkChain(String configFile) throws Exception {
        String json = Files.readString(Path.of("config", configFile));
        Map<String, String> config = new LinkedHashMap<>();
        Matcher m =
                Pattern.compile("\"(transforms[^\"]*)\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        while (m.find()) {
            config.put(m.group(1), m.group(2));
        }
        List<Transformation<SinkRecord>> chain = new ArrayList<>();
        for (String name : config.get("transforms").split(",")) {
            String prefix = "transforms." + name.trim() + ".";
            Map<String, String> own = new HashMap<>();
            config.forEach((k, v) -> {
                if (k.startsWith(prefix) && !k.equals(prefix + "type")) {
                    own.put(k.substring(prefix.length()), v);
                }
            });
            Transformation<SinkRecord> t = (Transformation<SinkRecord>) Class.forName(config.get(prefix + "type"))
                    .getDeclaredConstructor()
                    .newInstance();
            chain.add(configured(t, own));
        }
        return chain;
    }

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
    void aLabeledEventBecomesAFlatRowOfModerationEvents() throws Exception {
        SinkRecord row = run(
                sinkRecord("text-labeled", LABELED_EVENT, labeledEvent()), sinkChain("moderation-events-sink.json"));

        Struct value = (Struct) row.value();
        assertThat(row.valueSchema().fields().stream().map(Field::name))
                .containsExactly(
                        "id",
                        "score_hate",
                        "score_offensive",
                        "score_spam",
                        "sentiment_label",
                        "sentiment_score",
                        "decision",
                        "triggered_labels",
                        "model_version",
                        "policy_version",
                        "truncated",
                        "queue_wait_ms",
                        "tokenize_ms",
                        "model_ms",
                        "end_to_end_ms",
                        "batch_size",
                        "worker_id",
                        "text",
                        "event_time",
                        "language",
                        "source",
                        "author",
                        "encoder_name",
                        "unscored_reason",
                        "labeled_at");
        assertThat(row.valueSchema().fields())
                .allSatisfy(f ->
                        assertThat(f.schema().type().isPrimitive()).as(f.name()).isTrue());
        assertThat(value.getString("id")).isEqualTo("c-1");
        assertThat(value.getFloat64("score_offensive")).isEqualTo(0.9);
        assertThat(value.getString("sentiment_label")).isEqualTo("NEGATIVE");
        assertThat(value.getString("decision")).isEqualTo("BLOCK");
        assertThat(value.getString("triggered_labels")).isEqualTo("offensive,hate");
        assertThat(value.getString("policy_version")).isEqualTo("p7");
        assertThat(value.getFloat64("model_ms")).isEqualTo(12.25);
        assertThat(value.getInt32("batch_size")).isEqualTo(8);
        assertThat(value.get("event_time")).isEqualTo(EVENT_TIME);
        assertThat(value.getString("language")).isEqualTo("en");
        assertThat(value.getString("encoder_name")).isEqualTo("minilm-l6");
        assertThat(value.getString("unscored_reason")).isNull();
        assertThat(row.key()).isEqualTo("c-1");
    }

    @Test
    void anUnscoredEventIsARowWithItsLanguageAndReasonAndNoScoresOrEncoder() throws Exception {
        for (String config : List.of("moderation-events-sink.json", "moderation-scorings-sink.json")) {
            SinkRecord row = run(sinkRecord("text-labeled", LABELED_EVENT, unscoredEvent()), sinkChain(config));

            Struct value = (Struct) row.value();
            assertThat(row.valueSchema().fields().stream().map(Field::name))
                    .as(config)
                    .contains("language", "encoder_name", "unscored_reason", "model_version")
                    .noneMatch(name -> name.startsWith("score_") || name.matches(".*[A-Z].*"));
            assertThat(value.getString("language")).isEqualTo("ja");
            assertThat(value.getString("encoder_name")).isNull();
            assertThat(value.getString("unscored_reason")).isEqualTo("unsupported language: ja");
            assertThat(value.getString("model_version")).isEqualTo("none");
            assertThat(value.getString("decision")).isEqualTo("REVIEW");
        }
    }

    @Test
    void theScoringsSinkHasTheEventsColumnsButTextAndAuthor() throws Exception {
        SinkRecord event = run(
                sinkRecord("text-labeled", LABELED_EVENT, labeledEvent()), sinkChain("moderation-events-sink.json"));
        SinkRecord scoring = run(
                sinkRecord("text-labeled", LABELED_EVENT, labeledEvent()), sinkChain("moderation-scorings-sink.json"));

        List<String> eventColumns = new ArrayList<>(
                event.valueSchema().fields().stream().map(Field::name).toList());
        eventColumns.removeAll(List.of("text", "author"));
        assertThat(scoring.valueSchema().fields().stream().map(Field::name)).containsExactlyElementsOf(eventColumns);
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
