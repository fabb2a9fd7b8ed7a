package io.streamguard.connectors.transforms;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;

/** LabeledEvent and Feedback as the Avro converter hands them to a sink's transforms. */
final class LabeledEvents {
    static final Schema SENTIMENT = SchemaBuilder.struct()
            .name("io.streamguard.avro.Sentiment")
            .field("label", Schema.STRING_SCHEMA)
            .field("score", Schema.FLOAT64_SCHEMA)
            .optional()
            .build();
    static final Schema TIMINGS = SchemaBuilder.struct()
            .name("io.streamguard.avro.Timings")
            .field("queueWaitMs", Schema.INT64_SCHEMA)
            .field("tokenizeMs", Schema.FLOAT64_SCHEMA)
            .field("modelMs", Schema.FLOAT64_SCHEMA)
            .field("endToEndMs", Schema.INT64_SCHEMA)
            .field("batchSize", Schema.INT32_SCHEMA)
            .optional()
            .build();
    static final Schema LABELED_EVENT = SchemaBuilder.struct()
            .name("io.streamguard.avro.LabeledEvent")
            .field("id", Schema.STRING_SCHEMA)
            .field(
                    "scores",
                    SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.FLOAT64_SCHEMA)
                            .build())
            .field("sentiment", SENTIMENT)
            .field("decision", Schema.STRING_SCHEMA)
            .field("triggeredLabels", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
            .field("modelVersion", Schema.STRING_SCHEMA)
            .field("policyVersion", Schema.OPTIONAL_STRING_SCHEMA)
            .field("truncated", SchemaBuilder.bool().defaultValue(false).build())
            .field("timings", TIMINGS)
            .field("workerId", Schema.OPTIONAL_STRING_SCHEMA)
            .field("text", Schema.OPTIONAL_STRING_SCHEMA)
            .field("eventTime", Timestamp.builder().optional().build())
            .field("language", Schema.OPTIONAL_STRING_SCHEMA)
            .field("source", Schema.OPTIONAL_STRING_SCHEMA)
            .field("author", Schema.OPTIONAL_STRING_SCHEMA)
            .field("encoderName", Schema.OPTIONAL_STRING_SCHEMA)
            .field("unscoredReason", Schema.OPTIONAL_STRING_SCHEMA)
            .field("labeledAt", Timestamp.builder().optional().build())
            .build();
    static final Schema FEEDBACK = SchemaBuilder.struct()
            .name("io.streamguard.avro.Feedback")
            .field("eventId", Schema.STRING_SCHEMA)
            .field(
                    "verdicts",
                    SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.BOOLEAN_SCHEMA)
                            .build())
            .field("moderator", Schema.STRING_SCHEMA)
            .field("time", Timestamp.SCHEMA)
            .field("text", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    static final Date EVENT_TIME = new Date(1_765_058_400_123L);
    static final Date LABELED_AT = new Date(1_765_058_400_456L);

    private LabeledEvents() {}

    static Struct labeledEvent(String id, Map<String, Double> scores, List<String> triggered) {
        return new Struct(LABELED_EVENT)
                .put("id", id)
                .put("scores", new LinkedHashMap<>(scores))
                .put("sentiment", new Struct(SENTIMENT).put("label", "NEGATIVE").put("score", 0.8))
                .put("decision", "BLOCK")
                .put("triggeredLabels", triggered)
                .put("modelVersion", "v2")
                .put("policyVersion", "p7")
                .put("truncated", false)
                .put(
                        "timings",
                        new Struct(TIMINGS)
                                .put("queueWaitMs", 3L)
                                .put("tokenizeMs", 0.5)
                                .put("modelMs", 12.25)
                                .put("endToEndMs", 20L)
                                .put("batchSize", 8))
                .put("workerId", "w-1")
                .put("text", "you are awful")
                .put("eventTime", EVENT_TIME)
                .put("language", "en")
                .put("source", "comments")
                .put("author", "a-1")
                .put("encoderName", "minilm-l6")
                .put("labeledAt", LABELED_AT);
    }

    /** A text in a language no encoder reads, as the worker labels it: no scores, model "none", a reason. */
    static Struct unscoredEvent() {
        return labeledEvent("c-ja", Map.of(), List.of())
                .put("sentiment", null)
                .put("decision", "REVIEW")
                .put("modelVersion", "none")
                .put("text", "ばかやろう")
                .put("language", "ja")
                .put("encoderName", null)
                .put("unscoredReason", "unsupported language: ja");
    }

    static Struct labeledEvent() {
        return labeledEvent("c-1", Map.of("offensive", 0.9, "hate", 0.1, "spam", 0.0), List.of("offensive", "hate"));
    }

    /** The fields of {@code from} in a new Struct of {@code schema}, whose extra fields stay null. */
    static Struct copyInto(Schema schema, Struct from) {
        Struct copy = new Struct(schema);
        from.schema().fields().forEach(f -> copy.put(f.name(), from.get(f)));
        return copy;
    }

    static SinkRecord sinkRecord(String topic, Schema schema, Object value) {
        return new SinkRecord(topic, 0, Schema.STRING_SCHEMA, "c-1", schema, value, 42L);
    }
}
