package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.VersionStatus;
import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.topology.testing.SeededHeads;
import io.streamguard.versions.ModelVersions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which published version a worker serves, and what it refuses (no broker: records fed directly). */
class ModelVersionFollowerTest {

    private static final String ENCODER = "minilm-l6";
    private static final String VOCAB = "vocab-a";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Swaps like the classifier does: refuses heads of another vocabulary or hidden size. */
    private static final class FakeScorer implements HeadsSwapper {
        final EncoderInfo info;
        HeadsModel heads;
        final List<String> swaps = new ArrayList<>();

        FakeScorer() {
            this(ENCODER, VOCAB);
        }

        FakeScorer(String encoder, String vocab) {
            info = new EncoderInfo(encoder, 8, 128, vocab, Device.CPU);
            heads = SeededHeads.random("file-v1", 7, encoder, vocab, 8, 128);
        }

        @Override
        public HeadsModel heads() {
            return heads;
        }

        @Override
        public HeadsModel swapHeads(HeadsModel next) {
            next.checkCompatible(info);
            HeadsModel previous = heads;
            heads = next;
            swaps.add(next.version());
            return previous;
        }
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final FakeScorer scorer = new FakeScorer();
    private final ModelVersionFollower follower = new ModelVersionFollower(
            new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name()),
            "model-versions",
            b -> null,
            scorer,
            ENCODER,
            new PipelineMetrics(meters));

    private static HeadsModel heads(String version, String vocab) {
        return SeededHeads.random(version, 7, ENCODER, vocab, 8, 128);
    }

    private static ModelVersion record(HeadsModel heads, VersionStatus status, Instant publishedAt) {
        return ModelVersions.toAvro(heads, status, null, Map.of(), publishedAt);
    }

    @Test
    void servesTheLatestPromotedVersionAndFollowsARollback() {
        follower.remember(record(heads("v2", VOCAB), VersionStatus.PROMOTED, T0));
        assertThat(follower.applyLive()).isTrue();
        follower.remember(record(heads("v3", VOCAB), VersionStatus.PROMOTED, T0.plusSeconds(10)));
        assertThat(follower.applyLive()).isTrue();
        assertThat(follower.applyLive()).as("already serving v3").isFalse();
        // Rollback: v2 republished under its own key, newer than v3.
        follower.remember(record(heads("v2", VOCAB), VersionStatus.PROMOTED, T0.plusSeconds(20)));
        assertThat(follower.applyLive()).isTrue();
        assertThat(scorer.swaps).containsExactly("v2", "v3", "v2");
        assertThat(scorer.heads().version()).isEqualTo("v2");
        assertThat(meters.counter("streamguard.model.swaps", "encoder", ENCODER).count())
                .isEqualTo(3);
    }

    @Test
    void rejectedCandidatesAndOtherEncodersAreNeverServed() {
        follower.remember(record(heads("v2", VOCAB), VersionStatus.REJECTED, T0));
        HeadsModel bert = SeededHeads.random("b1", 7, "bert-base-uncased", VOCAB, 8, 128);
        follower.remember(record(bert, VersionStatus.PROMOTED, T0.plusSeconds(5)));
        assertThat(follower.applyLive()).isFalse();
        assertThat(scorer.heads().version()).isEqualTo("file-v1");
        assertThat(meters.counter("streamguard.model.versions.refused", "reason", "other-encoder")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void eachEncoderFollowsItsOwnLiveVersionAndOnlyItsScorerIsSwapped() {
        FakeScorer english = new FakeScorer();
        FakeScorer chinese = new FakeScorer("bge-small-zh", "vocab-zh");
        ModelVersionFollower both = new ModelVersionFollower(
                new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name()),
                "model-versions",
                b -> null,
                Map.of(ENCODER, english, "bge-small-zh", chinese),
                new PipelineMetrics(meters));
        both.remember(record(heads("v2", VOCAB), VersionStatus.PROMOTED, T0));
        both.remember(record(
                SeededHeads.random("zh-v1", 7, "bge-small-zh", "vocab-zh", 8, 128),
                VersionStatus.PROMOTED,
                T0.plusSeconds(1)));
        assertThat(both.applyLive()).isTrue();
        assertThat(english.swaps).containsExactly("v2");
        assertThat(chinese.swaps).containsExactly("zh-v1");

        // A newer Chinese version: the English model stays as it is.
        both.remember(record(
                SeededHeads.random("zh-v2", 8, "bge-small-zh", "vocab-zh", 8, 128),
                VersionStatus.PROMOTED,
                T0.plusSeconds(2)));
        assertThat(both.applyLive()).isTrue();
        assertThat(english.swaps).containsExactly("v2");
        assertThat(chinese.swaps).containsExactly("zh-v1", "zh-v2");
        assertThat(meters.counter("streamguard.model.swaps", "encoder", "bge-small-zh")
                        .count())
                .isEqualTo(2);
        assertThat(meters.counter("streamguard.model.versions.refused", "reason", "other-encoder")
                        .count())
                .as("both encoders are served")
                .isZero();
    }

    @Test
    void aVersionForAnotherVocabularyIsRefusedOnceAndTheCurrentHeadsStay() {
        follower.remember(record(heads("v2", VOCAB), VersionStatus.PROMOTED, T0));
        follower.applyLive();
        follower.remember(record(heads("v3", "vocab-b"), VersionStatus.PROMOTED, T0.plusSeconds(10)));
        assertThat(follower.applyLive()).isFalse();
        assertThat(follower.applyLive()).as("not retried").isFalse();
        assertThat(scorer.heads().version()).isEqualTo("v2");
        assertThat(meters.counter("streamguard.model.versions.refused", "reason", "incompatible")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void catchUpReadsTheTopicToItsEndAndStartsOnTheLiveVersion() {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        TopicPartition tp = new TopicPartition("model-versions", 0);
        consumer.updatePartitions(
                "model-versions",
                List.of(new PartitionInfo("model-versions", 0, Node.noNode(), new Node[0], new Node[0])));
        consumer.updateBeginningOffsets(Map.of(tp, 0L));
        consumer.updateEndOffsets(Map.of(tp, 2L));
        List<ModelVersion> records = List.of(
                record(heads("v2", VOCAB), VersionStatus.PROMOTED, T0),
                record(heads("v3", VOCAB), VersionStatus.REJECTED, T0.plusSeconds(1)));
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < records.size(); i++) {
                consumer.addRecord(new ConsumerRecord<>(
                        "model-versions", 0, i, records.get(i).getVersion(), new byte[] {(byte) i}));
            }
        });
        ModelVersionFollower f = new ModelVersionFollower(
                consumer, "model-versions", b -> records.get(b[0]), scorer, ENCODER, new PipelineMetrics(meters));
        assertThat(f.hasApplied(Map.of(tp, 2L))).as("nothing read yet").isFalse();
        f.catchUp(Duration.ofSeconds(10));
        assertThat(scorer.heads().version()).isEqualTo("v2");
        assertThat(f.hasApplied(Map.of(tp, 2L)))
                .as("read and applied to the end")
                .isTrue();
        assertThat(f.hasApplied(Map.of(tp, 3L)))
                .as("a record published since is not")
                .isFalse();
        f.close();
    }
}
