package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.HasCapabilities;
import org.openqa.selenium.WebElement;

/**
 * The {@link Browser} harness against a real page from a JDK HTTP server, without the rest of the stack: forms,
 * JavaScript key handling, per-instance cookie jars and screenshots all work before a console test relies on them.
 */
class BrowserIT {
    private static final String PAGE = """
            <!doctype html>
            <html><head><title>Browser check</title></head>
            <body>
              <form method="post" action="/submit">
                <input name="comment"><button id="send" type="submit">Send</button>
              </form>
              <p id="pressed">nothing yet</p>
              <script>
                // A shortcut handler as a console's: ignores keys typed into fields.
                document.addEventListener('keydown', e => {
                  if (e.target.tagName === 'INPUT') return;
                  if (e.key === 'a') document.getElementById('pressed').textContent = 'approved';
                });
              </script>
            </body></html>
            """;

    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", BrowserIT::page);
        server.createContext("/submit", BrowserIT::submit);
        server.createContext("/whoami", BrowserIT::whoami);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** The form page; a first visit gets a fresh session cookie. */
    private static void page(HttpExchange exchange) throws IOException {
        if (session(exchange).isEmpty()) {
            exchange.getResponseHeaders()
                    .add("Set-Cookie", "session=" + UUID.randomUUID() + "; Path=/; HttpOnly; SameSite=Strict");
        }
        respond(exchange, PAGE);
    }

    /** Echoes the submitted comment, escaped, as the server received it. */
    private static void submit(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String comment = Arrays.stream(form.split("&"))
                .filter(pair -> pair.startsWith("comment="))
                .map(pair -> URLDecoder.decode(pair.substring("comment=".length()), StandardCharsets.UTF_8))
                .findFirst()
                .orElse("(none)");
        respond(
                exchange,
                "<!doctype html><title>Submitted</title><p id=\"echo\">" + escape(comment) + "</p><p>"
                        + exchange.getRequestMethod() + "</p>");
    }

    /** The session cookie this request carried: what the server believes the browser is. */
    private static void whoami(HttpExchange exchange) throws IOException {
        respond(
                exchange,
                "<!doctype html><title>whoami</title><p id=\"session\">"
                        + session(exchange).orElse("none"));
    }

    private static Optional<String> session(HttpExchange exchange) {
        List<String> headers = exchange.getRequestHeaders().getOrDefault("Cookie", List.of());
        return headers.stream()
                .flatMap(h -> Arrays.stream(h.split(";\\s*")))
                .filter(c -> c.startsWith("session="))
                .map(c -> c.substring("session=".length()))
                .findFirst();
    }

    private static void respond(HttpExchange exchange, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Test
    void startsLoadsAPageAndSubmitsAForm() {
        long start = System.nanoTime();
        try (Browser browser = new Browser()) {
            System.out.printf(
                    "BrowserIT: chromium + chromedriver started in %d ms%n",
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            browser.open(base + "/");
            assertThat(browser.driver().getTitle()).isEqualTo("Browser check");

            WebElement comment = browser.await(By.name("comment"));
            comment.sendKeys("hello <b>world</b> & more");
            browser.driver().findElement(By.id("send")).click();

            browser.awaitTitle("Submitted");
            assertThat(browser.driver().findElement(By.id("echo")).getText())
                    .as("the server received the typed text, form-encoded by the browser")
                    .isEqualTo("hello <b>world</b> & more");
            assertThat(browser.driver().getPageSource()).contains("POST");
        }
    }

    @Test
    void keysGoToThePageNotToAFocusedField() {
        try (Browser browser = new Browser()) {
            browser.open(base + "/");
            WebElement comment = browser.await(By.name("comment"));
            comment.click();
            assertThat(browser.driver().switchTo().activeElement()).isEqualTo(comment);

            browser.keys("a");

            browser.awaitText(By.id("pressed"), "approved");
            assertThat(comment.getDomProperty("value"))
                    .as("the shortcut was not typed into the field that had focus")
                    .isEmpty();
        }
    }

    @Test
    void twoBrowsersHoldSeparateCookies() {
        try (Browser first = new Browser();
                Browser second = new Browser()) {
            first.open(base + "/");
            second.open(base + "/");
            Cookie mine = first.driver().manage().getCookieNamed("session");
            Cookie theirs = second.driver().manage().getCookieNamed("session");
            assertThat(mine).isNotNull();
            assertThat(theirs).isNotNull();
            assertThat(mine.getValue()).isNotEqualTo(theirs.getValue());

            first.open(base + "/whoami");
            second.open(base + "/whoami");
            assertThat(first.await(By.id("session")).getText()).isEqualTo(mine.getValue());
            assertThat(second.await(By.id("session")).getText()).isEqualTo(theirs.getValue());
        }
    }

    @Test
    void screenshotIsAPng(@TempDir Path dir) throws IOException {
        try (Browser browser = new Browser()) {
            browser.open(base + "/");
            Path png = browser.screenshot(dir.resolve("shots/page.png"));

            byte[] bytes = Files.readAllBytes(png);
            assertThat(bytes.length).isGreaterThan(1000);
            assertThat(Arrays.copyOf(bytes, 8))
                    .as("PNG signature")
                    .containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
            assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth())
                    .as("the viewport of --window-size")
                    .isEqualTo(1280);
        }
    }

    @Test
    void closeDeletesItsOwnProfile() {
        Path profile;
        try (Browser browser = new Browser()) {
            Map<?, ?> chrome = (Map<?, ?>)
                    ((HasCapabilities) browser.driver()).getCapabilities().getCapability("chrome");
            profile = Path.of((String) chrome.get("userDataDir"));
            assertThat(profile.getFileName().toString()).startsWith("streamguard-chromium-");
            assertThat(profile).isDirectory();
        }
        assertThat(profile).doesNotExist();
    }
}
