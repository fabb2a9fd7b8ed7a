package io.streamguard.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.VersionStatus;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.TestHeads;
import io.streamguard.versions.ModelHistory.Kind;
import io.streamguard.versions.ModelHistory.State;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code models} shows, derived from the latest record per version: states now and the timeline. */
class ModelHistoryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String RETRAINER = "retrainer sg@host-1";

    private static ModelVersion record(String version, VersionStatus status, int minute, String trigger) {
        Map<String, String> lineage = new LinkedHashMap<>();
        lineage.put(ModelVersions.PUBLISHED_BY, RETRAINER);
        if (trigger != null) {
            lineage.put(ModelVersions.TRIGGER, trigger);
        }
        return ModelVersions.toAvro(
                TestHeads.random(version, 7, "minilm-l6", "vocab", 8, Feature.MEAN, 128),
                status,
                status == VersionStatus.PROMOTED ? "promoted: because" : "rejected: because",
                lineage,
                T0.plusSeconds(60L * minute));
    }

    /** The topic after compaction: the latest record per version, as {@link ModelVersionsTopic#readAll()}. */
    private static Map<String, ModelVersion> topic(ModelVersion... records) {
        Map<String, ModelVersion> latest = new LinkedHashMap<>();
        for (ModelVersion r : records) {
            latest.remove(r.getVersion());
            latest.put(r.getVersion(), r);
        }
        return latest;
    }

    @Test
    void aRollbackShowsTheRestoredVersionLiveAndTheOneItDisplacedRolledBack() {
        ModelVersion v1 = record("v1", VersionStatus.PROMOTED, 0, null);
        ModelVersion v2 = record("v2", VersionStatus.PROMOTED, 10, "50 new verdicts (trigger 50)");
        ModelVersion v3 = record("v3", VersionStatus.REJECTED, 20, "7 new verdicts 30 min after the last retrain");
        ModelVersion back = ModelVersions.rollback(v1, "v2", "alice@laptop", T0.plusSeconds(60 * 30));
        ModelHistory history = ModelHistory.of(topic(v1, v2, v3, back).values());

        assertThat(history.live()).singleElement().satisfies(e -> {
            assertThat(e.record().getVersion()).isEqualTo("v1");
            assertThat(e.since().kind()).isEqualTo(Kind.RESTORED);
            assertThat(e.since().by()).isEqualTo("alice@laptop");
            assertThat(e.since().at()).isEqualTo(T0.plusSeconds(60 * 30));
        });
        assertThat(history.entries())
                .extracting(e -> e.record().getVersion(), ModelHistory.Entry::state, e -> e.since()
                        .by())
                .containsExactly(
                        tuple("v2", State.ROLLED_BACK, "alice@laptop"),
                        tuple("v3", State.REJECTED, RETRAINER),
                        tuple("v1", State.LIVE, "alice@laptop"));
        assertThat(history.entry("v2").orElseThrow().since().detail()).isEqualTo("v1 live again");
        assertThat(history.events())
                .extracting(e -> e.at().toString(), ModelHistory.Event::version, ModelHistory.Event::kind, e -> e.by())
                .containsExactly(
                        tuple("2026-01-01T00:00:00Z", "v1", Kind.PROMOTED, RETRAINER),
                        tuple("2026-01-01T00:10:00Z", "v2", Kind.PROMOTED, RETRAINER),
                        tuple("2026-01-01T00:10:00Z", "v1", Kind.SUPERSEDED, RETRAINER),
                        tuple("2026-01-01T00:20:00Z", "v3", Kind.REJECTED, RETRAINER),
                        tuple("2026-01-01T00:30:00Z", "v1", Kind.RESTORED, "alice@laptop"),
                        tuple("2026-01-01T00:30:00Z", "v2", Kind.ROLLED_BACK, "alice@laptop"));
        assertThat(history.events().get(0).detail())
                .as("v1's first promotion survives compaction")
                .isEqualTo("promoted: because");
        assertThat(history.events().get(1).detail()).isEqualTo("50 new verdicts (trigger 50): promoted: because");
        assertThat(history.events().get(2).detail()).isEqualTo("by v2");
    }

    @Test
    void aPromotionAfterARollbackSupersedesTheRestoredVersion() {
        ModelVersion v1 = record("v1", VersionStatus.PROMOTED, 0, null);
        ModelVersion v2 = record("v2", VersionStatus.PROMOTED, 10, null);
        ModelVersion back = ModelVersions.rollback(v1, "v2", "alice@laptop", T0.plusSeconds(60 * 20));
        ModelVersion v3 = record("v3", VersionStatus.PROMOTED, 30, "100 new verdicts (trigger 100)");
        // Rolling back to v1 twice: the second keeps the first publication, not the first rollback's time.
        ModelVersion again = ModelVersions.rollback(back, "v2", "bob@ops", T0.plusSeconds(60 * 25));
        assertThat(again.getLineage()).containsEntry(ModelVersions.FIRST_PUBLISHED_AT, "2026-01-01T00:00:00Z");
        ModelHistory history = ModelHistory.of(List.of(v2, v3, again));

        assertThat(history.entries())
                .extracting(e -> e.record().getVersion(), ModelHistory.Entry::state)
                .containsExactly(
                        tuple("v2", State.ROLLED_BACK), tuple("v1", State.SUPERSEDED), tuple("v3", State.LIVE));
        assertThat(history.entry("v1").orElseThrow().since())
                .extracting(ModelHistory.Event::kind, ModelHistory.Event::detail)
                .containsExactly(Kind.SUPERSEDED, "by v3");
    }

    @Test
    void recordsFromBeforeTheHistoryKeysStillRead() {
        ModelVersion old = ModelVersions.toAvro(
                TestHeads.random("v1", 7, "minilm-l6", "vocab", 8, Feature.MEAN, 128),
                VersionStatus.PROMOTED,
                null,
                Map.of(),
                T0);
        ModelHistory history = ModelHistory.of(List.of(old));
        assertThat(history.events())
                .singleElement()
                .extracting(ModelHistory.Event::kind, ModelHistory.Event::by, ModelHistory.Event::detail)
                .containsExactly(Kind.PROMOTED, "-", "");
        assertThat(history.live())
                .singleElement()
                .extracting(ModelHistory.Entry::state)
                .isEqualTo(State.LIVE);
    }
}
