package io.streamguard.console.web;

import static io.streamguard.console.store.TestDatabase.Event.review;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.console.store.Claims;
import io.streamguard.console.store.Queues;
import io.streamguard.console.store.Role;
import io.streamguard.console.store.TestDatabase;
import io.streamguard.console.store.Users;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console over real HTTP against a real PostgreSQL: sign-in and its throttle, CSRF, the queue, claims,
 * verdicts, the admins' pages.
 */
class ConsoleServerTest {
    static final Map<String, Thresholds.Label> THRESHOLDS = Map.of(
            "offensive", new Thresholds.Label(0.5, 0.9),
            "hate", new Thresholds.Label(0.4, 0.8),
            "spam", new Thresholds.Label(0.6, 0.95));
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final Pattern ROW = Pattern.compile("<tr class=\"item\" data-event-id=\"([^\"]+)\"");

    static TestDatabase pg;
    ConsoleServer server;
    InMemoryVerdictSink sink;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestDatabase.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        pg.close();
    }

    @BeforeEach
    void startServer() throws Exception {
        pg.reset(true);
        Users users = new Users(pg.db);
        users.add("alice", "alice-pw".toCharArray(), Role.MODERATOR);
        users.add("bob", "bob-pw".toCharArray(), Role.MODERATOR);
        users.add("admin", "admin-pw".toCharArray(), Role.ADMIN);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        pg.insert(
                review("low", Map.of("offensive", 0.55), now),
                review("high", Map.of("offensive", 0.95, "hate", 0.1), now),
                review("mid", Map.of("offensive", 0.7), now).triggered("offensive"),
                review("blocked", Map.of("offensive", 0.99), now).decision("BLOCK"));
        sink = new InMemoryVerdictSink();
        server = server(ConsoleConfig.local(0)).build().start();
    }

    ConsoleServer.Builder server(ConsoleConfig config) {
        return ConsoleServer.builder(config, pg.db)
                .thresholds(Thresholds.fixed(THRESHOLDS))
                .verdicts(sink);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** One browser: its own session cookie, no automatic redirects (tests look at them). */
    final class Browser {
        final HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        Optional<String> cookie = Optional.empty();
        String lastCsrf;

        HttpResponse<String> get(String path) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path));
            cookie.ifPresent(c -> b.header("Cookie", c));
            return remember(http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString()));
        }

        HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
            String body = form.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                    .header("Content-Type", "application/x-www-form-urlencoded");
            cookie.ifPresent(c -> b.header("Cookie", c));
            return remember(http.send(
                    b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }

        private HttpResponse<String> remember(HttpResponse<String> r) {
            r.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith(Sessions.COOKIE + "="))
                    .forEach(c -> cookie = Optional.of(c.substring(0, c.indexOf(';'))));
            Matcher m = CSRF.matcher(r.body());
            if (m.find()) {
                lastCsrf = m.group(1);
            }
            return r;
        }

        HttpResponse<String> signIn(String user, String password) throws Exception {
            assertThat(get("/login").statusCode()).isEqualTo(200);
            return post("/login", Map.of("username", user, "password", password, "csrf", lastCsrf));
        }
    }

    static List<String> rows(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void signInWorksAndAWrongPasswordIsRefused() throws Exception {
        Browser mallory = new Browser();
        assertThat(mallory.get("/queue").statusCode()).isEqualTo(302);
        HttpResponse<String> wrong = mallory.signIn("alice", "not-her-password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body())
                .contains("Wrong name or password")
                .contains("name=\"username\"")
                .contains("name=\"password\"");
        HttpResponse<String> stillOut = mallory.get("/queue");
        assertThat(stillOut.statusCode()).isEqualTo(302);
        assertThat(stillOut.headers().firstValue("Location")).contains("/login");

        Browser alice = new Browser();
        HttpResponse<String> ok = alice.signIn("alice", "alice-pw");
        assertThat(ok.statusCode()).isEqualTo(302);
        assertThat(ok.headers().firstValue("Location")).contains("/queue");
        HttpResponse<String> queue = alice.get("/queue");
        assertThat(queue.statusCode()).isEqualTo(200);
        assertThat(queue.body()).contains("alice (moderator)");

        assertThat(alice.post("/logout", Map.of("csrf", alice.lastCsrf)).statusCode())
                .isEqualTo(302);
        assertThat(alice.get("/queue").statusCode()).isEqualTo(302);
    }

    @Test
    void aPostWithoutOrWithAWrongCsrfTokenIsForbidden() throws Exception {
        Browser alice = new Browser();
        alice.get("/login");
        assertThat(alice.post("/login", Map.of("username", "alice", "password", "alice-pw"))
                        .statusCode())
                .isEqualTo(403);
        alice.signIn("alice", "alice-pw");
        alice.get("/item/high");
        String form = "/item/high/verdict";
        assertThat(alice.post(form, Map.of("action", "approve")).statusCode()).isEqualTo(403);
        assertThat(alice.post(form, Map.of("action", "approve", "csrf", "forged"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(alice.post("/logout", Map.of()).statusCode()).isEqualTo(403);
        assertThat(sink.verdicts()).isEmpty();

        // the token of another session is as wrong as a forged one
        Browser bob = new Browser();
        bob.signIn("bob", "bob-pw");
        bob.get("/queue");
        assertThat(alice.post(form, Map.of("action", "approve", "csrf", bob.lastCsrf))
                        .statusCode())
                .isEqualTo(403);
        assertThat(alice.post(form, Map.of("action", "approve", "csrf", alice.lastCsrf))
                        .statusCode())
                .isEqualTo(302);
        assertThat(sink.verdicts()).hasSize(1);
    }

    @Test
    void theQueueListsPendingItemsInPriorityOrderWithCountsAndFilters() throws Exception {
        Browser alice = new Browser();
        alice.signIn("alice", "alice-pw");
        HttpResponse<String> queue = alice.get("/queue");
        assertThat(queue.statusCode()).isEqualTo(200);
        assertThat(rows(queue.body())).containsExactly("high", "mid", "low");
        assertThat(queue.body())
                .contains("pending: 3")
                .contains("blocked: 1")
                .contains("all: 4")
                .contains("id=\"oldest-pending\"");

        assertThat(rows(alice.get("/queue?queue=blocked").body())).containsExactly("blocked");
        assertThat(rows(alice.get("/queue?queue=all&label=offensive&decision=REVIEW")
                        .body()))
                .containsExactly("high", "mid", "low");
        assertThat(rows(alice.get("/queue?queue=pending&language=de").body())).isEmpty();
        assertThat(alice.get("/queue?queue=nonsense").statusCode()).isEqualTo(400);
        assertThat(alice.get("/queue?maxAgeMinutes=soon").statusCode()).isEqualTo(400);
    }

    @Test
    void everyResponseSaysItsServerTime() throws Exception {
        Browser alice = new Browser();
        String timing = "app;dur=\\d+\\.\\d{2}";
        assertThat(alice.get("/login").headers().firstValue(ServerTiming.HEADER).orElse("none"))
                .matches(timing);
        alice.signIn("alice", "alice-pw");
        for (String path : List.of("/queue", "/queue/rows", "/counts", "/next", "/item/high", "/item/nope")) {
            HttpResponse<String> r = alice.get(path);
            assertThat(r.headers().firstValue(ServerTiming.HEADER).orElse("none"))
                    .as("%s (%d)", path, r.statusCode())
                    .matches(timing);
        }
    }

    @Test
    void theNextPageLinkContinuesWhereThePageEnded() throws Exception {
        server.close();
        server = server(new ConsoleConfig(
                        "127.0.0.1", 0, ConsoleConfig.DEFAULT_CLAIM_TTL, 2, ConsoleConfig.DEFAULT_SESSION_TTL))
                .build()
                .start();
        Browser alice = new Browser();
        alice.signIn("alice", "alice-pw");
        String first = alice.get("/queue").body();
        assertThat(rows(first)).containsExactly("high", "mid");
        Matcher next = Pattern.compile("id=\"next-page\" href=\"([^\"]+)\"").matcher(first);
        assertThat(next.find()).isTrue();
        String second = alice.get(next.group(1).replace("&amp;", "&")).body();
        assertThat(rows(second)).containsExactly("low");
    }

    @Test
    void openingAnItemClaimsItAndASecondModeratorIsToldWhoHoldsIt() throws Exception {
        Browser alice = new Browser();
        alice.signIn("alice", "alice-pw");
        HttpResponse<String> item = alice.get("/item/high");
        assertThat(item.statusCode()).isEqualTo(200);
        assertThat(item.body())
                .contains("<article class=\"item\" data-event-id=\"high\"")
                .contains("text of high")
                .contains("review 0.50 / block 0.90")
                .contains("name=\"label_offensive\" value=\"true\" checked")
                .contains("name=\"label_hate\" value=\"true\">");
        assertThat(new Claims(pg.db, new Queues(pg.db)).holder("high")).contains("alice");

        Browser bob = new Browser();
        bob.signIn("bob", "bob-pw");
        HttpResponse<String> taken = bob.get("/item/high");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.body()).contains("claimed by <strong>alice</strong>").contains("href=\"/next\"");

        HttpResponse<String> next = bob.get("/next");
        assertThat(next.headers().firstValue("Location")).contains("/item/mid");
        assertThat(alice.get("/item/mid").statusCode()).isEqualTo(409);
    }

    @Test
    void aVerdictReachesTheSinkIsAuditedAndTheItemLeavesThePendingQueue() throws Exception {
        Browser alice = new Browser();
        alice.signIn("alice", "alice-pw");
        alice.get("/item/high");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", alice.lastCsrf);
        form.put("label_spam", "true");
        form.put("note", "it's an ad");
        form.put("action", "submit");
        HttpResponse<String> posted = alice.post("/item/high/verdict", form);
        assertThat(posted.statusCode()).isEqualTo(302);
        assertThat(posted.headers().firstValue("Location")).contains("/next");

        assertThat(sink.verdicts()).hasSize(1);
        VerdictSink.Verdict v = sink.verdicts().get(0);
        assertThat(v.eventId()).isEqualTo("high");
        assertThat(v.moderator()).isEqualTo("alice");
        assertThat(v.labels()).isEqualTo(Map.of("offensive", false, "hate", false, "spam", true));
        assertThat(v.note()).contains("it's an ad");
        assertThat(v.text()).isEqualTo("text of high");
        assertThat(pg.count("SELECT count(*) FROM console_audit WHERE action = 'verdict' AND event_id = 'high'"
                        + " AND actor = 'alice' AND detail->'labels'->>'spam' = 'true'"))
                .isEqualTo(1);
        assertThat(new Claims(pg.db, new Queues(pg.db)).holder("high")).isEmpty();

        // sent, the item leaves the pending queue at once (its sink row lags), and the next is offered
        String queue = alice.get("/queue").body();
        assertThat(rows(queue)).containsExactly("mid", "low");
        assertThat(queue).contains("pending: 2").contains("decided: 1");
        assertThat(alice.get("/next").headers().firstValue("Location")).contains("/item/mid");

        // a verdict row the sink wrote (judged elsewhere) takes an item out of pending too
        pg.verdict("low", "bob");
        assertThat(rows(alice.get("/queue").body())).containsExactly("mid");

        // remove: the flagged labels are true; approve: all false
        alice.post("/item/mid/verdict", Map.of("csrf", alice.lastCsrf, "action", "remove"));
        assertThat(sink.verdicts().get(1).labels()).isEqualTo(Map.of("offensive", true, "hate", false, "spam", false));
        assertThat(rows(alice.get("/queue").body())).isEmpty();
        alice.get("/item/low");
        alice.post("/item/low/verdict", Map.of("csrf", alice.lastCsrf, "action", "approve"));
        assertThat(sink.verdicts().get(2).labels()).isEqualTo(Map.of("offensive", false, "hate", false, "spam", false));

        // the sink's row for the first verdict lands: counted once, shown in the item's history
        pg.verdict("high", "alice");
        assertThat(alice.get("/queue").body()).contains("decided: 3").contains("pending: 0");
        assertThat(alice.get("/item/high").body()).contains("verdict by alice");
    }

    @Test
    void aVerdictOnAnItemAnotherModeratorHoldsIsRefused() throws Exception {
        Browser alice = new Browser();
        alice.signIn("alice", "alice-pw");
        alice.get("/item/high");
        Browser bob = new Browser();
        bob.signIn("bob", "bob-pw");
        bob.get("/queue");
        HttpResponse<String> refused =
                bob.post("/item/high/verdict", Map.of("csrf", bob.lastCsrf, "action", "approve"));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("claimed by <strong>alice</strong>");
        assertThat(sink.verdicts()).isEmpty();
        assertThat(pg.count("SELECT count(*) FROM console_audit WHERE action = 'verdict'"))
                .isZero();
    }

    @Test
    void onlyAdminsSeeTheAuditLog() throws Exception {
        Browser alice = new Browser();
        alice.signIn("alice", "alice-pw");
        assertThat(alice.get("/audit").statusCode()).isEqualTo(403);
        assertThat(alice.get("/queue").body()).doesNotContain("href=\"/audit\"");

        Browser admin = new Browser();
        admin.signIn("admin", "admin-pw");
        HttpResponse<String> log = admin.get("/audit");
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.body()).contains("<td>alice</td><td>sign-in</td>").contains("<td>admin</td><td>sign-in</td>");
    }

    @Test
    void textFromTheDatabaseIsEscapedAndPagesRefuseFraming() throws Exception {
        pg.execute("UPDATE moderation_events SET text = '<script>alert(1)</script>' WHERE id = 'high'");
        Browser alice = new Browser();
        alice.signIn("alice", "alice-pw");
        HttpResponse<String> queue = alice.get("/queue");
        assertThat(queue.body()).doesNotContain("<script>alert").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(alice.get("/item/high").body()).doesNotContain("<script>alert");
        assertThat(queue.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    void anOpenItemShowsTheWordsThatDroveItsFlaggedLabels() throws Exception {
        server.close();
        List<String> asked = new ArrayList<>();
        Explainer explainer = (text, modelVersion, encoder) -> {
            asked.add(modelVersion);
            // "text of high": "high" drove offensive, "text" held it down
            return Optional.of(new Explainer.Explanation(
                    Map.of(
                            "offensive",
                            List.of(new Explainer.Span(0, 4, -0.1), new Explainer.Span(8, 12, 0.4)),
                            "hate",
                            List.of(new Explainer.Span(5, 7, 0.3))),
                    4,
                    java.time.Duration.ofMillis(12)));
        };
        server = server(ConsoleConfig.local(0)).explainer(explainer).build().start();
        Browser alice = new Browser();
        alice.signIn("alice", "alice-pw");
        String item = alice.get("/item/high").body();
        assertThat(asked).containsExactly("v1");
        assertThat(item)
                .contains(
                        "<p data-why-label=\"offensive\"><strong>offensive</strong>: text of <mark data-weight=\"0.400\"")
                .contains(">high</mark></p>")
                .contains("computed from 4 texts in 12 ms")
                // hate is below its review threshold here: not flagged, not explained
                .doesNotContain("data-why-label=\"hate\"");
    }

    @Test
    void itemsShowTheirEncoderAndLanguageAndUnscoredOnesTheirReasonInsteadOfScores() throws Exception {
        // the sink's schema evolution adds the columns with the first event labeled per language
        pg.execute("ALTER TABLE moderation_events ADD COLUMN encoder_name text, ADD COLUMN unscored_reason text");
        pg.execute("UPDATE moderation_events SET encoder_name = 'minilm-l6' WHERE id <> 'low'");
        pg.insert(review("zh-1", Map.of("offensive", 0.97), Instant.now()).language("zh"));
        pg.execute("UPDATE moderation_events SET encoder_name = 'bge-small-zh' WHERE id = 'zh-1'");
        pg.insert(review("ja-1", Map.of(), Instant.now()).language("ja").modelVersion("none"));
        pg.execute("UPDATE moderation_events SET unscored_reason = 'unsupported language: ja' WHERE id = 'ja-1'");
        server.close();
        List<String> asked = new ArrayList<>();
        Explainer explainer = (text, modelVersion, encoder) -> {
            asked.add(encoder.orElse("?") + "/" + modelVersion);
            return Optional.empty();
        };
        // English serves v2, Chinese v1: only the English items are stale, the unscored one never
        LiveModel live = new LiveModel() {
            @Override
            public Optional<String> version() {
                return Optional.of("minilm-l6 v2, bge-small-zh v1");
            }

            @Override
            public Optional<String> version(Optional<String> encoder) {
                return Optional.of(encoder.orElse("minilm-l6").equals("bge-small-zh") ? "v1" : "v2");
            }
        };
        // the Chinese model has its own thresholds: the item page measures zh-1 against them
        Thresholds perEncoder = new Thresholds() {
            @Override
            public Map<String, Thresholds.Label> current() {
                return THRESHOLDS;
            }

            @Override
            public Map<String, Thresholds.Label> forItem(Optional<String> encoder, String language) {
                return encoder.equals(Optional.of("bge-small-zh"))
                        ? Map.of("offensive", new Thresholds.Label(0.96, 0.99))
                        : THRESHOLDS;
            }
        };
        server = server(ConsoleConfig.local(0))
                .thresholds(perEncoder)
                .explainer(explainer)
                .liveModel(live)
                .build()
                .start();
        Browser alice = new Browser();
        alice.signIn("alice", "alice-pw");

        String queue = alice.get("/queue").body();
        assertThat(queue)
                .contains("<th>encoder</th>")
                .contains("<tr class=\"item\" data-event-id=\"zh-1\"")
                .contains("<tr class=\"item stale\" data-event-id=\"high\"")
                .contains("<tr class=\"item\" data-event-id=\"ja-1\"")
                .contains("<em class=\"unscored\">not scored: unsupported language: ja</em>")
                .containsPattern("data-event-id=\"zh-1\".*?<td class=\"encoder\">bge-small-zh</td>"
                        + "<td class=\"language\">zh</td>")
                // a row from before the columns were filled: no encoder, still listed
                .containsPattern("data-event-id=\"low\".*?<td class=\"encoder\"></td><td class=\"language\">en</td>");

        String zh = alice.get("/item/zh-1").body();
        assertThat(zh)
                .contains("data-encoder=\"bge-small-zh\"")
                .contains("<dd>bge-small-zh v1</dd>")
                .contains("review 0.96 / block 0.99");
        assertThat(asked).containsExactly("bge-small-zh/v1");

        String ja = alice.get("/item/ja-1").body();
        assertThat(ja)
                .contains("<p class=\"unscored\">not scored: <strong>unsupported language: ja</strong>")
                .doesNotContain("model decision")
                .doesNotContain("older than the live");
        alice.get("/item/low");
        assertThat(asked).containsExactly("bge-small-zh/v1", "?/v1");
    }

    @Test
    void theHeaderShowsTheLiveModelAndItemsScoredByAnOlderOneAreMarked() throws Exception {
        pg.execute("UPDATE moderation_events SET model_version = 'v2' WHERE id = 'mid'");
        server.close();
        server = server(ConsoleConfig.local(0))
                .liveModel(() -> Optional.of("v2"))
                .build()
                .start();
        Browser alice = new Browser();
        alice.signIn("alice", "alice-pw");
        String queue = alice.get("/queue").body();
        assertThat(queue).contains("<span id=\"live-model\">model v2</span>");
        assertThat(queue)
                .contains("<tr class=\"item stale\" data-event-id=\"high\"")
                .contains("<tr class=\"item\" data-event-id=\"mid\"");
        assertThat(alice.get("/item/high").body()).contains("(older than the live v2)");
        assertThat(alice.get("/item/mid").body()).doesNotContain("older than the live");
    }

    @Test
    void aBulkVerdictDecidesTheSelectedItemsAndSkipsOnesOthersHold() throws Exception {
        Browser bob = new Browser();
        bob.signIn("bob", "bob-pw");
        bob.get("/item/low");
        Browser alice = new Browser();
        alice.signIn("alice", "alice-pw");
        String queue = alice.get("/queue").body();
        assertThat(queue).contains("<input type=\"checkbox\" name=\"id\" value=\"high\"");
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(server.url() + "/bulk"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", alice.cookie.orElseThrow());
        String form = "csrf=" + URLEncoder.encode(alice.lastCsrf, StandardCharsets.UTF_8)
                + "&action=approve&id=high&id=mid&id=low";
        HttpResponse<String> done = alice.http.send(
                post.POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).isEqualTo(302);

        assertThat(sink.verdicts()).extracting(VerdictSink.Verdict::eventId).containsExactly("high", "mid");
        assertThat(sink.verdicts()).allSatisfy(v -> {
            assertThat(v.moderator()).isEqualTo("alice");
            assertThat(v.labels()).doesNotContainValue(true);
        });
        String after =
                alice.get(done.headers().firstValue("Location").orElseThrow()).body();
        assertThat(after).contains("Decided 2 item(s); skipped 1");
        assertThat(rows(after)).containsExactly("low");
        assertThat(alice.post("/bulk", Map.of("csrf", alice.lastCsrf, "action", "submit"))
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void htmxAndTheKeyboardScriptAreServedWithoutSignIn() throws Exception {
        Browser anyone = new Browser();
        assertThat(anyone.get(Html.HTMX).statusCode()).isEqualTo(200);
        HttpResponse<String> keys = anyone.get("/static/console.js");
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.body()).contains("keydown").contains("button[value=approve]");
    }

    /** A policy in memory: the editor records each change and the thresholds show it at once. */
    static final class InMemoryPolicy implements PolicyEditor, Thresholds {
        final Map<String, Thresholds.Label> labels = new ConcurrentHashMap<>(THRESHOLDS);
        final List<String> changes = new CopyOnWriteArrayList<>();
        int version = 1;

        @Override
        public synchronized String setThresholds(String label, double review, double block, String admin) {
            changes.add(label + " " + review + "/" + block + " by " + admin);
            labels.put(label, new Thresholds.Label(review, block));
            return "v" + ++version;
        }

        @Override
        public Map<String, Thresholds.Label> current() {
            return Map.copyOf(labels);
        }
    }

    InMemoryPolicy startWithPolicy() {
        server.close();
        InMemoryPolicy policy = new InMemoryPolicy();
        server = server(ConsoleConfig.local(0))
                .thresholds(policy)
                .policy(policy)
                .build()
                .start();
        return policy;
    }

    static Map<String, String> thresholdsForm(String csrf, String label, String review, String block) {
        Map<String, String> form = new LinkedHashMap<>();
        if (csrf != null) {
            form.put("csrf", csrf);
        }
        form.put("label", label);
        form.put("review", review);
        form.put("block", block);
        return form;
    }

    @Test
    void anAdminChangesAThresholdWhichIsAuditedAndShownAtOnce() throws Exception {
        InMemoryPolicy policy = startWithPolicy();
        Browser admin = new Browser();
        admin.signIn("admin", "admin-pw");
        assertThat(admin.get("/queue").body()).contains("<a href=\"/admin/thresholds\">thresholds</a>");
        HttpResponse<String> page = admin.get("/admin/thresholds");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("<tr data-label=\"hate\"><td>hate</td><td class=\"review\">0.4</td>"
                        + "<td class=\"block\">0.8</td>")
                .contains("<input type=\"hidden\" name=\"label\" value=\"spam\">")
                .contains("name=\"review\"")
                .contains("name=\"block\"")
                .contains("data-action=\"set-thresholds\"");

        HttpResponse<String> set =
                admin.post("/admin/thresholds", thresholdsForm(admin.lastCsrf, "hate", "0.3", "0.6"));
        assertThat(set.statusCode()).isEqualTo(302);
        assertThat(policy.changes).containsExactly("hate 0.3/0.6 by admin");
        assertThat(pg.count("SELECT count(*) FROM console_audit WHERE action = 'policy' AND actor = 'admin'"
                        + " AND event_id IS NULL AND detail->>'label' = 'hate' AND detail->>'version' = 'v2'"
                        + " AND (detail->>'review')::float8 = 0.3 AND (detail->>'block')::float8 = 0.6"
                        + " AND (detail->'before'->>'review')::float8 = 0.4"))
                .isEqualTo(1);

        String after =
                admin.get(set.headers().firstValue("Location").orElseThrow()).body();
        assertThat(after)
                .contains("hate set to review 0.3 / block 0.6: policy version v2.")
                .contains("<tr data-label=\"hate\"><td>hate</td><td class=\"review\">0.3</td>"
                        + "<td class=\"block\">0.6</td>");
        assertThat(admin.get("/audit").body()).contains("<td>admin</td><td>policy</td>");
    }

    @Test
    void moderatorsCannotSeeOrChangeThresholds() throws Exception {
        InMemoryPolicy policy = startWithPolicy();
        Browser alice = new Browser();
        alice.signIn("alice", "alice-pw");
        assertThat(alice.get("/queue").body()).doesNotContain("/admin/thresholds");
        assertThat(alice.get("/admin/thresholds").statusCode()).isEqualTo(403);
        assertThat(alice.post("/admin/thresholds", thresholdsForm(alice.lastCsrf, "hate", "0.3", "0.6"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(policy.changes).isEmpty();
        assertThat(pg.count("SELECT count(*) FROM console_audit WHERE action = 'policy'"))
                .isZero();
    }

    @Test
    void aThresholdChangeWithoutCsrfTokenIsRefused() throws Exception {
        InMemoryPolicy policy = startWithPolicy();
        Browser admin = new Browser();
        admin.signIn("admin", "admin-pw");
        admin.get("/admin/thresholds");
        assertThat(admin.post("/admin/thresholds", thresholdsForm(null, "hate", "0.3", "0.6"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(admin.post("/admin/thresholds", thresholdsForm("forged", "hate", "0.3", "0.6"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(policy.changes).isEmpty();
    }

    @Test
    void invalidThresholdsAndUnknownLabelsAreRefusedBeforeTheEditor() throws Exception {
        InMemoryPolicy policy = startWithPolicy();
        Browser admin = new Browser();
        admin.signIn("admin", "admin-pw");
        admin.get("/admin/thresholds");

        HttpResponse<String> inverted =
                admin.post("/admin/thresholds", thresholdsForm(admin.lastCsrf, "hate", "0.7", "0.6"));
        assertThat(inverted.statusCode()).isEqualTo(400);
        assertThat(inverted.body())
                .contains("id=\"thresholds-error\">hate: thresholds must satisfy 0 ≤ review ≤ block ≤ 1")
                // the form keeps what was typed, the table what is live
                .contains("name=\"review\" min=\"0\" max=\"1\" step=\"any\" required size=\"6\" value=\"0.7\"")
                .contains("<td class=\"review\">0.4</td>");
        for (Map<String, String> bad : List.of(
                thresholdsForm(admin.lastCsrf, "hate", "-0.1", "0.6"),
                thresholdsForm(admin.lastCsrf, "hate", "0.3", "1.5"),
                thresholdsForm(admin.lastCsrf, "hate", "NaN", "0.6"),
                thresholdsForm(admin.lastCsrf, "hate", "low", "0.6"),
                thresholdsForm(admin.lastCsrf, "hate", "", ""))) {
            assertThat(admin.post("/admin/thresholds", bad).statusCode())
                    .as("%s", bad)
                    .isEqualTo(400);
        }
        HttpResponse<String> unknown =
                admin.post("/admin/thresholds", thresholdsForm(admin.lastCsrf, "hatred", "0.3", "0.6"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("unknown label: hatred");
        assertThat(policy.changes).isEmpty();
        assertThat(pg.count("SELECT count(*) FROM console_audit WHERE action = 'policy'"))
                .isZero();

        // bounds are inclusive
        assertThat(admin.post("/admin/thresholds", thresholdsForm(admin.lastCsrf, "spam", "1", "1"))
                        .statusCode())
                .isEqualTo(302);
        assertThat(policy.changes).containsExactly("spam 1.0/1.0 by admin");
    }

    @Test
    void withoutAPolicyTopicAThresholdChangeFailsWithTheReason() throws Exception {
        Browser admin = new Browser();
        admin.signIn("admin", "admin-pw");
        admin.get("/admin/thresholds");
        HttpResponse<String> refused =
                admin.post("/admin/thresholds", thresholdsForm(admin.lastCsrf, "hate", "0.3", "0.6"));
        assertThat(refused.statusCode()).isEqualTo(502);
        assertThat(refused.body()).contains("The policy was not changed: no policy topic configured");
        assertThat(pg.count("SELECT count(*) FROM console_audit WHERE action = 'policy'"))
                .isZero();
    }

    @Test
    void repeatedFailedSignInsAreThrottledUntilTheWindowPasses() throws Exception {
        server.close();
        TestClock clock = new TestClock(Instant.now());
        server = server(ConsoleConfig.local(0)).clock(clock).build().start();
        Browser mallory = new Browser();
        for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
            assertThat(mallory.signIn("alice", "guess" + i).statusCode()).isEqualTo(401);
        }
        // the right password is not even checked now, for that name or from that address
        HttpResponse<String> throttled = mallory.signIn("alice", "alice-pw");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.body()).contains("Too many failed sign-ins");
        assertThat(throttled.headers().firstValue("Retry-After")).contains("300");
        assertThat(new Browser().signIn("bob", "bob-pw").statusCode()).isEqualTo(429);
        assertThat(pg.count("SELECT count(*) FROM console_audit WHERE action = 'sign-in'"))
                .isZero();

        clock.advance(SignInThrottle.WINDOW);
        assertThat(new Browser().signIn("alice", "alice-pw").statusCode()).isEqualTo(302);
    }
}
