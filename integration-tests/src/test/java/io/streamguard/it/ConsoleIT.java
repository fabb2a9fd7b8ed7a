package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.avro.Feedback;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.TextEvent;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.registry.RegistryConfig;
import io.streamguard.schemas.serde.AvroSerde;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The moderator console in a real browser (Debian's headless chromium through Selenium) against the real
 * stack as {@code streamguard up --demo} runs it: broker, registry, PostgreSQL, Connect with its sinks,
 * the labeling worker and the console. Moderators sign in, work the queue with the keyboard, and their
 * verdicts come out as Feedback records on moderation-feedback and rows of moderation_verdicts; an admin's
 * threshold change reaches the running worker.
 *
 * <p>Screenshots of the queue and of an open item go to {@code target/screenshots/} (the README shows
 * the ones of a real run, copied to {@code docs/console/}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    private static final String ADMIN_PASSWORD = "it-admin-" + Long.toHexString(System.nanoTime());
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Pattern ADDED = Pattern.compile("with password (\\S+) ");

    @TempDir
    static Path dir;

    static UpCommandIT.Up up;
    static Map<String, String> passwords = new TreeMap<>();
    static AvroSerde<Feedback> feedback;
    static AvroSerde<LabeledEvent> labeled;

    @BeforeAll
    static void startTheStack() throws Exception {
        up = UpCommandIT.Up.start(
                dir.resolve("data"),
                Map.of("STREAMGUARD_CONSOLE_ADMIN_PASSWORD", ADMIN_PASSWORD),
                "--no-retrainer", // not under test here; its base-data encoding would only load the CI machine
                "--demo",
                "--demo-events",
                "80",
                "--demo-rate",
                "40");
        up.awaitLine("DEMO DATABASE", 180);
        for (String moderator : List.of("mia", "noah")) {
            Cli added = Cli.run("console", "users", "add", moderator, "--role", "moderator", "--jdbc-url", up.postgres);
            assertThat(added.exit()).as(added.err()).isZero();
            Matcher m = ADDED.matcher(added.out());
            assertThat(m.find()).as(added.out()).isTrue();
            passwords.put(moderator, m.group(1));
        }
        feedback = AvroSerde.specific(Feedback.class);
        feedback.configure(Map.of(RegistryConfig.URL, up.registry), false);
        labeled = AvroSerde.specific(LabeledEvent.class);
        labeled.configure(Map.of(RegistryConfig.URL, up.registry), false);
    }

    @AfterAll
    static void stop() throws Exception {
        if (up != null) {
            up.close();
        }
    }

    @Test
    @Order(1)
    void aWrongPasswordIsRefusedAndTheRightOneSignsIn() {
        try (Browser browser = new Browser()) {
            signIn(browser, "mia", "not-her-password");
            assertThat(browser.await(By.id("login-error")).getText()).isNotBlank();
            assertThat(browser.driver().getCurrentUrl()).endsWith("/login");

            signIn(browser, "mia", passwords.get("mia"));
            browser.await(By.cssSelector("tr.item[data-event-id]"));
            assertThat(browser.driver().getCurrentUrl()).contains("/queue");
        }
    }

    @Test
    @Order(2)
    void theQueueShowsEveryPendingItemRiskiestFirst() throws Exception {
        try (Browser browser = signedIn("mia")) {
            List<String> shown = browser.driver().findElements(By.cssSelector("tr.item[data-event-id]")).stream()
                    .map(r -> r.getAttribute("data-event-id"))
                    .toList();
            browser.screenshot(SCREENSHOTS.resolve("queue.png"));

            Map<String, Double> priority = pendingPriorities();
            assertThat(shown).containsExactlyInAnyOrderElementsOf(priority.keySet());
            assertThat(shown).hasSizeGreaterThanOrEqualTo(4);
            // Priorities are taken a few seconds after the page: waiting adds 0.1 per hour, i.e. < 0.001 here.
            for (int i = 1; i < shown.size(); i++) {
                assertThat(priority.get(shown.get(i)))
                        .as("priority of row %d (%s) after row %d (%s)", i, shown.get(i), i - 1, shown.get(i - 1))
                        .isLessThanOrEqualTo(priority.get(shown.get(i - 1)) + 0.001);
            }
            assertThat(browser.driver().findElement(By.id("oldest-pending")).getText())
                    .startsWith("oldest pending:");
        }
    }

    @Test
    @Order(3)
    void anOpenItemHighlightsTheWordsThatDroveItsLabels() {
        try (Browser browser = signedIn("mia")) {
            browser.keys("j", Keys.ENTER); // select the first row, open it
            WebElement item = browser.await(By.cssSelector("article.item[data-event-id]"));
            List<WebElement> marks = browser.driver().findElements(By.cssSelector("section.why mark[data-weight]"));
            assertThat(marks).isNotEmpty();
            assertThat(marks).anySatisfy(m -> assertThat(Double.parseDouble(m.getAttribute("data-weight")))
                    .isPositive());
            assertThat(browser.driver()
                            .findElement(By.cssSelector("section.why .cost"))
                            .getText())
                    .matches("computed from \\d+ texts in \\d+ ms");
            // Its history: the model version that scored it, from the scorings sink's table.
            assertThat(browser.driver().findElements(By.cssSelector("ul.history li.scoring[data-model-version]")))
                    .extracting(li -> li.getAttribute("data-model-version"))
                    .containsExactly(item.getAttribute("data-model-version"));
            browser.screenshot(SCREENSHOTS.resolve("item.png"));
            releaseWithQueue(browser, item);
        }
    }

    @Test
    @Order(4)
    void threeItemsDecidedByKeyboardAloneBecomeFeedbackRecordsAndVerdictRows() throws Exception {
        Map<String, Map<String, Boolean>> expected = new LinkedHashMap<>();
        try (Tail<Feedback> verdicts = Tail.of(up.bootstrap, Topics.MODERATION_FEEDBACK, feedback);
                Browser browser = signedIn("mia")) {
            browser.open(up.console + "/next");
            // a: approve (no label applies); r: remove (the flagged labels apply); 1 then Enter: the first
            // label toggled from what the model flagged, submitted.
            for (String keys : List.of("a", "r", "1\n")) {
                WebElement item = browser.await(By.cssSelector("article.item[data-event-id]"));
                String id = item.getAttribute("data-event-id");
                Map<String, Boolean> boxes = checkboxes(browser);
                Map<String, Boolean> verdict = new TreeMap<>();
                switch (keys) {
                    case "a" -> boxes.keySet().forEach(l -> verdict.put(l, false));
                    case "r" -> verdict.putAll(boxes);
                    default -> {
                        verdict.putAll(boxes);
                        String first = boxes.keySet().iterator().next();
                        verdict.put(first, !boxes.get(first));
                    }
                }
                expected.put(id, verdict);
                if (keys.equals("1\n")) {
                    browser.keys("1");
                    assertThat(checkboxes(browser)).isEqualTo(verdict);
                    browser.keys(Keys.ENTER);
                } else {
                    browser.keys(keys);
                }
                browser.await(ExpectedConditions.stalenessOf(item)); // the next item, or the queue when none is left
            }

            List<Feedback> sent = verdicts.awaitValues(r -> expected.containsKey(r.key()), 3).stream()
                    .toList();
            // Keyed by event id, so spread over the topic's partitions: no order across them.
            assertThat(sent).extracting(Feedback::getEventId).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (Feedback f : sent) {
                assertThat(f.getModerator()).isEqualTo("mia");
                assertThat(new TreeMap<>(f.getVerdicts())).isEqualTo(expected.get(f.getEventId()));
                assertThat(f.getText()).isNotBlank();
            }
        }
        // Through the verdicts sink into PostgreSQL; and out of the pending queue.
        awaitRows(
                "SELECT count(*) FROM moderation_verdicts WHERE moderator = 'mia' AND event_id IN ("
                        + String.join(
                                ", ",
                                expected.keySet().stream()
                                        .map(id -> "'" + id + "'")
                                        .toList()) + ")",
                3);
        assertThat(pendingPriorities().keySet()).doesNotContainAnyElementsOf(expected.keySet());
    }

    @Test
    @Order(5)
    void twoModeratorsNeverGetTheSameItem() {
        try (Browser mia = signedIn("mia");
                Browser noah = signedIn("noah")) {
            mia.open(up.console + "/next");
            String hers =
                    mia.await(By.cssSelector("article.item[data-event-id]")).getAttribute("data-event-id");
            noah.open(up.console + "/next");
            String his =
                    noah.await(By.cssSelector("article.item[data-event-id]")).getAttribute("data-event-id");
            assertThat(his).isNotEqualTo(hers);

            noah.open(up.console + "/item/" + hers);
            assertThat(noah.await(By.cssSelector("p.claimed[data-event-id]")).getText())
                    .contains("mia");
            assertThat(noah.driver().findElements(By.id("verdict"))).isEmpty();
        }
    }

    @Test
    @Order(6)
    void aVerdictWithoutItsCsrfTokenIsRefused() throws Exception {
        try (Browser mia = signedIn("mia")) {
            mia.open(up.console + "/next");
            String id = mia.await(By.cssSelector("article.item[data-event-id]")).getAttribute("data-event-id");
            Cookie session = mia.driver().manage().getCookies().iterator().next();
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(up.console + "/item/" + id + "/verdict"))
                                    .header("Cookie", session.getName() + "=" + session.getValue())
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString("action=approve"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(pendingPriorities()).containsKey(id);
        }
    }

    @Test
    @Order(7)
    void anAdminsThresholdChangeReachesTheRunningWorkerAndItsItemsAppearLive() throws Exception {
        try (Browser admin = new Browser();
                Browser queue = signedIn("noah");
                Tail<LabeledEvent> out = Tail.of(up.bootstrap, Topics.TEXT_LABELED, labeled)) {
            signIn(admin, "admin", ADMIN_PASSWORD);
            admin.await(By.cssSelector("tr.item"));
            admin.open(up.console + "/admin/thresholds");
            WebElement spam = admin.await(By.cssSelector("tr[data-label=spam]"));
            WebElement review = spam.findElement(By.name("review"));
            review.clear();
            review.sendKeys("0");
            WebElement block = spam.findElement(By.name("block"));
            block.clear();
            block.sendKeys("1");
            spam.findElement(By.cssSelector("[data-action=set-thresholds]")).click();
            String confirmation = admin.await(ExpectedConditions.visibilityOfElementLocated(
                            By.xpath("//*[contains(text(), 'policy version')]")))
                    .getText();
            Matcher version = Pattern.compile("policy version (\\S+?)\\.?$").matcher(confirmation);
            assertThat(version.find()).as(confirmation).isTrue();

            // Spam at review 0: a harmless text now goes to review, under the admin's policy version.
            String id = "console-it-" + Long.toHexString(System.nanoTime());
            produce(id, "see you at the library after lunch");
            LabeledEvent event = out.awaitValues(
                            r -> r.key() != null && r.value().getId().equals(id), 1)
                    .get(0);
            assertThat(event.getPolicyVersion()).isEqualTo(version.group(1));
            assertThat(event.getTriggeredLabels()).contains("spam");

            // noah's open queue page gets the new item without a reload (htmx refresh).
            queue.await(
                    ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.item[data-event-id='" + id + "']")));
        }
    }

    // ---- helpers

    private static Browser signedIn(String moderator) {
        Browser browser = new Browser();
        signIn(browser, moderator, passwords.get(moderator));
        browser.await(By.cssSelector("tr.item[data-event-id]"));
        return browser;
    }

    private static void signIn(Browser browser, String name, String password) {
        browser.open(up.console + "/login");
        WebElement user = browser.await(By.name("username"));
        user.clear();
        user.sendKeys(name);
        WebElement pw = browser.driver().findElement(By.name("password"));
        pw.sendKeys(password);
        pw.submit();
    }

    /** Back to the queue (k), leaving the claim to expire: what a moderator who looks and leaves does. */
    private static void releaseWithQueue(Browser browser, WebElement item) {
        browser.keys("k");
        browser.await(ExpectedConditions.stalenessOf(item));
    }

    /** The verdict form's label boxes, in page order: label to checked. */
    private static Map<String, Boolean> checkboxes(Browser browser) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (WebElement box : browser.driver().findElements(By.cssSelector("#verdict input[type=checkbox]"))) {
            out.put(box.getAttribute("name").substring("label_".length()), box.isSelected());
        }
        return out;
    }

    /**
     * The pending queue from the database: REVIEW items nobody judged, each with its priority computed as
     * specified (how far its highest score is past that label's REVIEW threshold, plus 0.1 per hour
     * waited) with the model's own thresholds (no policy yet when this is used).
     */
    private static Map<String, Double> pendingPriorities() throws SQLException {
        HeadsModel heads = HeadsFile.read(Path.of(System.getProperty("streamguard.home"), "models/v2/minilm-l6.json"));
        Map<String, Double> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(up.postgres);
                Statement s = c.createStatement();
                // The verdicts sink creates moderation_verdicts with the first verdict.
                ResultSet rs = s.executeQuery("SELECT e.*, extract(epoch FROM now() - e.labeled_at) AS waited"
                        + " FROM moderation_events e WHERE e.decision = 'REVIEW'"
                        + (verdictsTableExists(c)
                                ? " AND NOT EXISTS (SELECT 1 FROM moderation_verdicts v WHERE v.event_id = e.id)"
                                : ""))) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                double past = Double.NEGATIVE_INFINITY;
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String column = meta.getColumnName(i);
                    if (column.startsWith("score_")) {
                        var t = heads.thresholds().get(column.substring("score_".length()));
                        if (t != null) {
                            past = Math.max(past, rs.getDouble(i) - t.review());
                        }
                    }
                }
                out.put(rs.getString("id"), past + Math.max(0, rs.getDouble("waited")) / 3600 * 0.1);
            }
        }
        return out;
    }

    private static boolean verdictsTableExists(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT to_regclass('moderation_verdicts') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void awaitRows(String countQuery, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long found = -1;
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection(up.postgres);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(countQuery)) {
                rs.next();
                found = rs.getLong(1);
            } catch (SQLException e) {
                found = -1; // the sink creates moderation_verdicts with its first record
            }
            if (found == expected) {
                return;
            }
            Thread.sleep(250); // polling a condition
        }
        throw new AssertionError(countQuery + " gave " + found + ", not " + expected + ", within 90 s");
    }

    private static void produce(String id, String text) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, up.bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (AvroSerde<TextEvent> serde = AvroSerde.specific(TextEvent.class)) {
            serde.configure(Map.of(RegistryConfig.URL, up.registry), false);
            try (KafkaProducer<String, TextEvent> producer =
                    new KafkaProducer<>(p, new StringSerializer(), serde.serializer())) {
                producer.send(new ProducerRecord<>(
                                Topics.TEXT_EVENTS,
                                id,
                                TextEvent.newBuilder().setId(id).setText(text).build()))
                        .get();
            }
        }
    }
}
