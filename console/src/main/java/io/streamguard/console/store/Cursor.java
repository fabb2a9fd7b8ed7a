package io.streamguard.console.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a queue page ended: the last item's (priority, id) and the instant priorities were computed
 * at. Carrying {@code asOf} keeps the order fixed while a moderator pages, although waiting time (a
 * part of priority) keeps growing; so keyset pagination neither repeats nor skips a row.
 *
 * <p>{@link #encode()} gives an opaque token for URLs; {@link #decode} refuses anything else.
 */
public record Cursor(Instant asOf, double priority, String id) {
    public Cursor {
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(id, "id");
    }

    public String encode() {
        String raw =
                asOf.getEpochSecond() + ":" + asOf.getNano() + ":" + Double.doubleToRawLongBits(priority) + ":" + id;
        return java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static Cursor decode(String token) {
        try {
            String raw =
                    new String(java.util.Base64.getUrlDecoder().decode(token), java.nio.charset.StandardCharsets.UTF_8);
            String[] parts = raw.split(":", 4);
            return new Cursor(
                    Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    Double.longBitsToDouble(Long.parseLong(parts[2])),
                    parts[3]);
        } catch (RuntimeException e) {
            throw new ConsoleException("malformed cursor", e);
        }
    }
}
