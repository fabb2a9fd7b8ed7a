package io.streamguard.console.store;

import static io.streamguard.console.store.TestDatabase.Event.review;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.console.store.TestDatabase.Event;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueuesTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static final Map<String, Double> THRESHOLDS = Map.of("offensive", 0.5, "hate", 0.4, "spam", 0.7);

    static TestDatabase pg;
    Queues queues;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestDatabase.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        pg.close();
    }

    @BeforeEach
    void resetTables() throws Exception {
        pg.reset(true);
        queues = new Queues(pg.db, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    List<String> ids(QueueQuery q) {
        return queues.page(q).items().stream().map(QueueItem::id).toList();
    }

    QueueQuery.Builder pending() {
        return QueueQuery.of(Queue.PENDING).reviewThresholds(THRESHOLDS);
    }

    @Test
    void pendingIsOrderedByDistancePastTheThresholdPlusWaitingTime() throws Exception {
        pg.insert(
                review("a", Map.of("offensive", 0.9), ago(Duration.ZERO)), // 0.40 past
                review("b", Map.of("hate", 0.85, "offensive", 0.1), ago(Duration.ZERO)), // 0.45 past
                review("c", Map.of("offensive", 0.6), ago(Duration.ofHours(10))), // 0.10 + 10 h * 0.1
                review("d", Map.of("spam", 0.2), ago(Duration.ofMinutes(30)))); // hate's 0 - 0.4 is its max, + 0.05

        QueuePage page = queues.page(pending().build());

        assertThat(page.items()).extracting(QueueItem::id).containsExactly("c", "b", "a", "d");
        assertThat(page.items())
                .extracting(QueueItem::priority)
                .usingElementComparator((a, b) -> Math.abs(a - b) < 1e-9 ? 0 : Double.compare(a, b))
                .containsExactly(1.1, 0.45, 0.4, -0.35);
        assertThat(page.items().get(1).scores()).containsEntry("hate", 0.85).containsEntry("offensive", 0.1);
        assertThat(page.items().get(0).labeledAt()).isEqualTo(ago(Duration.ofHours(10)));

        // without the waiting term, score distance alone decides
        assertThat(ids(pending().waitWeight(0).build())).containsExactly("b", "a", "c", "d");
        // a heavier wait weight lets the 30-minute-old low score overtake the fresh high ones
        assertThat(ids(pending().waitWeight(2).build())).containsExactly("c", "d", "b", "a");
    }

    @Test
    void queuesSplitByDecisionAndVerdictAndPendingExcludesJudgedItems() throws Exception {
        pg.insert(
                review("r1", Map.of("offensive", 0.6), NOW),
                review("r2", Map.of("offensive", 0.7), NOW),
                review("b1", Map.of("offensive", 0.99), NOW).decision("BLOCK"),
                review("a1", Map.of("offensive", 0.01), NOW).decision("ALLOW"));
        pg.verdict("r2", "alice");
        pg.verdict("b1", "bob");

        assertThat(ids(pending().build())).containsExactly("r1");
        assertThat(ids(QueueQuery.of(Queue.DECIDED).build())).containsExactlyInAnyOrder("r2", "b1");
        assertThat(ids(QueueQuery.of(Queue.BLOCKED).build())).containsExactly("b1");
        assertThat(ids(QueueQuery.of(Queue.ALLOWED).build())).containsExactly("a1");
        assertThat(ids(QueueQuery.of(Queue.ALL).build())).containsExactlyInAnyOrder("r1", "r2", "b1", "a1");
    }

    @Test
    void aVerdictTheConsoleSentCountsAsDecidedBeforeTheSinksRowArrives() throws Exception {
        pg.insert(review("r1", Map.of("offensive", 0.6), NOW), review("r2", Map.of("offensive", 0.7), NOW));
        new Audit(pg.db).append("alice", Audit.VERDICT, "r2", "{}");
        new Audit(pg.db).append("alice", "sign-in", null, "{}");

        assertThat(ids(pending().build())).containsExactly("r1");
        assertThat(ids(QueueQuery.of(Queue.DECIDED).build())).containsExactly("r2");
        assertThat(queues.counts().count(Queue.DECIDED)).isEqualTo(1);

        // the sink's row lands: still decided once
        pg.verdict("r2", "alice");
        assertThat(ids(QueueQuery.of(Queue.DECIDED).build())).containsExactly("r2");
        assertThat(queues.counts().count(Queue.PENDING)).isEqualTo(1);
    }

    @Test
    void eachFilterNarrowsTheQueue() throws Exception {
        pg.insert(
                review("plain", Map.of("offensive", 0.6), ago(Duration.ofMinutes(5))),
                review("hateTriggered", Map.of("hate", 0.1), NOW).triggered("hate,spam"),
                review("hateScored", Map.of("hate", 0.45), NOW),
                review("hateLow", Map.of("hate", 0.3), NOW),
                review("v2", Map.of(), NOW).modelVersion("v2"),
                review("german", Map.of(), NOW).language("de"),
                review("chat", Map.of(), NOW).source("chat"),
                review("old", Map.of(), ago(Duration.ofDays(2))),
                review("blocked", Map.of(), NOW).decision("BLOCK"));

        // label: triggered, or a score at or past the label's review threshold
        assertThat(ids(pending().label("hate").build())).containsExactlyInAnyOrder("hateTriggered", "hateScored");
        // without a threshold for the label, any positive score counts
        assertThat(ids(QueueQuery.of(Queue.PENDING).label("hate").build()))
                .containsExactlyInAnyOrder("hateTriggered", "hateScored", "hateLow");
        assertThat(ids(QueueQuery.of(Queue.ALL).decision("BLOCK").build())).containsExactly("blocked");
        assertThat(ids(pending().modelVersion("v2").build())).containsExactly("v2");
        assertThat(ids(pending().language("de").build())).containsExactly("german");
        assertThat(ids(pending().source("chat").build())).containsExactly("chat");
        assertThat(ids(pending().maxAge(Duration.ofDays(1)).limit(100).build()))
                .hasSize(7)
                .doesNotContain("old", "blocked");
        assertThat(ids(pending().maxAge(Duration.ofMinutes(1)).build())).doesNotContain("plain", "old");
        assertThat(ids(pending().label("hate").source("chat").build())).isEmpty();
        // before the table has encoder_name, no row is of a named encoder
        assertThat(ids(pending().modelVersion("minilm-l6/v2").build())).isEmpty();
    }

    @Test
    void aModelFilterOfEncoderSlashVersionTellsTheEncodersSameNamedVersionsApart() throws Exception {
        pg.execute("ALTER TABLE moderation_events ADD COLUMN encoder_name text, ADD COLUMN unscored_reason text");
        pg.insert(
                review("en1", Map.of(), NOW),
                review("zh1", Map.of(), NOW).language("zh"),
                review("old", Map.of(), NOW),
                review("ja", Map.of(), NOW).language("ja").modelVersion("none"));
        pg.execute("UPDATE moderation_events SET encoder_name = 'minilm-l6' WHERE id = 'en1'");
        pg.execute("UPDATE moderation_events SET encoder_name = 'bge-small-zh' WHERE id = 'zh1'");
        pg.execute("UPDATE moderation_events SET unscored_reason = 'unsupported language: ja' WHERE id = 'ja'");

        assertThat(ids(pending().modelVersion("v1").build())).containsExactlyInAnyOrder("en1", "zh1", "old");
        assertThat(ids(pending().modelVersion("bge-small-zh/v1").build())).containsExactly("zh1");
        assertThat(ids(pending().modelVersion("minilm-l6/v1").build())).containsExactly("en1");
        QueueItem ja =
                queues.page(pending().modelVersion("none").build()).items().get(0);
        assertThat(ja.unscoredReason()).contains("unsupported language: ja");
        assertThat(ja.encoderName()).isEmpty();
        QueueItem zh = queues.page(pending().modelVersion("bge-small-zh/v1").build())
                .items()
                .get(0);
        assertThat(zh.encoderName()).contains("bge-small-zh");
        assertThat(zh.language()).isEqualTo("zh");
        assertThat(zh.unscoredReason()).isEmpty();
    }

    @Test
    void anUnknownLabelIsRefusedAndANewLabelColumnIsDiscovered() throws Exception {
        assertThatThrownBy(() -> queues.page(
                        pending().label("x\"; DROP TABLE console_users; --").build()))
                .isInstanceOf(UnknownLabelException.class);
        assertThat(queues.labels()).containsExactly("hate", "offensive", "spam");

        pg.execute("ALTER TABLE moderation_events ADD COLUMN score_threat float8"); // the sink's schema evolution
        pg.insert(review("t", Map.of(), NOW));
        pg.execute("UPDATE moderation_events SET score_threat = 0.95 WHERE id = 't'");

        assertThat(queues.labels()).containsExactly("hate", "offensive", "spam", "threat");
        QueueItem item = queues.page(QueueQuery.of(Queue.PENDING)
                        .label("threat")
                        .reviewThresholds(Map.of("threat", 0.5))
                        .waitWeight(0)
                        .build())
                .items()
                .get(0);
        assertThat(item.scores()).containsEntry("threat", 0.95);
        assertThat(item.priority()).isCloseTo(0.45, within(1e-9));
    }

    @Test
    void keysetPagesReturnEveryRowOnceWhileNewRowsArrive() throws Exception {
        List<Event> initial = new ArrayList<>();
        for (int i = 0; i < 95; i++) {
            // many equal priorities, so ties are broken by id across page boundaries
            initial.add(review("e" + i, Map.of("offensive", 0.5 + (i % 7) / 10.0), ago(Duration.ofMinutes(i % 3))));
        }
        pg.insert(initial.toArray(Event[]::new));

        List<String> seen = new ArrayList<>();
        QueueQuery query = pending().limit(10).build();
        int arrivals = 0;
        while (true) {
            QueuePage page = queues.page(query);
            page.items().forEach(i -> seen.add(i.id()));
            // after every page, new rows arrive: one that outranks everything, one that ranks last
            pg.insert(
                    review("new-high-" + arrivals, Map.of("offensive", 1.0), ago(Duration.ofHours(5))),
                    review("new-low-" + arrivals, Map.of("spam", 0.0), NOW));
            arrivals++;
            if (page.next().isEmpty()) {
                break;
            }
            query = query.after(page.next().get());
        }

        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(initial.stream().map(Event::id).toList());
        assertThat(seen).noneMatch(id -> id.startsWith("new-high")); // above the cursor: seen on a fresh pass
        assertThat(arrivals).isGreaterThanOrEqualTo(10);
    }

    @Test
    void aCursorSurvivesEncodingAndAMalformedOneIsRefused() {
        Cursor c = new Cursor(Instant.parse("2026-12-06T12:00:00.123456789Z"), 0.1 + 0.2, "comments:42:x");
        assertThat(Cursor.decode(c.encode())).isEqualTo(c);
        assertThatThrownBy(() -> Cursor.decode("not a cursor")).isInstanceOf(ConsoleException.class);
    }

    @Test
    void countsEveryQueueAndTheAgeOfTheOldestPendingItem() throws Exception {
        assertThat(queues.counts().oldestPending()).isEmpty();
        pg.insert(
                review("r1", Map.of(), ago(Duration.ofMinutes(5))),
                review("r2", Map.of(), ago(Duration.ofMinutes(42))),
                review("r3", Map.of(), ago(Duration.ofHours(3))),
                review("b1", Map.of(), ago(Duration.ofDays(1))).decision("BLOCK"),
                review("a1", Map.of(), ago(Duration.ofDays(1))).decision("ALLOW"),
                review("a2", Map.of(), NOW).decision("ALLOW"));
        pg.verdict("r3", "alice");
        pg.verdict("r3", "bob");

        QueueCounts counts = queues.counts();

        assertThat(counts.count(Queue.PENDING)).isEqualTo(2);
        assertThat(counts.count(Queue.DECIDED)).isEqualTo(1);
        assertThat(counts.count(Queue.BLOCKED)).isEqualTo(1);
        assertThat(counts.count(Queue.ALLOWED)).isEqualTo(2);
        assertThat(counts.count(Queue.ALL)).isEqualTo(6);
        assertThat(counts.oldestPending()).contains(Duration.ofMinutes(42));
    }

    @Test
    void beforeTheSinkCreatesItsTablesQueuesAreEmptyAndTheIndexesComeWithTheTable() throws Exception {
        pg.reset(false);
        assertThat(queues.counts().count(Queue.ALL)).isZero();
        assertThat(queues.page(pending().build()).items()).isEmpty();
        assertThat(queues.labels()).isEmpty();
        String indexes = "SELECT count(*) FROM pg_indexes WHERE tablename = 'moderation_events'"
                + " AND indexname LIKE 'moderation_events_%labeled_at'";

        pg.createConnectorTables();
        assertThat(pg.count(indexes)).isZero();
        pg.insert(review("first", Map.of("hate", 0.9), NOW));

        assertThat(queues.page(pending().build()).items())
                .extracting(QueueItem::id)
                .containsExactly("first");
        assertThat(pg.count(indexes)).isEqualTo(ConsoleSchema.QUEUE_INDEXES.size());
        new ConsoleSchema(pg.db).install(); // and again: idempotent
        assertThat(pg.count(indexes)).isEqualTo(ConsoleSchema.QUEUE_INDEXES.size());
    }

    @Test
    void aLimitOutsideItsRangeIsRefused() {
        assertThatThrownBy(() -> pending().limit(0).build()).isInstanceOf(ConsoleException.class);
        assertThatThrownBy(() -> pending().decision("MAYBE").build()).isInstanceOf(ConsoleException.class);
        assertThat(pending().limit(QueueQuery.MAX_LIMIT).build().limit()).isEqualTo(QueueQuery.MAX_LIMIT);
    }
}
