package io.streamguard.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian chromium, driven through Debian's chromedriver, for the console's browser tests. Both binaries
 * come from {@code scripts/install-test-deps.sh} (run by {@code mvn verify} before the ITs) and are named explicitly,
 * so Selenium Manager never looks for, or downloads, a driver or a browser. Each instance is its own chromedriver,
 * chromium and profile: two of them are two users with separate cookie jars and storage.
 *
 * <p>Chromium's flags, and why:
 *
 * <ul>
 *   <li>{@code --headless=new}: the full browser without a window; CI has no display.
 *   <li>{@code --no-sandbox}: chromium's sandbox cannot start as root or inside most containers, which is how CI runs.
 *   <li>{@code --disable-gpu}: there is no GPU; skips probing for one.
 *   <li>{@code --disable-dev-shm-usage}: containers often give {@code /dev/shm} 64 MB, which chromium fills and then
 *       crashes; shared memory goes to the temp dir instead.
 *   <li>{@code --disable-quic}: tests talk plain HTTP/1.1 to loopback; no QUIC (UDP) attempts.
 *   <li>{@code --no-first-run}, {@code --disable-sync}: no first-run or account UI on a fresh profile.
 *   <li>{@code --disable-background-networking}, {@code --disable-component-update}: no calls home (updates, safe
 *       browsing, component downloads) from an offline machine, whose timeouts would skew timings.
 *   <li>{@code --window-size=1280,900}: a fixed window (a 1280x757 viewport), so layouts and screenshots do
 *       not depend on defaults.
 *   <li>{@code --user-data-dir}: a fresh profile per instance, deleted on {@link #close()}: nothing leaks between
 *       instances or runs, and two instances never contend for one profile.
 * </ul>
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("streamguard.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("streamguard.chromedriver", "/usr/bin/chromedriver"));

    /** How long a wait gives the page: generous for a loaded 2-core CI machine, reached only on failure. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Path profile;
    private final ChromeDriver driver;
    private final WebDriverWait wait;

    Browser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException(CHROMIUM + " or " + CHROMEDRIVER
                    + " missing: run scripts/install-test-deps.sh (Debian's chromium and chromium-driver)");
        }
        try {
            profile = Files.createTempDirectory("streamguard-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toString())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--window-size=1280,900",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteProfile();
            throw e;
        }
        driver.manage().timeouts().pageLoadTimeout(PATIENCE);
        wait = new WebDriverWait(driver, PATIENCE);
    }

    /** The driver itself, for what the helpers here do not cover (cookies, scripts, navigation). */
    WebDriver driver() {
        return driver;
    }

    /** Loads {@code url} and returns once its {@code load} event has fired. */
    void open(String url) {
        driver.get(url);
    }

    /** Waits until {@code condition} holds (an {@link ExpectedConditions} factory, usually) and returns its value. */
    <T> T await(ExpectedCondition<T> condition) {
        return wait.until(condition);
    }

    /** The element {@code by} finds, once it is visible. */
    WebElement await(By by) {
        return await(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits until the element {@code by} finds contains {@code text}. */
    void awaitText(By by, String text) {
        await(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    /** Waits until the page's title is {@code title}. */
    void awaitTitle(String title) {
        await(ExpectedConditions.titleIs(title));
    }

    /**
     * Presses {@code keys} with the page body focused, as a moderator's keyboard shortcuts are: first blurs whatever has
     * focus, so nothing is typed into a field. {@link org.openqa.selenium.Keys} names the special keys.
     */
    void keys(CharSequence... keys) {
        ((JavascriptExecutor) driver)
                .executeScript("if (document.activeElement && document.activeElement !== document.body)"
                        + " document.activeElement.blur();");
        new Actions(driver).sendKeys(keys).perform();
    }

    /** Writes the viewport as a PNG to {@code file} (for a failure's evidence) and returns {@code file}. */
    Path screenshot(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends chromium and its chromedriver, then deletes the profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException gone) {
                    // chromium removes some of its own files as it exits
                }
            }
        } catch (NoSuchFileException gone) {
            // already deleted
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
