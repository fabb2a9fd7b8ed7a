package io.streamguard.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The sign-in throttle on a hand-moved clock: limits per name and per address, the window, the bound. */
class SignInThrottleTest {
    final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    final SignInThrottle throttle = new SignInThrottle(clock);

    void fail(int times, String user, String address) {
        for (int i = 0; i < times; i++) {
            throttle.failed(user, address);
        }
    }

    @Test
    void fiveFailuresForANameBlockItUntilTheFirstLeavesTheWindow() {
        fail(4, "alice", "10.0.0.1");
        assertThat(throttle.blocked("alice", "10.0.0.9")).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        throttle.failed("alice", "10.0.0.2");
        // blocked from any address, and names match whatever their case
        assertThat(throttle.blocked("alice", "10.0.0.9")).contains(Duration.ofMinutes(4));
        assertThat(throttle.blocked("ALICE ", "10.0.0.9")).isPresent();
        assertThat(throttle.blocked("bob", "10.0.0.9")).isEmpty();

        clock.advance(Duration.ofMinutes(4).minusSeconds(1));
        assertThat(throttle.blocked("alice", "10.0.0.9")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        // the first four aged out: one failure left, so four more are allowed
        assertThat(throttle.blocked("alice", "10.0.0.9")).isEmpty();
        fail(3, "alice", "10.0.0.3");
        assertThat(throttle.blocked("alice", "10.0.0.9")).isEmpty();
        throttle.failed("alice", "10.0.0.3");
        assertThat(throttle.blocked("alice", "10.0.0.9")).isPresent();
    }

    @Test
    void fiveFailuresFromAnAddressBlockEveryNameFromIt() {
        throttle.failed("a", "10.0.0.1");
        throttle.failed("b", "10.0.0.1");
        throttle.failed("c", "10.0.0.1");
        throttle.failed("", "10.0.0.1");
        assertThat(throttle.blocked("d", "10.0.0.1")).isEmpty();
        throttle.failed("d", "10.0.0.1");
        assertThat(throttle.blocked("e", "10.0.0.1")).contains(SignInThrottle.WINDOW);
        assertThat(throttle.blocked("e", "10.0.0.2")).isEmpty();
        // a success clears the name, not the address
        throttle.succeeded("d");
        assertThat(throttle.blocked("d", "10.0.0.1")).isPresent();
        clock.advance(SignInThrottle.WINDOW);
        assertThat(throttle.blocked("e", "10.0.0.1")).isEmpty();
    }

    @Test
    void aSuccessfulSignInResetsTheNamesCount() {
        fail(4, "alice", "10.0.0.1");
        throttle.succeeded("alice");
        fail(4, "alice", "10.0.0.2");
        assertThat(throttle.blocked("alice", "10.0.0.3")).isEmpty();
        throttle.failed("alice", "10.0.0.2");
        assertThat(throttle.blocked("alice", "10.0.0.3")).isPresent();
    }

    @Test
    void memoryStaysBoundedByMaxKeys() {
        SignInThrottle small = new SignInThrottle(5, Duration.ofMinutes(5), 10, clock);
        for (int i = 0; i < 100; i++) {
            small.failed("user" + i, "10.0.0.1");
        }
        assertThat(small.trackedKeys()).isLessThanOrEqualTo(10);
        // the address, failed on every time, is the most recently used and survives eviction
        assertThat(small.blocked("someone", "10.0.0.1")).isPresent();

        clock.advance(Duration.ofMinutes(5));
        small.failed("late", "10.0.0.2");
        // the sweep drops every aged-out entry before evicting live ones
        assertThat(small.trackedKeys()).isEqualTo(2);
    }
}
