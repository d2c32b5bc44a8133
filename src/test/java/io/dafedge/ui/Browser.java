package io.dafedge.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for the pages' browser tests: Debian's chromium driven by Debian's chromedriver through
 * Selenium. Both are named explicitly, so Selenium Manager never tries to download a browser or a driver (there is
 * no internet on the appliance's build machines). Each browser has a fresh profile, waits explicitly for what a test
 * expects, and saves a full-page screenshot of every step as target/screenshots/&lt;test&gt;-&lt;nn&gt;-&lt;step&gt;.png.
 */
public final class Browser implements AutoCloseable {
    /** Where Debian installs them; CI may point elsewhere with -Dtest.chromium / -Dtest.chromedriver. */
    static final Path CHROMIUM = Path.of(System.getProperty("test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("test.chromedriver", "/usr/bin/chromedriver"));
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** chromedriver's log of each browser, for a failure on CI. */
    static final Path LOGS = Path.of("target", "browser-logs");
    /** Generous: a loaded 2-core machine runs the appliance, its inspections and the browser at once. */
    public static final Duration WAIT = Duration.ofSeconds(30);
    private static final int WIDTH = 1366;
    private static final int HEIGHT = 900;

    private final ChromeDriver driver;
    private final URI base;
    private final String test;
    private final Path profile;
    private int step;

    private Browser(ChromeDriver driver, URI base, String test, Path profile) {
        this.driver = driver;
        this.base = base;
        this.test = test;
        this.profile = profile;
    }

    /**
     * Starts a browser for the pages under {@code base}. Fails, rather than skips, when chromium or chromedriver are
     * missing: a test run without the browser tests must not look like a passing one.
     *
     * @param test names the screenshots of this browser
     */
    public static Browser start(URI base, String test) {
        return start(base, test, CHROMIUM, CHROMEDRIVER);
    }

    static Browser start(URI base, String test, Path chromium, Path chromedriver) {
        List<String> missing = Stream.of(chromium, chromedriver).filter(p -> !Files.isExecutable(p))
                .map(Path::toString).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the browser tests need Debian's chromium and chromedriver, not found: "
                    + missing + "; install them with apt-get install chromium chromium-driver (as .ci/run does),"
                    + " or name other binaries with -Dtest.chromium=... -Dtest.chromedriver=...");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("daf-chromium-");
            Files.createDirectories(SCREENSHOTS);
            Files.createDirectories(LOGS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // without the background-networking flags Chromium keeps knocking on the closed network's doors
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=" + WIDTH + "," + HEIGHT, "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().withLogFile(LOGS.resolve(test + "-chromedriver.log").toFile()).build();
        try {
            return new Browser(new ChromeDriver(service, options), base, test, profile);
        } catch (RuntimeException e) {
            delete(profile);
            throw new IllegalStateException("Chromium did not start (" + chromium + " with " + chromedriver + "): "
                    + e.getMessage(), e);
        }
    }

    /** Opens a page of the appliance and saves its screenshot. */
    public Browser visit(String path, String step) {
        driver.get(base.resolve(path).toString());
        loaded();
        return shot(step);
    }

    /** Logs in through the login form and waits for the page it leads to (the line view). */
    public Browser login(String user, String password) {
        visit("/ui/login", "login");
        type("username", user);
        type("password", password);
        submit("login", "logged-in");
        await(d -> path().equals("/ui"), "the line view after logging in as " + user);
        await(d -> text("user").startsWith(user + " ("), "the user's name in the header");
        return this;
    }

    /** Types into a field, replacing what it held. */
    public Browser type(String id, String text) {
        WebElement e = visible(id);
        e.clear();
        e.sendKeys(text);
        return this;
    }

    /** Clicks a button or link that leads to another page, waits until that page has loaded and saves it. */
    public Browser submit(String id, String step) {
        WebElement old = driver.findElement(By.tagName("html"));
        visible(id).click();
        await(gone(old), "a new page after clicking #" + id);
        loaded();
        return shot(step);
    }

    /** Clicks something that stays on the page (a checkbox, a select's option...). */
    public Browser click(String id) {
        // found and clicked in one poll: the page's script may replace the element between a find and a click
        await(d -> {
            WebElement e = d.findElement(By.id(id));
            if (!e.isDisplayed() || !e.isEnabled()) {
                return null;
            }
            e.click();
            return true;
        }, "#" + id + " to be clicked");
        return this;
    }

    /** Chooses the option with this value in a select. */
    public Browser select(String id, String value) {
        new Select(visible(id)).selectByValue(value);
        return this;
    }

    /**
     * Drags the mouse across an element (a canvas) with the button held, between two points given as fractions of
     * its displayed width and height.
     */
    public Browser drag(String id, double fromX, double fromY, double toX, double toY) {
        WebElement e = visible(id);
        Rectangle r = e.getRect();
        // Selenium's offsets count from the element's centre
        new Actions(driver).moveToElement(e, offset(fromX, r.width), offset(fromY, r.height)).clickAndHold()
                .moveToElement(e, offset(toX, r.width), offset(toY, r.height)).release().perform();
        return this;
    }

    private static int offset(double fraction, int size) {
        return (int) Math.round((fraction - 0.5) * size);
    }

    /**
     * Chromium reports an element of a page that has just been replaced as "does not belong to the document", an
     * unknown error rather than a stale element, while the new page is being swapped in.
     */
    private static boolean detached(WebDriverException e) {
        return e.getMessage() != null && e.getMessage().contains("does not belong to the document");
    }

    /** Whether an element has left the page (ExpectedConditions.stalenessOf, knowing Chromium's other answer). */
    private static ExpectedCondition<Boolean> gone(WebElement e) {
        return d -> {
            try {
                e.isEnabled();
                return false;
            } catch (StaleElementReferenceException stale) {
                return true;
            } catch (WebDriverException x) {
                if (detached(x)) {
                    return true;
                }
                throw x;
            }
        };
    }

    /** The element with this id once it is displayed. */
    public WebElement visible(String id) {
        return await(ExpectedConditions.visibilityOfElementLocated(By.id(id)), "#" + id + " to be displayed");
    }

    public boolean present(String id) {
        return !driver.findElements(By.id(id)).isEmpty();
    }

    /**
     * Waits up to {@link #WAIT} for a condition; on timeout saves a screenshot of what the page showed instead and
     * fails with {@code what} was expected and where.
     */
    public <T> T await(ExpectedCondition<T> condition, String what) {
        return await(condition, what, WAIT);
    }

    /** {@link #await(ExpectedCondition, String)} for something slower, such as a training run. */
    public <T> T await(ExpectedCondition<T> condition, String what, Duration timeout) {
        try {
            // an element found by one poll may be gone by the next, replaced by the page's script or a reload
            return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class)
                    .until(d -> {
                        try {
                            return condition.apply(d);
                        } catch (WebDriverException e) {
                            if (detached(e)) {
                                return null; // as stale: poll again
                            }
                            throw e;
                        }
                    });
        } catch (TimeoutException e) {
            shot("FAILED");
            throw new AssertionError("waited " + timeout.toSeconds() + " s in vain for " + what + " on "
                    + driver.getCurrentUrl() + "; the page shows: " + abbreviate(bodyText()), e);
        }
    }

    /**
     * Waits until the text of the element with this id passes {@code test} and returns it. The element is found
     * afresh at each poll, so a page that redraws or reloads itself meanwhile does not fail the wait.
     */
    public String awaitText(String id, Predicate<String> test, String what) {
        return awaitText(id, test, what, WAIT);
    }

    public String awaitText(String id, Predicate<String> test, String what, Duration timeout) {
        return awaitRead(id, WebElement::getText, test, what, timeout);
    }

    /** As {@link #awaitText}, for an attribute of the element. */
    public String awaitAttribute(String id, String name, Predicate<String> test, String what) {
        return awaitRead(id, e -> e.getDomAttribute(name), test, what, WAIT);
    }

    /** As {@link #awaitText}, for what a form field holds now. */
    public String awaitValue(String id, Predicate<String> test, String what) {
        return awaitRead(id, e -> e.getDomProperty("value"), test, what, WAIT);
    }

    private String awaitRead(String id, Function<WebElement, String> read, Predicate<String> test, String what,
            Duration timeout) {
        return await(d -> {
            String s = read.apply(d.findElement(By.id(id)));
            return s != null && test.test(s) ? s : null;
        }, what, timeout);
    }

    /** Whether an image has been loaded and decoded (a broken or missing picture has no natural width). */
    public boolean pictureShown(String id) {
        return Boolean.TRUE.equals(script("const i = document.getElementById(arguments[0]);"
                + " return i !== null && !i.hidden && i.complete && i.naturalWidth > 0;", id));
    }

    /** The images of the page (or under the element with {@code id}) that did not load. */
    public List<String> brokenPictures(String id) {
        Object broken = script("const root = arguments[0] ? document.getElementById(arguments[0]) : document;"
                + " return Array.from(root.querySelectorAll('img'))"
                + ".filter(i => !i.hidden && (!i.complete || i.naturalWidth === 0)).map(i => i.src);", id);
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) broken;
        return list;
    }

    /** The HTTP status the current page was served with. */
    public int status() {
        return ((Number) script("return performance.getEntriesByType('navigation')[0].responseStatus;")).intValue();
    }

    /** The console's errors since the last call (failed loads, script errors). */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    public String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    public String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    public String attribute(String id, String name) {
        return driver.findElement(By.id(id)).getDomAttribute(name);
    }

    /** What a form field holds now (its value attribute is only what the page was served with). */
    public String value(String id) {
        return driver.findElement(By.id(id)).getDomProperty("value");
    }

    public WebDriver driver() {
        return driver;
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves a screenshot of the whole page, not only of the window, as the test's next step. */
    public Browser shot(String name) {
        Path file = SCREENSHOTS.resolve(String.format("%s-%02d-%s.png", test, ++step, name));
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "scale", 1,
                "width", Math.max(WIDTH, ((Number) size.get("width")).doubleValue()),
                "height", Math.max(HEIGHT, ((Number) size.get("height")).doubleValue()));
        Map<String, Object> png = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        try {
            Files.write(file, Base64.getDecoder().decode((String) png.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private void loaded() {
        await(d -> "complete".equals(script("return document.readyState;")), "the page to load");
    }

    private String bodyText() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (RuntimeException e) {
            return "(no page: " + e.getMessage() + ")";
        }
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() <= 400 ? flat : flat.substring(0, 400) + "…";
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a profile left in the temporary folder harms nothing
        }
    }
}
