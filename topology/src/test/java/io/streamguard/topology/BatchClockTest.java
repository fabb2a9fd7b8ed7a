package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When a batch closes by time, on a manual engine clock: no sleeping, boundaries to the millisecond. */
class BatchClockTest {

    private final ManualTime time = new ManualTime();
    private final EngineClock engine = new EngineClock(time);
    private final BatchClock clock = new BatchClock(new BatchSettings(32, Duration.ofMillis(20), 8192), engine);

    private void inTheEngine(long millis) {
        engine.timed(() -> {
            time.sleep(millis);
            return null;
        });
    }

    @Test
    void nowAddsTheEngineTimeSpentSinceKafkaStreamsCachedItsTime() {
        assertThat(clock.now(1_000)).isEqualTo(1_000);
        inTheEngine(200);
        assertThat(clock.now(1_000)).as("same slice, after a 200 ms batch").isEqualTo(1_200);
        assertThat(clock.now(1_300)).as("a new cached time").isEqualTo(1_300);
        time.sleep(70);
        assertThat(clock.now(1_300)).as("time outside the engine is not added").isEqualTo(1_300);
    }

    @Test
    void aBatchIsDueOnceItsOldestTextWaitedTheMaximumWait() {
        clock.arrived(1_000, 995);
        clock.started(1_000);
        assertThat(clock.due(1_019, 1)).isFalse();
        assertThat(clock.due(1_020, 1)).isTrue();
        assertThat(clock.due(5_000, 0)).as("nothing pending").isFalse();
    }

    @Test
    void engineTimeAfterTheOldestTextWasQueuedIsNotWaiting() {
        clock.started(1_000);
        inTheEngine(300);
        assertThat(clock.due(1_020, 1)).isFalse();
        assertThat(clock.due(1_319, 1)).isFalse();
        assertThat(clock.due(1_320, 1)).isTrue();
    }

    @Test
    void aBacklogStretchesTheWaitOnlyWhileTextsKeepArriving() {
        clock.arrived(1_000, 0); // a second old on arrival: a backlog
        clock.started(1_000);
        assertThat(clock.due(1_020, 1)).as("still arriving").isFalse();
        clock.arrived(1_050, 50);
        assertThat(clock.due(1_099, 1)).isFalse();
        clock.arrived(1_099, 99);
        assertThat(clock.due(1_000 + BatchClock.BACKLOG_WAIT_FACTOR * 20, 1))
                .as("stretched to its limit")
                .isTrue();

        clock.arrived(2_000, 1_000);
        clock.started(2_000);
        assertThat(clock.due(2_020, 1)).as("arrived since the last tick").isFalse();
        assertThat(clock.due(2_021, 1))
                .as("nothing arrived since: the usual wait")
                .isTrue();
    }
}
