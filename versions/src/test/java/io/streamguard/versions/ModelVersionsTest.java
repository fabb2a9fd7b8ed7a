package io.streamguard.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.VersionStatus;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.TestHeads;
import io.streamguard.model.heads.Thresholds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The record codec, the "which version is live" rule, and reading/publishing the topic (no broker). */
class ModelVersionsTest {

    private static final String TOPIC = "model-versions";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static HeadsModel heads(String version, String encoder) {
        return TestHeads.random(version, 7, encoder, "vocab", 8, Feature.MEAN, 128);
    }

    private static ModelVersion record(String version, VersionStatus status, Instant publishedAt) {
        return ModelVersions.toAvro(
                heads(version, "minilm-l6"), status, "why", Map.of("b", "2", "a", "1"), publishedAt);
    }

    @Test
    void aRecordCarriesTheHeadsItsThresholdsAndFlattenedMetrics() {
        HeadsModel heads = heads("v2", "minilm-l6");
        ModelVersion v = ModelVersions.toAvro(heads, VersionStatus.PROMOTED, "because", Map.of("parent", "v1"), T0);
        assertThat(v.getVersion()).isEqualTo("v2");
        assertThat(v.getEncoderName()).isEqualTo("minilm-l6");
        assertThat(v.getCreatedAt()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(v.getMetrics()).containsEntry("hate.macroF1", 0.5).containsEntry("sentiment.accuracy", 0.5);
        assertThat(v.getLineage()).containsExactly(Map.entry("parent", "v1"));
        assertThat(ModelVersions.thresholds(v)).containsEntry("spam", new Thresholds(0.6, 0.95));
        assertThat(HeadsFile.toJson(ModelVersions.heads(v))).isEqualTo(HeadsFile.toJson(heads));
        assertThat(ModelVersions.publishedAt(v)).isEqualTo(T0);
        v.setPublishedAt(null);
        assertThat(ModelVersions.publishedAt(v)).as("older records: createdAt").isEqualTo(v.getCreatedAt());
    }

    @Test
    void theLiveVersionIsTheLatestPromotedOfTheEncoder() {
        ModelVersion v1 = record("v1", VersionStatus.PROMOTED, T0);
        ModelVersion v2 = record("v2", VersionStatus.PROMOTED, T0.plusSeconds(10));
        ModelVersion v3 = record("v3", VersionStatus.REJECTED, T0.plusSeconds(20));
        ModelVersion rollback = record("v1", VersionStatus.PROMOTED, T0.plusSeconds(30));
        ModelVersion bert = ModelVersions.toAvro(
                heads("b1", "bert-base-uncased"), VersionStatus.PROMOTED, null, Map.of(), T0.plusSeconds(40));
        assertThat(ModelVersions.live(List.of(v1, v2, v3, bert), "minilm-l6")).contains(v2);
        assertThat(ModelVersions.live(List.of(v2, v3, rollback), "minilm-l6")).contains(rollback);
        assertThat(ModelVersions.live(List.of(v3), "minilm-l6")).isEmpty();
        assertThat(ModelVersions.byPublication(List.of(v3, bert, v1, v2))).containsExactly(v1, v2, v3, bert);
    }

    @Test
    void readAllKeepsTheLatestRecordPerEncoderAndVersionInArrivalOrderAndHonoursTombstones() {
        ModelVersion chinese = ModelVersions.toAvro(
                heads("v1", "bge-small-zh"), VersionStatus.PROMOTED, "why", Map.of(), T0.plusSeconds(3));
        List<ModelVersion> records = List.of(
                record("v1", VersionStatus.PROMOTED, T0),
                record("v2", VersionStatus.REJECTED, T0.plusSeconds(1)),
                record("v1", VersionStatus.PROMOTED, T0.plusSeconds(2)),
                chinese);
        // The first record is keyed the way records were before keys named the encoder.
        List<String> keys = List.of("v1", "minilm-l6/v2", "minilm-l6/v1", "bge-small-zh/v1");
        MockConsumer<String, byte[]> consumer = consumer(5);
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < records.size(); i++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, keys.get(i), new byte[] {(byte) i}));
            }
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 4, "minilm-l6/v2", null));
        });
        Map<String, ModelVersion> all =
                ModelVersionsTopic.readAll(consumer, TOPIC, b -> records.get(b[0]), Duration.ofSeconds(10));
        assertThat(all.keySet()).containsExactly("minilm-l6/v1", "bge-small-zh/v1");
        assertThat(all.get("minilm-l6/v1")).isSameAs(records.get(2));
        assertThat(ModelVersions.named(all.values(), "v1", null)).hasSize(2);
        assertThat(ModelVersions.named(all.values(), "v1", "bge-small-zh")).containsExactly(chinese);
        assertThat(ModelVersions.namesOf(all.values(), "bge-small-zh")).containsExactly("v1");
    }

    @Test
    void readAllOfAMissingTopicIsEmptyAndAStuckReadTimesOut() {
        MockConsumer<String, byte[]> missing = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        assertThat(ModelVersionsTopic.readAll(missing, TOPIC, b -> null, Duration.ofSeconds(1)))
                .isEmpty();
        MockConsumer<String, byte[]> stuck = consumer(1);
        assertThatThrownBy(() -> ModelVersionsTopic.readAll(stuck, TOPIC, b -> null, Duration.ofMillis(300)))
                .isInstanceOf(TimeoutException.class)
                .hasMessage("timed out reading " + TOPIC);
    }

    @Test
    void publishSendsTheRecordUnderItsEncoderAndVersion() {
        MockProducer<String, ModelVersion> producer =
                new MockProducer<>(true, null, new StringSerializer(), (topic, v) -> new byte[0]);
        ModelVersion v = record("v4", VersionStatus.PROMOTED, T0);
        try (ModelVersionsTopic topic =
                new ModelVersionsTopic(TOPIC, () -> consumer(0), b -> null, producer, Duration.ofSeconds(5))) {
            topic.publish(v);
            assertThat(topic.readAll()).isEmpty();
        }
        assertThat(producer.history()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo(TOPIC);
            assertThat(r.key()).isEqualTo("minilm-l6/v4");
            assertThat(r.value()).isSameAs(v);
        });
        assertThat(producer.closed()).isTrue();
    }

    @Test
    void clientConfigsFitOneWholeHeadsFile() {
        assertThat(ModelVersionsTopic.readerConfig(Map.of("bootstrap.servers", "b:9092", "group.id", "g")))
                .containsEntry("bootstrap.servers", "b:9092")
                .doesNotContainKey("group.id")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("max.partition.fetch.bytes", "33554432");
        assertThat(ModelVersionsTopic.writerConfig(Map.of()))
                .containsEntry("acks", "all")
                .containsEntry("max.request.size", "33554432")
                .containsEntry("compression.type", "zstd");
    }

    private static MockConsumer<String, byte[]> consumer(long end) {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
        consumer.updateBeginningOffsets(Map.of(tp, 0L));
        consumer.updateEndOffsets(Map.of(tp, end));
        return consumer;
    }

    @Test
    void aNewRecordIsPublishedNowOrJustAfterTheLatestWhicheverIsLater() {
        List<ModelVersion> all = List.of(
                record("v1", VersionStatus.PROMOTED, T0), record("v2", VersionStatus.REJECTED, T0.plusSeconds(5)));
        assertThat(ModelVersions.nextPublishTime(all, T0.plusSeconds(60))).isEqualTo(T0.plusSeconds(60));
        assertThat(ModelVersions.nextPublishTime(all, T0.plusSeconds(1)))
                .isEqualTo(T0.plusSeconds(5).plusMillis(1));
        assertThat(ModelVersions.nextPublishTime(List.of(), T0)).isEqualTo(T0);
    }
}
