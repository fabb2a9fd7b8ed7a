package io.streamguard.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.console.store.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionsTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final ManualClock clock = new ManualClock();
    final Sessions sessions = new Sessions(Duration.ofHours(12), clock);

    @Test
    void signingInReplacesTheAnonymousSessionWithANewIdAndToken() {
        Sessions.Session anonymous = sessions.anonymous();
        Sessions.Session signedIn = sessions.signIn(Optional.of(anonymous.id()), "alice", Role.MODERATOR);

        assertThat(signedIn.id()).isNotEqualTo(anonymous.id());
        assertThat(signedIn.csrf()).isNotEqualTo(anonymous.csrf());
        assertThat(sessions.find(anonymous.id())).isEmpty();
        assertThat(sessions.find(signedIn.id()).flatMap(Sessions.Session::user)).contains("alice");
    }

    @Test
    void anonymousSessionsExpireSoonSignedInOnesLastWhileUsed() {
        Sessions.Session anonymous = sessions.anonymous();
        Sessions.Session signedIn = sessions.signIn(Optional.empty(), "alice", Role.MODERATOR);

        clock.now = clock.now.plus(Sessions.ANONYMOUS_TTL).plusSeconds(1);
        assertThat(sessions.find(anonymous.id())).isEmpty();
        assertThat(sessions.find(signedIn.id())).isPresent();

        clock.now = clock.now.plus(Duration.ofHours(11)); // used above, so 12 h from then
        assertThat(sessions.find(signedIn.id())).isPresent();
        clock.now = clock.now.plus(Duration.ofHours(13));
        assertThat(sessions.find(signedIn.id())).isEmpty();
    }

    @Test
    void expiredSessionsAreSweptSoTheMapStaysBounded() {
        for (int i = 0; i < Sessions.SWEEP_EVERY - 1; i++) {
            sessions.anonymous();
        }
        clock.now = clock.now.plus(Sessions.ANONYMOUS_TTL).plusSeconds(1);
        sessions.anonymous(); // the sweep runs on this one
        assertThat(sessions.size()).isEqualTo(1);
    }
}
