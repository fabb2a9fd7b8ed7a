package io.streamguard.console.store;

import static io.streamguard.console.store.TestDatabase.Event.review;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.console.store.TestDatabase.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClaimsTest {
    static final Duration TTL = Duration.ofMinutes(10);
    static final Map<String, Double> THRESHOLDS = Map.of("offensive", 0.5);

    static TestDatabase pg;
    Claims claims;

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
        claims = new Claims(pg.db, new Queues(pg.db));
    }

    static QueueQuery pending() {
        return QueueQuery.of(Queue.PENDING).reviewThresholds(THRESHOLDS).build();
    }

    void expire(String eventId) throws Exception {
        pg.execute("UPDATE console_claims SET expires_at = now() - interval '1 second' WHERE event_id = '" + eventId
                + "'");
    }

    @Test
    void aHeldItemCannotBeClaimedByAnotherModeratorButItsHolderReclaimsIt() throws Exception {
        assertThat(claims.claim("e1", "alice", TTL)).isTrue();
        assertThat(claims.claim("e1", "bob", TTL)).isFalse();
        assertThat(claims.holder("e1")).contains("alice");

        assertThat(claims.claim("e1", "alice", TTL)).isTrue();
        assertThat(claims.holder("e1")).contains("alice");

        assertThat(claims.release("e1", "bob")).isFalse();
        assertThat(claims.release("e1", "alice")).isTrue();
        assertThat(claims.holder("e1")).isEmpty();
        assertThat(claims.claim("e1", "bob", TTL)).isTrue();
    }

    @Test
    void expiryFreesAnItem() throws Exception {
        assertThat(claims.claim("e1", "alice", TTL)).isTrue();
        expire("e1");

        assertThat(claims.holder("e1")).isEmpty();
        assertThat(claims.claim("e1", "bob", TTL)).isTrue();
        assertThat(claims.holder("e1")).contains("bob");
        assertThat(claims.claim("e1", "alice", TTL)).isFalse();
    }

    @Test
    void nextUnclaimedGivesTwoModeratorsDifferentItemsInPriorityOrder() throws Exception {
        pg.insert(
                review("top", Map.of("offensive", 0.99), Instant.now()),
                review("second", Map.of("offensive", 0.8), Instant.now()),
                review("third", Map.of("offensive", 0.6), Instant.now()));

        Optional<QueueItem> alice = claims.nextUnclaimed(pending(), "alice", TTL);
        Optional<QueueItem> bob = claims.nextUnclaimed(pending(), "bob", TTL);

        assertThat(alice).map(QueueItem::id).contains("top");
        assertThat(bob).map(QueueItem::id).contains("second");
        // asking again gives alice her own item back, not a second one
        assertThat(claims.nextUnclaimed(pending(), "alice", TTL))
                .map(QueueItem::id)
                .contains("top");

        expire("top");
        assertThat(claims.nextUnclaimed(pending(), "carol", TTL))
                .map(QueueItem::id)
                .contains("top");

        pg.verdict("third", "dave");
        assertThat(claims.nextUnclaimed(pending(), "erin", TTL)).isEmpty();
    }

    @Test
    void twoModeratorsWorkingConcurrentlyNeverGetTheSameItem() throws Exception {
        int items = 60;
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            events.add(review("e" + i, Map.of("offensive", 0.5 + (i % 5) / 10.0), Instant.now()));
        }
        pg.insert(events.toArray(Event[]::new));

        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> done = new ArrayList<>();
            for (String moderator : List.of("alice", "bob")) {
                Callable<List<String>> work = () -> {
                    start.await();
                    List<String> judged = new ArrayList<>();
                    for (Optional<QueueItem> next = claims.nextUnclaimed(pending(), moderator, TTL);
                            next.isPresent();
                            next = claims.nextUnclaimed(pending(), moderator, TTL)) {
                        judged.add(next.get().id());
                        pg.verdict(next.get().id(), moderator); // judging takes it out of PENDING
                    }
                    return judged;
                };
                done.add(pool.submit(work));
            }
            List<String> alice = done.get(0).get(60, TimeUnit.SECONDS);
            List<String> bob = done.get(1).get(60, TimeUnit.SECONDS);

            Set<String> overlap = new HashSet<>(alice);
            overlap.retainAll(bob);
            assertThat(overlap).isEmpty();
            assertThat(alice).doesNotHaveDuplicates();
            assertThat(bob).doesNotHaveDuplicates();
            assertThat(alice.size() + bob.size()).isEqualTo(items);
            assertThat(pg.count("SELECT count(*) FROM moderation_verdicts")).isEqualTo(items);
        } finally {
            pool.shutdownNow();
        }
    }
}
