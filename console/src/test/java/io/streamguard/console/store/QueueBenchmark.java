package io.streamguard.console.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.console.web.QueuePageBench;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link QueueBench} over 100,000 pending rows on a fresh embedded PostgreSQL, then the queue's web pages
 * over them ({@link QueuePageBench}); tagged "bench", so out of
 * the default suite: {@code mvn -pl console verify -Dconsole.excludedGroups=none -Dtest=QueueBenchmark}.
 */
@Tag("bench")
class QueueBenchmark {
    @Test
    void pendingQueueOver100kRows() throws Exception {
        try (TestDatabase pg = TestDatabase.start()) {
            pg.reset(true);
            var timings = QueueBench.run(pg.db, 100_000, 50, 50_000, System.out);
            assertThat(timings).hasSize(2);
            var web = QueuePageBench.run(pg.db, 50_000, System.out);
            assertThat(web).extracting(QueuePageBench.Timing::status).containsExactly(200, 200, 200, 200, 302, 200);
        }
    }
}
