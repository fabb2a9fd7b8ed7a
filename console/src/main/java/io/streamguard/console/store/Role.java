package io.streamguard.console.store;

import java.util.Locale;

/** What a console user may do: judge items, or also manage users. Stored lowercase in console_users. */
public enum Role {
    MODERATOR,
    ADMIN;

    String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role fromSql(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
