package io.streamguard.console.web;

import io.streamguard.console.store.ConsoleException;
import io.streamguard.console.store.Cursor;
import io.streamguard.console.store.Queue;
import io.streamguard.console.store.QueuePage;
import io.streamguard.console.store.QueueQuery;
import io.streamguard.console.store.Queues;
import io.streamguard.console.store.Role;
import io.streamguard.console.store.Users;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Times the queue's web pages over a backlog already in {@code db} (QueueBench's rows): starts a real
 * {@link ConsoleServer} on loopback, signs a moderator in over HTTP, and measures each route a moderator
 * hits as the median and p90 of {@value #SAMPLES} requests after {@value #WARMUPS} warm-ups, both as the
 * server reports it ({@link ServerTiming}: its handlers, SQL and rendering) and as the client's round trip.
 * The deep page is reached as a moderator would: by the page's own "next page" link.
 */
public final class QueuePageBench {
    static final int WARMUPS = 3;
    static final int SAMPLES = 15;
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern NEXT_PAGE = Pattern.compile("<a id=\"next-page\" href=\"([^\"]+)\"");
    private static final Pattern ROW = Pattern.compile("<tr class=\"item\" data-event-id=\"([^\"]+)\"");
    private static final Pattern DURATION = Pattern.compile("app;dur=([0-9.]+)");

    private QueuePageBench() {}

    /** One route's figures, in milliseconds; {@code status} and {@code bytes} of its last response. */
    public record Timing(
            String route,
            int status,
            int bytes,
            double serverMedian,
            double serverP90,
            double clientMedian,
            double clientP90) {}

    /**
     * Runs the routes against {@code db}, whose pending queue must hold more than {@code deepRow} rows,
     * and prints a table to {@code out}.
     */
    public static List<Timing> run(DataSource db, int deepRow, PrintStream out)
            throws IOException, InterruptedException {
        Queues queues = new Queues(db);
        Map<String, Thresholds.Label> labels = new TreeMap<>();
        queues.labels().forEach(l -> labels.put(l, new Thresholds.Label(0.5, 0.9)));
        new Users(db).add("bench", "bench-pw".toCharArray(), Role.MODERATOR);
        ConsoleConfig config = ConsoleConfig.local(0);
        try (ConsoleServer server = ConsoleServer.builder(config, db)
                .thresholds(Thresholds.fixed(labels))
                .verdicts(new InMemoryVerdictSink())
                .build()
                .start()) {
            Client client = new Client(server.url());
            client.signIn("bench", "bench-pw");

            List<Timing> timings = new ArrayList<>();
            Sample first = client.get("/queue");
            List<String> firstRows = rows(first.body);
            if (firstRows.size() != config.pageSize() || nextPage(first.body).isEmpty()) {
                throw new ConsoleException("the first queue page is not a full page with a next link");
            }
            timings.add(client.time("GET /queue", "/queue"));
            timings.add(client.time("GET /queue/rows", "/queue/rows"));
            timings.add(client.time("GET /counts", "/counts"));

            // Near deepRow by the store in its largest pages, then one hop by the page's own link.
            String deepLink = nextPage(
                            client.get("/queue?after=" + cursorAt(queues, labels, deepRow - config.pageSize())).body)
                    .orElseThrow(() -> new ConsoleException("no next-page link near row " + deepRow));
            if (rows(client.get(deepLink).body).size() != config.pageSize()) {
                throw new ConsoleException("the page at row " + deepRow + " is not full");
            }
            timings.add(client.time("GET /queue?after= (after row " + deepRow + ")", deepLink));

            timings.add(client.time("GET /next (claims)", "/next"));
            String item = client.get("/next").redirect();
            timings.add(client.time("GET /item/{id} (" + item.substring("/item/".length()) + ")", item));

            out.printf(
                    "web, loopback, signed in; %d requests after %d warm-ups each; server = Server-Timing app;dur"
                            + " (before to after handler), client = HttpClient round trip, ms:%n",
                    SAMPLES, WARMUPS);
            out.printf(
                    "%-36s %6s %8s %9s %7s %9s %7s%n",
                    "route", "status", "bytes", "srv med", "srv p90", "cli med", "cli p90");
            for (Timing t : timings) {
                out.printf(
                        "%-36s %6d %8d %9.1f %7.1f %9.1f %7.1f%n",
                        t.route(),
                        t.status(),
                        t.bytes(),
                        t.serverMedian(),
                        t.serverP90(),
                        t.clientMedian(),
                        t.clientP90());
            }
            return timings;
        }
    }

    /** The encoded cursor after {@code row} rows of the pending queue as the server orders it. */
    private static String cursorAt(Queues queues, Map<String, Thresholds.Label> labels, int row) {
        Map<String, Double> review = new TreeMap<>();
        labels.forEach((l, t) -> review.put(l, t.review()));
        Cursor cursor = null;
        for (int read = 0; read < row; ) {
            int limit = Math.min(QueueQuery.MAX_LIMIT, row - read);
            QueueQuery.Builder b =
                    QueueQuery.of(Queue.PENDING).reviewThresholds(review).limit(limit);
            if (cursor != null) {
                b.after(cursor);
            }
            QueuePage page = queues.page(b.build());
            cursor = page.next().orElseThrow(() -> new ConsoleException("the queue ends before row " + row));
            read += limit;
        }
        return cursor == null ? "" : URLEncoder.encode(cursor.encode(), StandardCharsets.UTF_8);
    }

    static List<String> rows(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /** The "next page" link as a path, its HTML escaping undone. */
    static Optional<String> nextPage(String html) {
        Matcher m = NEXT_PAGE.matcher(html);
        return m.find()
                ? Optional.of(m.group(1)
                        .replace("&amp;", "&")
                        .replace("&quot;", "\"")
                        .replace("&#39;", "'")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">"))
                : Optional.empty();
    }

    private record Sample(int status, String body, String location, double serverMillis, double clientMillis) {
        String redirect() {
            if (location == null) {
                throw new ConsoleException("expected a redirect, got " + status);
            }
            return location;
        }
    }

    /** One signed-in browser: its session cookie, no automatic redirects. */
    private static final class Client {
        private final HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        private final String base;
        private String cookie;
        private String csrf;

        Client(String base) {
            this.base = base;
        }

        void signIn(String user, String password) throws IOException, InterruptedException {
            get("/login");
            String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                    + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&csrf="
                    + URLEncoder.encode(csrf, StandardCharsets.UTF_8);
            Sample r = send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
            if (r.status != 302 || !"/queue".equals(r.location)) {
                throw new ConsoleException("sign-in failed: " + r.status);
            }
        }

        Sample get(String path) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        }

        Timing time(String route, String path) throws IOException, InterruptedException {
            for (int i = 0; i < WARMUPS; i++) {
                get(path);
            }
            double[] server = new double[SAMPLES];
            double[] client = new double[SAMPLES];
            Sample last = null;
            for (int i = 0; i < SAMPLES; i++) {
                last = get(path);
                if (last.status >= 400) {
                    throw new ConsoleException(route + " answered " + last.status);
                }
                server[i] = last.serverMillis;
                client[i] = last.clientMillis;
            }
            return new Timing(
                    route,
                    last.status,
                    last.body.getBytes(StandardCharsets.UTF_8).length,
                    percentile(server, 50),
                    percentile(server, 90),
                    percentile(client, 50),
                    percentile(client, 90));
        }

        private Sample send(HttpRequest.Builder request) throws IOException, InterruptedException {
            if (cookie != null) {
                request.header("Cookie", cookie);
            }
            long start = System.nanoTime();
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            double client = (System.nanoTime() - start) / 1e6;
            r.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith(Sessions.COOKIE + "="))
                    .forEach(c -> cookie = c.substring(0, c.indexOf(';')));
            Matcher m = CSRF.matcher(r.body());
            if (m.find()) {
                csrf = m.group(1);
            }
            Matcher d =
                    DURATION.matcher(r.headers().firstValue(ServerTiming.HEADER).orElse(""));
            if (!d.find()) {
                throw new ConsoleException("no " + ServerTiming.HEADER + " header on " + r.uri());
            }
            return new Sample(
                    r.statusCode(),
                    r.body(),
                    r.headers().firstValue("Location").orElse(null),
                    Double.parseDouble(d.group(1)),
                    client);
        }
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] samples, int p) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
