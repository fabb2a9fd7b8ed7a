package io.streamguard.model.training;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Renders progress with rate and ETA: on a terminal one line redrawn in place (at most 5 times a second),
 * otherwise (a log file, CI) a line at every 10 % and at the end, so logs stay short but show the pace.
 *
 * <pre>{@code features sst2/train  43% |#########            | 29120/67349 texts  612/s  ETA 1m02s}</pre>
 */
public final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 20;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final String label;
    private final String unit;
    private final PrintStream out;
    private final boolean interactive;
    private long lastDraw = Long.MIN_VALUE;
    private int lastDecile = -1;
    private boolean finished;

    /**
     * @param label what is running, e.g. {@code features sst2/train}
     * @param unit what {@code done}/{@code total} count, e.g. {@code texts}
     * @param interactive redraw one line with {@code \r} (a terminal) rather than print lines (a log)
     */
    public ProgressBar(String label, String unit, PrintStream out, boolean interactive) {
        this.label = label;
        this.unit = unit;
        this.out = out;
        this.interactive = interactive;
    }

    /**
     * A bar on stderr, interactive when the JVM has a console. (Java 17 cannot ask whether stderr itself is
     * a terminal; with stdout or stdin redirected it falls back to the line-per-10 % form, which is safe.)
     */
    public static ProgressBar onStderr(String label, String unit) {
        return new ProgressBar(label, unit, System.err, System.console() != null);
    }

    @Override
    public synchronized void progress(long done, long total, Duration elapsed) {
        if (finished) {
            return;
        }
        boolean end = done >= total;
        if (interactive) {
            long now = System.nanoTime();
            if (!end && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            out.print("\r" + render(done, total, elapsed) + "\u001b[K" + (end ? "\n" : ""));
        } else {
            int decile = total == 0 ? 10 : (int) (10 * done / total);
            if (decile == lastDecile && !end) {
                return;
            }
            lastDecile = decile;
            out.println(render(done, total, elapsed));
        }
        out.flush();
        finished = end;
    }

    /** One line of progress; public for tests and for callers that log it elsewhere. */
    public String render(long done, long total, Duration elapsed) {
        double fraction = total == 0 ? 1.0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = elapsed.toNanos() / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta;
        if (done >= total) {
            eta = "took " + duration(seconds);
        } else if (done == 0 || rate == 0) {
            eta = "ETA ?";
        } else {
            eta = "ETA " + duration((total - done) / rate);
        }
        return String.format(
                Locale.ROOT,
                "%s %3d%% |%s%s| %d/%d %s  %s/s  %s",
                label,
                Math.round(fraction * 100),
                "#".repeat(filled),
                " ".repeat(WIDTH - filled),
                done,
                total,
                unit,
                rate(rate),
                eta);
    }

    private static String rate(double rate) {
        return rate >= 100 ? String.format(Locale.ROOT, "%.0f", rate) : String.format(Locale.ROOT, "%.1f", rate);
    }

    /** {@code 45s}, {@code 3m07s}, {@code 1h02m}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
