package io.streamguard.console.web;

import io.javalin.http.Context;
import java.util.Locale;

/**
 * Stamps each response with a {@code Server-Timing: app;dur=<ms>} header: the time from the first before
 * handler to the last after handler, so the browser's devtools and the queue benchmark see how long the
 * console itself spent on a page (its SQL and rendering) apart from the network and the client.
 */
final class ServerTiming {
    static final String HEADER = "Server-Timing";
    private static final String START = ServerTiming.class.getName() + ".start";

    private ServerTiming() {}

    /** Registered as the first before handler. */
    static void start(Context ctx) {
        ctx.attribute(START, System.nanoTime());
    }

    /** Registered as the after handler; requests that skipped the before handlers get no header. */
    static void stamp(Context ctx) {
        Long start = ctx.attribute(START);
        if (start != null) {
            double millis = (System.nanoTime() - start) / 1e6;
            ctx.header(HEADER, String.format(Locale.ROOT, "app;dur=%.2f", millis));
        }
    }
}
