package io.streamguard.console.store;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Measures the pending queue over a large backlog: COPYs {@code rows} pending REVIEW rows into an existing
 * moderation_events (scores for every discovered label, labeled over the last 24 hours), then times the
 * first page and a deep keyset page (reached by paging), each as the client sees it and as the server's
 * {@code EXPLAIN ANALYZE} reports it, and prints the plans. For a bench command, not the test suite.
 */
public final class QueueBench {
    private QueueBench() {}

    /** One measured query: the client's median round trip and the server's execution time. */
    public record Timing(String what, double clientMillis, double serverMillis, List<String> plan) {}

    public static List<Timing> run(DataSource db, int rows, int pageSize, int deepRow, PrintStream out)
            throws SQLException, IOException {
        Queues queues = new Queues(db);
        List<String> labels = queues.labels();
        if (labels.isEmpty()) {
            throw new ConsoleException("moderation_events has no score_ columns to fill");
        }
        long t0 = System.nanoTime();
        copyRows(db, labels, rows);
        out.printf("inserted %,d pending rows by COPY in %.0f ms%n", rows, (System.nanoTime() - t0) / 1e6);

        Map<String, Double> thresholds = new java.util.TreeMap<>();
        labels.forEach(l -> thresholds.put(l, 0.5));
        QueueQuery first = QueueQuery.of(Queue.PENDING)
                .reviewThresholds(thresholds)
                .limit(pageSize)
                .build();
        List<Timing> timings = new ArrayList<>();
        timings.add(measure("first page", queues, first));

        QueueQuery deep = first;
        long walk = System.nanoTime();
        int pages = 0;
        for (int read = 0; read < deepRow; read += pageSize) {
            QueuePage page = queues.page(deep);
            pages++;
            if (page.next().isEmpty()) {
                break;
            }
            deep = deep.after(page.next().get());
        }
        out.printf(
                "walked %d pages of %d to row %,d in %.0f ms (%.1f ms a page)%n",
                pages, pageSize, deepRow, (System.nanoTime() - walk) / 1e6, (System.nanoTime() - walk) / 1e6 / pages);
        timings.add(measure("page at row " + deepRow, queues, deep));

        t0 = System.nanoTime();
        QueueCounts counts = queues.counts();
        out.printf(
                "counts: %s, oldest pending %s, %.1f ms%n",
                counts.counts(), counts.oldestPending().orElse(null), (System.nanoTime() - t0) / 1e6);
        for (Timing t : timings) {
            out.printf("%s: client median %.1f ms, server %.1f ms%n", t.what(), t.clientMillis(), t.serverMillis());
            t.plan().forEach(line -> out.println("    " + line));
        }
        return timings;
    }

    private static Timing measure(String what, Queues queues, QueueQuery query) {
        double[] samples = new double[7];
        for (int i = 0; i < samples.length; i++) {
            long start = System.nanoTime();
            queues.page(query);
            samples[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(samples);
        List<String> plan = queues.explain(query);
        double server = plan.stream()
                .filter(l -> l.startsWith("Execution Time:"))
                .mapToDouble(l -> Double.parseDouble(l.replaceAll("[^0-9.]", "")))
                .findFirst()
                .orElse(Double.NaN);
        return new Timing(what, samples[samples.length / 2], server, plan);
    }

    private static void copyRows(DataSource db, List<String> labels, int rows) throws SQLException, IOException {
        Random random = new Random(14);
        LocalDateTime now = LocalDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
        StringBuilder csv = new StringBuilder(rows * 120);
        for (int i = 0; i < rows; i++) {
            LocalDateTime labeled = now.minus(Duration.ofMillis((long) (random.nextDouble() * 86_400_000L)));
            csv.append("bench:").append(i).append(",text ").append(i).append(",REVIEW");
            for (int l = 0; l < labels.size(); l++) {
                csv.append(',').append(random.nextDouble());
            }
            csv.append(',').append(labels.get(random.nextInt(labels.size())));
            csv.append(",v1,en,comments,").append(labeled).append('\n');
        }
        StringBuilder columns = new StringBuilder("id, text, decision");
        for (String label : labels) {
            columns.append(", \"score_").append(label).append('"');
        }
        columns.append(", triggered_labels, model_version, language, source, labeled_at");
        try (Connection c = db.getConnection()) {
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "COPY moderation_events (" + columns + ") FROM STDIN WITH (FORMAT csv)",
                            new StringReader(csv.toString()));
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE moderation_events");
            }
        }
    }
}
