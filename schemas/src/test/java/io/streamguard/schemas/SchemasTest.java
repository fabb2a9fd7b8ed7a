package io.streamguard.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.avro.Decision;
import io.streamguard.avro.Feedback;
import io.streamguard.avro.LabelPolicy;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.ModerationPolicy;
import io.streamguard.avro.PendingInference;
import io.streamguard.avro.TextEvent;
import io.streamguard.avro.TokenizedEvent;
import io.streamguard.avro.VersionStatus;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/** The generated classes carry the contract the pipeline relies on. */
class SchemasTest {

    @Test
    void textEventNeedsOnlyIdAndText() {
        TextEvent event = TextEvent.newBuilder().setId("1").setText("hi").build();

        assertThat(event.getLanguage()).isNull();
        assertThat(event.getSource()).isNull();
        assertThat(event.getAuthor()).isNull();
        assertThat(event.getEventTime()).isNull();
        assertThat(event.getAttributes()).isEmpty();
    }

    @Test
    void timestampsAreMillisecondInstants() {
        for (Schema schema : List.of(TextEvent.getClassSchema(), LabeledEvent.getClassSchema())) {
            Schema eventTime = schema.getField("eventTime").schema();
            assertThat(eventTime.getTypes())
                    .extracting(Schema::getType)
                    .containsExactly(Schema.Type.NULL, Schema.Type.LONG);
            assertThat(eventTime.getTypes().get(1).getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        }
        assertThat(Feedback.getClassSchema().getField("time").schema().getLogicalType())
                .isEqualTo(LogicalTypes.timestampMillis());
        assertThat(ModelVersion.getClassSchema().getField("createdAt").schema().getLogicalType())
                .isEqualTo(LogicalTypes.timestampMillis());
        assertThat(Feedback.newBuilder()
                        .setEventId("e")
                        .setVerdicts(Map.of("spam", true))
                        .setModerator("m")
                        .setTime(Instant.EPOCH)
                        .build()
                        .getText())
                .isNull();
    }

    @Test
    void labeledEventDefaultsAndDecisionFallback() {
        LabeledEvent event = LabeledEvent.newBuilder()
                .setId("1")
                .setScores(Map.of())
                .setDecision(Decision.ALLOW)
                .setTriggeredLabels(List.of())
                .setModelVersion("m")
                .build();

        assertThat(event.getTruncated()).isFalse();
        assertThat(event.getSentiment()).isNull();
        assertThat(event.getTimings()).isNull();
        assertThat(event.getPolicyVersion()).isNull();
        assertThat(event.getText()).isNull();
        assertThat(Decision.getClassSchema().getEnumDefault()).isEqualTo("REVIEW");
    }

    @Test
    void allRecordsLiveInOneNamespace() {
        assertThat(List.of(
                        TextEvent.getClassSchema(),
                        LabeledEvent.getClassSchema(),
                        Feedback.getClassSchema(),
                        ModelVersion.getClassSchema(),
                        TokenizedEvent.getClassSchema(),
                        ModerationPolicy.getClassSchema(),
                        PendingInference.getClassSchema()))
                .extracting(Schema::getNamespace)
                .containsOnly("io.streamguard.avro");
    }

    @Test
    void tokenizedEventEmbedsTheTextEventSchemaItself() {
        // The same named type: a TextEvent change reaches text-tokenized with no second edit.
        assertThat(TokenizedEvent.getClassSchema().getField("event").schema()).isEqualTo(TextEvent.getClassSchema());
        assertThat(PendingInference.getClassSchema().getField("event").schema())
                .isEqualTo(TokenizedEvent.getClassSchema());
        Schema source = TokenizedEvent.getClassSchema().getField("source").schema();
        assertThat(source.getField("value").schema().getTypes())
                .extracting(Schema::getType)
                .containsExactly(Schema.Type.NULL, Schema.Type.BYTES);
    }

    @Test
    void labelPolicyThresholdsAreOptionalAndEnabledByDefault() {
        LabelPolicy rule = LabelPolicy.newBuilder().setReview(0.5).build();

        assertThat(rule.getBlock()).isNull();
        assertThat(rule.getEnabled()).isTrue();
    }

    @Test
    void aPolicyWrittenWithoutOptionalFieldsIsReadable() {
        // The oldest policy a producer may write: only the required fields.
        Schema minimal = new Schema.Parser().parse("""
                {"type": "record", "name": "ModerationPolicy", "namespace": "io.streamguard.avro", "fields": [
                  {"name": "version", "type": "string"},
                  {"name": "labels", "type": {"type": "map", "values": {"type": "record", "name": "LabelPolicy",
                    "fields": [{"name": "review", "type": ["null", "double"]}]}}},
                  {"name": "updatedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "updatedBy", "type": "string"}]}""");

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(ModerationPolicy.getClassSchema(), minimal)
                        .getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void modelVersionsWrittenBeforeStatusExistedReadAsPromoted() throws Exception {
        // The schema as it was before status/reason/publishedAt: its records are all promoted versions.
        Schema before = new Schema.Parser()
                .parse(ModelVersion.getClassSchema().toString().replaceAll(",\\{\"name\":\"status\".*\\]\\}$", "]}"));
        assertThat(before.getField("status")).isNull();
        assertThat(before.getField("publishedAt")).isNull();
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(ModelVersion.getClassSchema(), before)
                        .getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);

        GenericRecord old = new GenericRecordBuilder(before)
                .set("version", "v1")
                .set("encoderName", "minilm-l6")
                .set("createdAt", 1L)
                .set("labels", List.of("spam"))
                .set("thresholds", Map.of())
                .set("heads", ByteBuffer.wrap(new byte[] {1}))
                .set("metrics", Map.of())
                .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(before).write(old, encoder);
        encoder.flush();
        ModelVersion read = new SpecificDatumReader<ModelVersion>(before, ModelVersion.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(read.getStatus()).isEqualTo(VersionStatus.PROMOTED);
        assertThat(read.getReason()).isNull();
        assertThat(read.getPublishedAt()).isNull();
    }

    /**
     * Routing by language added fields with defaults (and made TokenizedEvent.tokenizer nullable): the new
     * schemas read what the ones before wrote (the registry's BACKWARD rule), with the documented defaults.
     */
    @Test
    void schemasBeforeLanguageRoutingAreReadByTheCurrentOnes() throws Exception {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> before = new java.util.HashMap<>();
        for (String name :
                List.of("TextEvent", "LabeledEvent", "TokenizedEvent", "ModerationPolicy", "PendingInference")) {
            try (var in = getClass().getResourceAsStream("/before-languages/" + name + ".avsc")) {
                before.put(name, parser.parse(in));
            }
        }
        for (Schema current : List.of(
                LabeledEvent.getClassSchema(),
                TokenizedEvent.getClassSchema(),
                ModerationPolicy.getClassSchema(),
                PendingInference.getClassSchema())) {
            Schema writer = before.get(current.getName());
            assertThat(writer).as(current.getName() + " before").isNotEqualTo(current);
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, writer)
                            .getType())
                    .as(current.getName())
                    .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        }

        GenericRecord oldPolicy = new GenericRecordBuilder(before.get("ModerationPolicy"))
                .set("version", "v1")
                .set("labels", Map.of())
                .set("updatedAt", 1L)
                .set("updatedBy", "me")
                .build();
        ModerationPolicy policy = read(oldPolicy, ModerationPolicy.class);
        assertThat(policy.getLanguages()).isEmpty();
        assertThat(policy.getUnsupportedLanguage()).isEqualTo(Decision.REVIEW);

        Schema oldLabeled = before.get("LabeledEvent");
        GenericRecord labeled = new GenericRecordBuilder(oldLabeled)
                .set("id", "e1")
                .set("scores", Map.of("spam", 0.5))
                .set(
                        "decision",
                        new org.apache.avro.generic.GenericData.EnumSymbol(
                                oldLabeled.getField("decision").schema(), "ALLOW"))
                .set("triggeredLabels", List.of())
                .set("modelVersion", "v2")
                .set("language", "en-GB")
                .build();
        LabeledEvent event = read(labeled, LabeledEvent.class);
        assertThat(event.getLanguage()).isEqualTo("en-GB");
        assertThat(event.getEncoderName()).isNull();
        assertThat(event.getUnscoredReason()).isNull();
    }

    /** {@code record}, written with its own schema, read as the generated class. */
    private static <T> T read(GenericRecord record, Class<T> type) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        Schema reader = (Schema) type.getMethod("getClassSchema").invoke(null);
        return new SpecificDatumReader<T>(record.getSchema(), reader)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }

    @Test
    void aTokenizedEventWithoutTokenizerIsAnEventOfALanguageNoEncoderReads() {
        Schema tokenizer = TokenizedEvent.getClassSchema().getField("tokenizer").schema();
        assertThat(tokenizer.getTypes())
                .extracting(Schema::getType)
                .containsExactly(Schema.Type.NULL, Schema.Type.RECORD);
        assertThat(TokenizedEvent.getClassSchema().getField("languageDetected").defaultVal())
                .isEqualTo(false);
    }

    @Test
    void topicsAndSubjects() {
        assertThat(Topics.valueSubject(Topics.TEXT_EVENTS)).isEqualTo("text-events-value");
        assertThat(Topics.keySubject(Topics.MODEL_VERSIONS)).isEqualTo("model-versions-key");
        assertThat(Topics.ALL)
                .extracting(Topics.TopicSpec::name)
                .containsExactly(
                        "text-events",
                        "text-tokenized",
                        "text-labeled",
                        "moderation-review",
                        "moderation-blocked",
                        "text-events-dlq",
                        "moderation-feedback",
                        "model-versions",
                        "moderation-policy");
        assertThat(Topics.ALL)
                .filteredOn(Topics.TopicSpec::compacted)
                .extracting(Topics.TopicSpec::name)
                .containsExactly("model-versions", "moderation-policy");
        assertThat(Topics.TEXT_TOKENIZED).isEqualTo("text-tokenized");
        assertThat(Topics.spec(Topics.MODEL_VERSIONS).configs())
                .isEqualTo(Map.of("cleanup.policy", "compact", "max.message.bytes", "33554432"));
        assertThat(Topics.spec(Topics.MODERATION_POLICY).configs()).isEqualTo(Map.of("cleanup.policy", "compact"));
        assertThat(Topics.spec(Topics.TEXT_EVENTS).configs()).isEmpty();
        assertThat(Topics.spec(Topics.TEXT_EVENTS_DLQ).configs()).isEqualTo(Map.of("max.message.bytes", "2097152"));
        assertThat(Topics.spec(Topics.MODEL_VERSIONS).named("it-versions").newTopic(1))
                .satisfies(t -> assertThat(t.name()).isEqualTo("it-versions"))
                .satisfies(t -> assertThat(t.numPartitions()).isEqualTo(1))
                .satisfies(t -> assertThat(t.configs()).containsEntry("max.message.bytes", "33554432"));
        assertThatThrownBy(() -> Topics.spec("nope")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Topics.spec(Topics.TEXT_EVENTS).newTopic(0))
                .hasMessage("partitions must be >= 1, was 0");
    }
}
