package io.streamguard.console.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An item's history of scorings, from the scorings sink's table, on a real PostgreSQL. */
class EventsTest {
    static TestDatabase pg;

    @BeforeAll
    static void start() throws Exception {
        pg = TestDatabase.start();
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    @BeforeEach
    void reset() throws Exception {
        pg.reset(true);
        pg.insert(TestDatabase.Event.review("e-1", Map.of("hate", 0.8), Instant.parse("2026-12-07T10:00:00Z")));
    }

    @Test
    void beforeTheScoringsSinkWroteAnythingAnItemHasNoScorings() {
        assertThat(new Events(pg.db).scorings("e-1")).isEmpty();
    }

    @Test
    void everyModelVersionThatScoredAnItemIsListedOldestFirst() throws Exception {
        pg.execute("CREATE TABLE moderation_scorings (id text, model_version text, decision text, policy_version text,"
                + " worker_id text, labeled_at timestamp, PRIMARY KEY (id, model_version))");
        pg.execute("INSERT INTO moderation_scorings VALUES"
                + " ('e-1', 'v2', 'ALLOW', 'p3', 'w-2', '2026-12-07 11:00:00'),"
                + " ('e-1', 'v1', 'REVIEW', 'model:v1', 'w-1', '2026-12-07 10:00:00'),"
                + " ('e-2', 'v1', 'BLOCK', 'model:v1', 'w-1', '2026-12-07 10:00:00')");

        assertThat(new Events(pg.db).scorings("e-1"))
                .containsExactly(
                        new Events.Scoring(
                                "v1",
                                "REVIEW",
                                "model:v1",
                                "w-1",
                                java.util.Optional.of(Instant.parse("2026-12-07T10:00:00Z")),
                                java.util.Optional.empty()),
                        new Events.Scoring(
                                "v2",
                                "ALLOW",
                                "p3",
                                "w-2",
                                java.util.Optional.of(Instant.parse("2026-12-07T11:00:00Z")),
                                java.util.Optional.empty()));
    }

    @Test
    void aScoringNamesItsEncoderOnceTheTableHasTheColumnAndAnItemItsEncoderAndReason() throws Exception {
        pg.execute("CREATE TABLE moderation_scorings (id text, model_version text, decision text, policy_version text,"
                + " worker_id text, labeled_at timestamp, encoder_name text, unscored_reason text,"
                + " PRIMARY KEY (id, model_version))");
        pg.execute("INSERT INTO moderation_scorings VALUES"
                + " ('e-1', 'v1', 'REVIEW', 'model:v1', 'w-1', '2026-12-07 10:00:00', 'bge-small-zh', NULL)");
        pg.execute("ALTER TABLE moderation_events ADD COLUMN encoder_name text, ADD COLUMN unscored_reason text");
        pg.insert(TestDatabase.Event.review("e-ja", Map.of(), Instant.parse("2026-12-07T10:00:00Z"))
                .language("ja")
                .modelVersion("none"));
        pg.execute("UPDATE moderation_events SET encoder_name = 'bge-small-zh' WHERE id = 'e-1'");
        pg.execute("UPDATE moderation_events SET unscored_reason = 'unsupported language: ja' WHERE id = 'e-ja'");
        Events events = new Events(pg.db);

        assertThat(events.scorings("e-1")).singleElement().satisfies(sc -> assertThat(sc.encoderName())
                .contains("bge-small-zh"));
        Events.Event zh = events.find("e-1").orElseThrow();
        assertThat(zh.encoderName()).contains("bge-small-zh");
        assertThat(zh.unscoredReason()).isEmpty();
        Events.Event ja = events.find("e-ja").orElseThrow();
        assertThat(ja.encoderName()).isEmpty();
        assertThat(ja.unscoredReason()).contains("unsupported language: ja");
        assertThat(ja.language()).isEqualTo("ja");
    }

    @Test
    void anItemFromATableWithoutTheEncoderColumnsReadsWithNeither() {
        Events.Event old = new Events(pg.db).find("e-1").orElseThrow();
        assertThat(old.encoderName()).isEmpty();
        assertThat(old.unscoredReason()).isEmpty();
        assertThat(old.modelVersion()).isEqualTo("v1");
    }
}
