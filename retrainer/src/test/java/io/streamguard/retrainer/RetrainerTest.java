package io.streamguard.retrainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.streamguard.avro.Feedback;
import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.VersionStatus;
import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.versions.ModelVersions;
import io.streamguard.versions.ModelVersionsTopic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The retrainer's loop without a broker: feedback arrives on a {@link MockConsumer}, versions are published to a
 * {@link MockProducer} and read back from it. The test drives the loop one turn at a time ({@link
 * Retrainer#pollOnce()}), so nothing waits on a clock.
 */
class RetrainerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    /** The default gate with a lower minimum: the tiny feedback batches hold back about a dozen texts. */
    private static final Gate GATE = new Gate(0.5, 0.0, 8, Gate.SIGNIFICANCE);

    private final TinyBase tiny = TinyBase.get();
    private final Versions versions = new Versions();
    private final MockConsumer<String, byte[]> feedback = consumer("feedback", 1);

    @Test
    void publishesTheBaseVersionThenPromotesACandidateThatLearnedTheFeedback() {
        Retrainer retrainer = retrainer(TinyBase.settings(49, GATE), feedback);
        assertThat(versions.published()).singleElement().satisfies(v -> {
            assertThat(v.getVersion()).isEqualTo("v1");
            assertThat(v.getStatus()).isEqualTo(VersionStatus.PROMOTED);
            assertThat(v.getReason()).isEqualTo("base version from v1.json");
            assertThat(v.getLineage()).containsEntry("source", tiny.v1File.toString());
            assertThat(v.getPublishedAt()).isEqualTo(NOW);
        });

        List<FeedbackExample> notices = TinyBase.distinctNotices(49, Map.of("spam", false));
        send(feedback, notices.subList(0, 48), 0);
        retrainer.pollOnce();
        assertThat(retrainer.outcomes()).as("48 verdicts: not due yet").isEmpty();
        assertThat(retrainer.newVerdicts()).isEqualTo(48);
        send(feedback, notices.subList(48, 49), 48);
        retrainer.pollOnce();

        assertThat(retrainer.outcomes()).singleElement().satisfies(o -> {
            System.out.println("RetrainerTest: distinct notices: " + o.reason());
            assertThat(o.version()).isEqualTo("v2");
            assertThat(o.parent()).isEqualTo("v1");
            assertThat(o.promoted()).as(o.reason()).isTrue();
            assertThat(o.reason())
                    .startsWith("promoted: held-back feedback accuracy")
                    .contains("independent verdicts (0 near-copies not counted)", "McNemar exact one-sided p=");
            assertThat(o.trainVerdicts() + o.heldOutVerdicts()).isEqualTo(49);
            assertThat(o.heldOutVerdicts()).isGreaterThanOrEqualTo(GATE.minHeldBack());
        });
        ModelVersion v2 = versions.published().get(1);
        assertThat(v2.getVersion()).isEqualTo("v2");
        assertThat(v2.getStatus()).isEqualTo(VersionStatus.PROMOTED);
        assertThat(v2.getParentVersion()).isEqualTo("v1");
        assertThat(v2.getPublishedAt()).isAfter(NOW);
        assertThat(Lineage.parseOffsets(v2.getLineage().get(Lineage.FEEDBACK_OFFSETS)))
                .isEqualTo(Map.of(0, 49L));
        assertThat(v2.getLineage())
                .containsEntry("parent", "v1")
                .containsEntry("retrained", "spam")
                .containsEntry(ModelVersions.TRIGGER, "49 new verdicts (trigger 49)")
                .hasEntrySatisfying(
                        ModelVersions.PUBLISHED_BY, by -> assertThat(by).startsWith("retrainer "));
        assertThat(v2.getMetrics()).containsKeys("spam.f1", "feedback.accuracy");
        assertThat(ModelVersions.heads(v2).version()).isEqualTo("v2");
        assertThat(retrainer.live().version()).isEqualTo("v2");
        assertThat(retrainer.newVerdicts()).isZero();

        // A restart re-reads all feedback, but the verdicts v2 was trained on do not trigger again.
        MockConsumer<String, byte[]> again = consumer("feedback", 1);
        Retrainer restarted = retrainer(TinyBase.settings(49, GATE), again);
        assertThat(restarted.live().version()).isEqualTo("v2");
        send(again, notices, 0);
        restarted.pollOnce();
        assertThat(restarted.newVerdicts()).isZero();
        assertThat(restarted.outcomes()).isEmpty();
        assertThat(versions.published()).hasSize(2);
    }

    @Test
    void aCandidateTheGateRejectsIsPublishedAsRejectedAndTheLiveVersionStays() {
        // Verdicts the live version already gets right: held-back accuracy cannot improve.
        Retrainer retrainer = retrainer(TinyBase.settings(49, GATE), feedback);
        send(feedback, TinyBase.distinctNotices(49, Map.of("spam", true)), 0);
        retrainer.pollOnce();

        Retrainer.Outcome outcome = retrainer.outcomes().get(0);
        assertThat(outcome.promoted()).isFalse();
        assertThat(outcome.reason())
                .startsWith("rejected: held-back feedback accuracy 1.0000 -> ")
                .endsWith(" did not improve");
        assertThat(versions.published())
                .extracting(ModelVersion::getVersion, ModelVersion::getStatus)
                .containsExactly(tuple("v1", VersionStatus.PROMOTED), tuple("v2", VersionStatus.REJECTED));
        assertThat(versions.published().get(1).getReason()).isEqualTo(outcome.reason());
        assertThat(retrainer.live().version()).isEqualTo("v1");
    }

    @Test
    void twentyNearCopiesAreNotEnoughIndependentEvidence() {
        // The batch: one template with the number, shop and place swapped, all judged "not spam".
        // Ids whose group the hash sends to training, as the 17 trained + 3 held back would be now.
        String prefix = Stream.of("a", "b", "c", "d", "e", "f", "g", "h")
                .filter(p -> !Holdout.heldOut("copy-" + p + "-0", 25))
                .findFirst()
                .orElseThrow();
        Retrainer retrainer = retrainer(TinyBase.settings(20, GATE), feedback);
        send(
                feedback,
                TinyBase.deliveryNotices(20).stream()
                        .map(e -> new FeedbackExample(
                                e.eventId().replace("notice-", "copy-" + prefix + "-"),
                                e.text(),
                                e.verdicts(),
                                e.partition(),
                                e.offset()))
                        .toList(),
                0);
        retrainer.pollOnce();

        Retrainer.Outcome outcome = retrainer.outcomes().get(0);
        System.out.println("RetrainerTest: near-copies: " + outcome.reason());
        assertThat(outcome.promoted()).isFalse();
        assertThat(outcome.reason())
                .isEqualTo("rejected: not enough independent evidence: 0 held-back verdicts (0 near-copies not"
                        + " counted), at least 8 needed");
        assertThat(outcome.trainVerdicts())
                .as("the group went to training whole")
                .isEqualTo(20);
        assertThat(retrainer.live().version()).isEqualTo("v1");
    }

    @Test
    void aRandomLabelBatchIsRejected() {
        Random random = new Random(11);
        List<FeedbackExample> batch = TinyBase.distinctNotices(49, Map.of()).stream()
                .map(e -> new FeedbackExample(
                        e.eventId(), e.text(), Map.of("spam", random.nextBoolean()), e.partition(), e.offset()))
                .toList();
        Retrainer retrainer = retrainer(TinyBase.settings(49, GATE), feedback);
        send(feedback, batch, 0);
        retrainer.pollOnce();

        Retrainer.Outcome outcome = retrainer.outcomes().get(0);
        System.out.println("RetrainerTest: random labels: " + outcome.reason());
        assertThat(outcome.promoted()).as(outcome.reason()).isFalse();
        assertThat(outcome.reason()).startsWith("rejected: ");
        assertThat(retrainer.live().version()).isEqualTo("v1");
    }

    @Test
    void verdictsOnNoLabelOfTheModelPublishNothing() {
        Retrainer retrainer = retrainer(TinyBase.settings(2, Gate.defaults()), feedback);
        send(
                feedback,
                List.of(
                        new FeedbackExample("e1", "a text", Map.of("violence", true), 0, 0),
                        new FeedbackExample("e2", "another text", Map.of("violence", false), 0, 1)),
                0);
        retrainer.pollOnce();

        assertThat(retrainer.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.version()).isNull();
            assertThat(o.promoted()).isFalse();
            assertThat(o.reason()).startsWith("nothing to learn: the ").endsWith(" name no label of v1");
        });
        assertThat(versions.published()).hasSize(1);
        assertThat(retrainer.newVerdicts()).isZero();
    }

    @Test
    void aLiveVersionTunedWithOtherAdaptersIsNotRetrainedOnThisEncodersFeatures() {
        Retrainer retrainer = retrainer(TinyBase.settings(2, GATE), feedback);
        // Someone promotes a fine-tuned version; this retrainer's encoder has no adapters merged.
        LowRankAdapters adapters = new LowRankAdapters(
                1,
                2f,
                Map.of(
                        "encoder.layer.0.attention.self.query.weight",
                        new LowRankAdapters.Pair(2, 2, new float[] {0.5f, -0.5f}, new float[] {0.25f, 0.125f})));
        HeadsModel tuned = tiny.v1.withAdapters(adapters).withVersion("v7", tiny.v1.provenance());
        versions.topic.publish(
                ModelVersions.toAvro(tuned, VersionStatus.PROMOTED, "fine-tuned", Map.of(), NOW.plusSeconds(60)));

        send(feedback, TinyBase.deliveryNotices(2), 0);
        retrainer.pollOnce();
        retrainer.pollOnce(); // still due: the skip is not repeated

        assertThat(retrainer.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.promoted()).isFalse();
            assertThat(o.version()).isNull();
            assertThat(o.parent()).isEqualTo("v7");
            assertThat(o.reason()).contains("fine-tuned with other adapters", "restart the retrainer");
        });
        assertThat(versions.published())
                .as("nothing published after the tuned version")
                .hasSize(2);
        assertThat(retrainer.newVerdicts())
                .as("the verdicts wait for a retrainer on v7's encoder")
                .isEqualTo(2);
    }

    @Test
    void aChineseRetrainerNeverTriggersOnEnglishFeedbackAndRetrainsOnChineseFeedback() {
        TinyChinese zh = TinyChinese.get();
        Retrainer retrainer = retrainer(TinyBase.settings(10, GATE), feedback, zh.v1File, zh.base, zh.encoder);
        assertThat(versions.published()).singleElement().satisfies(v -> {
            assertThat(v.getEncoderName()).isEqualTo("bge-small-zh");
            assertThat(v.getLabels()).containsExactly("offensive");
        });

        // English verdicts on every label, five times the trigger: none is the Chinese encoder's.
        send(feedback, TinyBase.distinctNotices(49, Map.of("spam", false, "offensive", false)), 0);
        retrainer.pollOnce();
        retrainer.pollOnce();
        assertThat(retrainer.newVerdicts()).isZero();
        assertThat(retrainer.otherVerdicts()).isEqualTo(49);
        assertThat(retrainer.outcomes()).isEmpty();
        assertThat(versions.published()).as("only the base version").hasSize(1);

        send(feedback, TinyChinese.teasing(10), 49);
        retrainer.pollOnce();
        assertThat(retrainer.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.parent()).isEqualTo("v1");
            assertThat(o.trainVerdicts() + o.heldOutVerdicts())
                    .as("the Chinese verdicts only")
                    .isEqualTo(10);
        });
        assertThat(versions.published()).last().satisfies(v -> {
            assertThat(v.getEncoderName()).isEqualTo("bge-small-zh");
            assertThat(v.getLineage())
                    .containsEntry("retrained", "offensive")
                    .containsEntry("data.language", "zh")
                    .containsEntry(Lineage.FEEDBACK_OFFSETS, "0:0-59");
        });
    }

    @Test
    void eachEncoderHasItsOwnVersionNamesOnTheSharedTopic() {
        TinyChinese zh = TinyChinese.get();
        retrainer(TinyBase.settings(10, GATE), feedback);
        Retrainer chinese =
                retrainer(TinyBase.settings(10, GATE), consumer("feedback", 1), zh.v1File, zh.base, zh.encoder);
        assertThat(versions.published())
                .extracting(ModelVersion::getVersion, ModelVersion::getEncoderName)
                .containsExactly(tuple("v1", "minilm-l6"), tuple("v1", "bge-small-zh"));
        assertThat(chinese.live().version()).isEqualTo("v1");
        // Keyed encoder/version: the Chinese v1 does not replace the English one under compaction.
        assertThat(versions.topic.readAll()).containsOnlyKeys("minilm-l6/v1", "bge-small-zh/v1");

        Retrainer restarted =
                retrainer(TinyBase.settings(10, GATE), consumer("feedback", 1), zh.v1File, zh.base, zh.encoder);
        assertThat(restarted.live().version()).isEqualTo("v1");
        assertThat(versions.published())
                .as("found live, nothing published again")
                .hasSize(2);
    }

    @Test
    void anEnglishRetrainerSkipsChineseFeedback() {
        Retrainer retrainer = retrainer(TinyBase.settings(5, GATE), feedback);
        send(feedback, TinyChinese.teasing(20), 0);
        retrainer.pollOnce();
        assertThat(retrainer.newVerdicts()).isZero();
        assertThat(retrainer.otherVerdicts()).isEqualTo(20);
        assertThat(retrainer.outcomes()).isEmpty();
    }

    @Test
    void aLabeledEventsEncoderIsReadOnlyIfItsSchemaHasTheField() {
        org.apache.avro.Schema without = org.apache.avro.SchemaBuilder.record("LabeledEvent")
                .fields()
                .requiredString("id")
                .endRecord();
        org.apache.avro.Schema with = org.apache.avro.SchemaBuilder.record("LabeledEvent")
                .fields()
                .requiredString("id")
                .optionalString(Retrainer.ENCODER_NAME)
                .endRecord();
        org.apache.avro.generic.GenericData.Record old = new org.apache.avro.generic.GenericData.Record(without);
        old.put("id", "e1");
        org.apache.avro.generic.GenericData.Record scored = new org.apache.avro.generic.GenericData.Record(with);
        scored.put("id", "e1");
        assertThat(Retrainer.optionalString(old, Retrainer.ENCODER_NAME)).isNull();
        assertThat(Retrainer.optionalString(scored, Retrainer.ENCODER_NAME)).isNull();
        scored.put(Retrainer.ENCODER_NAME, new org.apache.avro.util.Utf8("bge-small-zh"));
        assertThat(Retrainer.optionalString(scored, Retrainer.ENCODER_NAME)).isEqualTo("bge-small-zh");
    }

    @Test
    void undecodableFeedbackIsSkipped() {
        Retrainer retrainer = retrainer(TinyBase.settings(2, Gate.defaults()), feedback);
        feedback.addRecord(new ConsumerRecord<>("feedback", 0, 0, "bad", new byte[] {1, 2, 3}));
        feedback.addRecord(new ConsumerRecord<>("feedback", 0, 1, "tombstone", null));
        send(feedback, TinyBase.deliveryNotices(1), 2);
        retrainer.pollOnce();
        assertThat(retrainer.newVerdicts()).isEqualTo(1);
        assertThat(retrainer.outcomes()).isEmpty();
    }

    private Retrainer retrainer(RetrainerSettings settings, MockConsumer<String, byte[]> consumer) {
        return retrainer(settings, consumer, tiny.v1File, tiny.base, tiny.encoder);
    }

    /** A retrainer of {@code baseHeads}' encoder, on {@code base} and {@code encoder}'s features. */
    private Retrainer retrainer(
            RetrainerSettings settings,
            MockConsumer<String, byte[]> consumer,
            java.nio.file.Path baseHeads,
            BaseData base,
            io.streamguard.model.encoder.LoadedEncoder encoder) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        String encoderId = encoder.encoder().info().id();
        Retraining retraining = new Retraining(
                settings,
                encoderId,
                baseHeads,
                tasks -> {
                    assertThat(tasks).as("the live heads' tasks with data").isEqualTo(base.tasks());
                    return base;
                },
                new FeedbackFeatures(encoder),
                versions.topic,
                clock);
        Retrainer retrainer = new Retrainer(
                settings,
                clock,
                consumer,
                (topic, bytes) -> decode(bytes),
                (topic, bytes) -> {
                    throw new AssertionError("no labeled events in these tests");
                },
                retraining,
                versions.topic,
                FeedbackRouting.of(encoderId),
                () -> {});
        retrainer.init();
        return retrainer;
    }

    private static void send(MockConsumer<String, byte[]> consumer, List<FeedbackExample> examples, long offset) {
        for (FeedbackExample e : examples) {
            Feedback f = Feedback.newBuilder()
                    .setEventId(e.eventId())
                    .setVerdicts(e.verdicts())
                    .setModerator("test")
                    .setTime(NOW)
                    .setText(e.text())
                    .build();
            try {
                ByteBuffer bytes = Feedback.getEncoder().encode(f);
                byte[] array = new byte[bytes.remaining()];
                bytes.get(array);
                consumer.addRecord(new ConsumerRecord<>("feedback", 0, offset++, e.eventId(), array));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private static Feedback decode(byte[] bytes) {
        try {
            return Feedback.getDecoder().decode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MockConsumer<String, byte[]> consumer(String topic, long end) {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        TopicPartition tp = new TopicPartition(topic, 0);
        consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, Node.noNode(), new Node[0], new Node[0])));
        consumer.updateBeginningOffsets(Map.of(tp, 0L));
        consumer.updateEndOffsets(Map.of(tp, end));
        return consumer;
    }

    /** A model-versions topic on mocks: what the producer sent is what the next read returns. */
    private static final class Versions {
        final MockProducer<String, ModelVersion> producer =
                new MockProducer<>(true, null, new StringSerializer(), (topic, v) -> new byte[0]);
        final ModelVersionsTopic topic = new ModelVersionsTopic(
                "versions",
                this::reader,
                bytes -> producer.history().get(ByteBuffer.wrap(bytes).getInt()).value(),
                producer,
                Duration.ofSeconds(10));

        List<ModelVersion> published() {
            return producer.history().stream().map(ProducerRecord::value).toList();
        }

        private MockConsumer<String, byte[]> reader() {
            List<ProducerRecord<String, ModelVersion>> sent = producer.history();
            MockConsumer<String, byte[]> reader = consumer("versions", sent.size());
            reader.schedulePollTask(() -> {
                for (int i = 0; i < sent.size(); i++) {
                    reader.addRecord(new ConsumerRecord<>(
                            "versions",
                            0,
                            i,
                            sent.get(i).key(),
                            ByteBuffer.allocate(4).putInt(i).array()));
                }
            });
            return reader;
        }
    }
}
