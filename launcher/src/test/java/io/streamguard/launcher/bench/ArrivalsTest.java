package io.streamguard.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ArrivalsTest {

    /** Events every 100 ms, 200 ms old, except a backlog 10-12 s old arriving from t=1,000 to t=2,900. */
    private static Arrivals afterAnOutage() {
        Arrivals a = new Arrivals();
        for (long t = 0; t < 10_000; t += 100) {
            a.add(t, t >= 1_000 && t < 3_000 ? 12_000 - (t - 1_000) : 200);
        }
        return a;
    }

    @Test
    void caughtUpIsTheFirstArrivalAfterWhichEveryEventIsFreshForTheWindow() {
        Arrivals a = afterAnOutage();

        assertThat(a.caughtUpAt(500, 1_000, 400)).as("fresh before the backlog").hasValue(500);
        assertThat(a.caughtUpAt(500, 1_000, 2_000))
                .as("a window reaching into it")
                .hasValue(3_000);
        assertThat(a.caughtUpAt(1_000, 1_000, 2_000)).hasValue(3_000);
        assertThat(a.caughtUpAt(1_000, 20_000, 2_000)).as("a lax threshold").hasValue(1_000);
    }

    @Test
    void aWindowNotYetSeenWholeIsNotCaughtUp() {
        Arrivals a = afterAnOutage();

        assertThat(a.caughtUpAt(1_000, 1_000, 7_000)).isEqualTo(OptionalLong.empty());
        assertThat(new Arrivals().caughtUpAt(0, 1_000, 1_000)).isEqualTo(OptionalLong.empty());
    }

    @Test
    void latenciesMaxAndSilenceCoverTheirWindowOnly() {
        Arrivals a = new Arrivals();
        a.add(1_000, 50);
        a.add(1_100, 70);
        a.add(5_100, 4_000);
        a.add(5_200, -3); // clocks of two processes: never negative

        assertThat(a.latencies(1_000, 5_100)).containsExactly(50, 70);
        assertThat(a.latencies(0, 10_000)).containsExactly(0, 50, 70, 4_000);
        assertThat(a.maxLatency(0, 5_100)).isEqualTo(70);
        assertThat(a.maxLatency(6_000, 7_000)).isZero();
        assertThat(a.longestSilence(1_000, 6_000)).isEqualTo(4_000);
        assertThat(a.longestSilence(0, 20_000)).as("the tail counts").isEqualTo(14_800);
    }

    @Test
    void growsPastItsFirstCapacity() {
        Arrivals a = new Arrivals();
        for (int i = 0; i < 200_000; i++) {
            a.add(i, i % 7);
        }
        assertThat(a.latencies(0, 200_000)).hasSize(200_000);
        assertThat(a.maxLatency(0, 200_000)).isEqualTo(6);
    }
}
