package io.streamguard.console.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing: after {@link #MAX_FAILURES} failed sign-ins for one user name, or from one
 * remote address, within {@link #WINDOW}, further attempts are refused without checking the password
 * until the oldest of those failures leaves the window. A successful sign-in clears the name's failures
 * (not the address's, so one known account does not reset a guesser's count).
 *
 * <p>Memory is bounded: at most {@code maxKeys} names and addresses are tracked, each with at most {@code
 * maxFailures} timestamps; past that, entries whose failures have all aged out are swept and then the
 * least recently failed are dropped. Behind a reverse proxy every request has the proxy's address, so
 * the address limit then applies to all sign-ins together.
 */
final class SignInThrottle {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(5);
    static final int MAX_KEYS = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final int maxKeys;
    private final Clock clock;
    /** Per "user:NAME" or "addr:ADDRESS", its recent failures oldest first; access order, eldest evicted. */
    private final LinkedHashMap<String, ArrayDeque<Instant>> failures = new LinkedHashMap<>(64, 0.75f, true);

    SignInThrottle(Clock clock) {
        this(MAX_FAILURES, WINDOW, MAX_KEYS, clock);
    }

    SignInThrottle(int maxFailures, Duration window, int maxKeys, Clock clock) {
        if (maxFailures < 1 || maxKeys < 2 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a throttle needs maxFailures >= 1, maxKeys >= 2, a positive window");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /** How long until {@code user} from {@code address} may try again; empty if they may now. */
    synchronized Optional<Duration> blocked(String user, String address) {
        Instant now = clock.instant();
        Optional<Duration> byUser = wait(userKey(user), now);
        Optional<Duration> byAddress = wait(addressKey(address), now);
        if (byUser.isEmpty()) {
            return byAddress;
        }
        return byAddress.filter(a -> a.compareTo(byUser.get()) > 0).or(() -> byUser);
    }

    /** Counts a failed sign-in against the name (if any) and the address. */
    synchronized void failed(String user, String address) {
        Instant now = clock.instant();
        record(userKey(user), now);
        record(addressKey(address), now);
    }

    /** Clears the name's failures: its owner knows the password. */
    synchronized void succeeded(String user) {
        String key = userKey(user);
        if (key != null) {
            failures.remove(key);
        }
    }

    synchronized int trackedKeys() {
        return failures.size();
    }

    private Optional<Duration> wait(String key, Instant now) {
        ArrayDeque<Instant> times = key == null ? null : failures.get(key);
        if (times == null) {
            return Optional.empty();
        }
        prune(times, now);
        if (times.isEmpty()) {
            failures.remove(key);
            return Optional.empty();
        }
        return times.size() < maxFailures
                ? Optional.empty()
                : Optional.of(Duration.between(now, times.peekFirst().plus(window)));
    }

    private void record(String key, Instant now) {
        if (key == null) {
            return;
        }
        ArrayDeque<Instant> times = failures.get(key);
        if (times == null) {
            if (failures.size() >= maxKeys) {
                makeRoom(now);
            }
            times = new ArrayDeque<>(maxFailures);
            failures.put(key, times);
        }
        prune(times, now);
        times.addLast(now);
        while (times.size() > maxFailures) {
            times.removeFirst();
        }
    }

    /** Sweeps keys with no failure left in the window, then, if still full, the least recently used. */
    private void makeRoom(Instant now) {
        failures.values().removeIf(times -> {
            prune(times, now);
            return times.isEmpty();
        });
        Iterator<Map.Entry<String, ArrayDeque<Instant>>> eldest =
                failures.entrySet().iterator();
        while (failures.size() >= maxKeys && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    private void prune(ArrayDeque<Instant> times, Instant now) {
        Instant cutoff = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
            times.removeFirst();
        }
    }

    private static String userKey(String user) {
        return user == null || user.isBlank() ? null : "user:" + user.trim().toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return address == null || address.isBlank() ? null : "addr:" + address;
    }
}
