package io.streamguard.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.avro.Decision;
import io.streamguard.avro.Feedback;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.TextEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
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
            assertThat(eventTime.getTypes()).extracting(Schema::getType).containsExactly(Schema.Type.NULL, Schema.Type.LONG);
            assertThat(eventTime.getTypes().get(1).getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        }
        assertThat(Feedback.getClassSchema().getField("time").schema().getLogicalType())
                .isEqualTo(LogicalTypes.timestampMillis());
        assertThat(ModelVersion.getClassSchema().getField("createdAt").schema().getLogicalType())
                .isEqualTo(LogicalTypes.timestampMillis());
        assertThat(Feedback.newBuilder().setEventId("e").setVerdicts(Map.of("spam", true)).setModerator("m")
                .setTime(Instant.EPOCH).build().getText()).isNull();
    }

    @Test
    void labeledEventDefaultsAndDecisionFallback() {
        LabeledEvent event = LabeledEvent.newBuilder()
                .setId("1").setScores(Map.of()).setDecision(Decision.ALLOW)
                .setTriggeredLabels(List.of()).setModelVersion("m").build();

        assertThat(event.getTruncated()).isFalse();
        assertThat(event.getSentiment()).isNull();
        assertThat(event.getTimings()).isNull();
        assertThat(event.getPolicyVersion()).isNull();
        assertThat(event.getText()).isNull();
        assertThat(Decision.getClassSchema().getEnumDefault()).isEqualTo("REVIEW");
    }

    @Test
    void allRecordsLiveInOneNamespace() {
        assertThat(List.of(TextEvent.getClassSchema(), LabeledEvent.getClassSchema(), Feedback.getClassSchema(),
                ModelVersion.getClassSchema())).extracting(Schema::getNamespace).containsOnly("io.streamguard.avro");
    }

    @Test
    void topicsAndSubjects() {
        assertThat(Topics.valueSubject(Topics.TEXT_EVENTS)).isEqualTo("text-events-value");
        assertThat(Topics.keySubject(Topics.MODEL_VERSIONS)).isEqualTo("model-versions-key");
        assertThat(Topics.ALL).extracting(Topics.TopicSpec::name).containsExactly(
                "text-events", "text-labeled", "moderation-review", "moderation-blocked", "text-events-dlq",
                "moderation-feedback", "model-versions", "moderation-policy");
        assertThat(Topics.ALL).filteredOn(Topics.TopicSpec::compacted).extracting(Topics.TopicSpec::name)
                .containsExactly("model-versions", "moderation-policy");
    }
}
