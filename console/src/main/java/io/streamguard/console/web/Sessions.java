package io.streamguard.console.web;

import io.streamguard.console.store.Role;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-side sessions keyed by an unguessable cookie value, each with its own CSRF token. A visitor gets
 * an anonymous session (so even the sign-in form carries a token); signing in replaces it with a new id,
 * so an id planted before sign-in is worthless after it. Sessions live in memory: a restart signs
 * everyone out, which a console of one process can afford.
 */
final class Sessions {
    static final String COOKIE = "sg_session";

    /** A session; {@code user} and {@code role} are empty until sign-in. */
    record Session(String id, String csrf, Optional<String> user, Optional<Role> role, Instant expires) {
        boolean signedIn() {
            return user.isPresent();
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Anyone can open the sign-in form and so create a session: anonymous ones live briefly, and expired
     * sessions are swept every {@link #SWEEP_EVERY} creations, so the map stays bounded by the traffic of
     * the last half hour rather than growing forever.
     */
    static final Duration ANONYMOUS_TTL = Duration.ofMinutes(30);

    static final int SWEEP_EVERY = 256;

    private final AtomicLong created = new AtomicLong();

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    Sessions(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The live session with this id; an expired one is dropped. Touching it extends it. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session s = sessions.computeIfPresent(
                id,
                (k, v) -> v.expires().isAfter(now)
                        ? new Session(v.id(), v.csrf(), v.user(), v.role(), now.plus(life(v.user())))
                        : null);
        return Optional.ofNullable(s);
    }

    Session anonymous() {
        return put(Optional.empty(), Optional.empty());
    }

    /** Ends {@code previous} (if any) and opens a signed-in session under a fresh id and token. */
    Session signIn(Optional<String> previous, String user, Role role) {
        previous.ifPresent(sessions::remove);
        return put(Optional.of(user), Optional.of(role));
    }

    void end(String id) {
        sessions.remove(id);
    }

    private Session put(Optional<String> user, Optional<Role> role) {
        Instant now = clock.instant();
        if (created.incrementAndGet() % SWEEP_EVERY == 0) {
            sessions.values().removeIf(old -> !old.expires().isAfter(now));
        }
        Session s = new Session(token(), token(), user, role, now.plus(life(user)));
        sessions.put(s.id(), s);
        return s;
    }

    private Duration life(Optional<String> user) {
        return user.isPresent() || ttl.compareTo(ANONYMOUS_TTL) < 0 ? ttl : ANONYMOUS_TTL;
    }

    int size() {
        return sessions.size();
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
