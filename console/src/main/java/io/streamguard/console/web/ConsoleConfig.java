package io.streamguard.console.web;

import io.streamguard.console.store.ConsoleException;
import java.time.Duration;
import java.util.Objects;

/**
 * The console server's settings, validated once here.
 *
 * @param host the address to bind ("127.0.0.1" keeps the console local)
 * @param port the port; 0 picks a free one ({@link ConsoleServer#url()} tells which)
 * @param claimTtl how long opening an item claims it; it expires on its own after that
 * @param pageSize queue rows per page
 * @param sessionTtl how long a sign-in lasts without use
 */
public record ConsoleConfig(String host, int port, Duration claimTtl, int pageSize, Duration sessionTtl) {
    public static final Duration DEFAULT_CLAIM_TTL = Duration.ofMinutes(5);
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(12);

    public ConsoleConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new ConsoleException("console port must be 0..65535: " + port);
        }
        if (claimTtl.isNegative() || claimTtl.isZero()) {
            throw new ConsoleException("claim ttl must be positive: " + claimTtl);
        }
        if (pageSize < 1 || pageSize > 1_000) {
            throw new ConsoleException("page size must be 1..1000: " + pageSize);
        }
        if (sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new ConsoleException("session ttl must be positive: " + sessionTtl);
        }
    }

    /** Local only, on {@code port}, with the defaults. */
    public static ConsoleConfig local(int port) {
        return new ConsoleConfig("127.0.0.1", port, DEFAULT_CLAIM_TTL, DEFAULT_PAGE_SIZE, DEFAULT_SESSION_TTL);
    }
}
