package io.streamguard.console.web;

import java.util.Locale;

/** Builds the small JSON values of audit details (console_audit.detail, checked by jsonb on insert). */
final class Json {
    private Json() {}

    /** {@code value} as a JSON string literal. */
    static String string(String value) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
