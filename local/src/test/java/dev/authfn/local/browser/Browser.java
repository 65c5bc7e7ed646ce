package dev.authfn.local.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.bidi.log.JavascriptLogEntry;
import org.openqa.selenium.bidi.module.LogInspector;
import org.openqa.selenium.bidi.module.Network;
import org.openqa.selenium.bidi.network.ResponseDetails;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * Debian's Chromium, headless, driven by Selenium through Debian's ChromeDriver, with WebDriver
 * BiDi on (the responses a page gets, the script errors it throws).
 * Nothing is downloaded: the browser ({@value #CHROMIUM}) and the driver ({@value #CHROMEDRIVER})
 * are the system packages ({@value #INSTALL}), both paths are given to Selenium so that Selenium
 * Manager never runs, and a missing one fails the test with the install command.
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    public static final String INSTALL = "apt-get update && apt-get install -y chromium chromium-driver";

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final Duration timeout;
    private final Network network;
    private final LogInspector logs;
    private final List<ResponseDetails> responses = new CopyOnWriteArrayList<>();
    private final List<JavascriptLogEntry> scriptErrors = new CopyOnWriteArrayList<>();

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile, Duration timeout) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
        this.timeout = timeout;
        this.network = new Network(driver);
        this.logs = new LogInspector(driver);
        network.onResponseCompleted(responses::add);
        logs.onJavaScriptException(scriptErrors::add);
    }

    /**
     * Starts the browser with a fresh profile, its driver's log going to {@code driverLog}.
     *
     * @throws IllegalStateException when the browser or the driver is missing, with the install command
     */
    public static Browser launch(Path chromium, Path chromedriver, Path driverLog, Duration timeout) throws IOException {
        for (Path executable : List.of(chromium, chromedriver)) {
            if (!Files.isExecutable(executable)) {
                throw new IllegalStateException("the browser test needs " + executable + " (Debian's chromium and "
                        + "chromium-driver packages), which is missing. Install them with: " + INSTALL
                        + " (nothing downloads a browser or a driver)");
            }
        }
        Path profile = Files.createTempDirectory("authfn-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // The flags the machine's closed network needs: no background connections, no updates.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--password-store=basic", "--user-data-dir=" + profile);
        options.enableBiDi();
        // Chromium's own console messages (a Content-Security-Policy violation among them) for browserLog().
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        Files.createDirectories(driverLog.getParent());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogFile(driverLog.toFile())
                .build();
        return new Browser(new ChromeDriver(service, options), service, profile, timeout);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** The value of a script expression in the current tab ({@code return} is added). */
    public Object evaluate(String expression) {
        return ((JavascriptExecutor) driver).executeScript("return " + expression + ";");
    }

    /** {@link #evaluate} as text ({@code null} as the empty string). */
    public String text(String expression) {
        Object value = evaluate(expression);
        return value == null ? "" : value.toString();
    }

    /** Every response the browser received so far. */
    public List<ResponseDetails> responses() {
        return List.copyOf(responses);
    }

    /**
     * What Chromium logged to the console since the last call (the log is handed over once): the
     * pages' {@code console} calls and Chromium's own messages, such as a
     * {@link #isCspViolation Content-Security-Policy violation}, which it logs as {@code SEVERE}
     * whether or not the page listens for {@code securitypolicyviolation}, and from the first byte
     * of every document, across navigations.
     */
    public List<LogEntry> browserLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Whether a {@link #browserLog()} entry is Chromium reporting an action a Content-Security-Policy blocked. */
    public static boolean isCspViolation(LogEntry entry) {
        return entry.getLevel().intValue() >= Level.SEVERE.intValue()
                && entry.getMessage().contains("Content Security Policy");
    }

    /** Every uncaught script error so far, in every tab. */
    public List<JavascriptLogEntry> scriptErrors() {
        return List.copyOf(scriptErrors);
    }

    /** Polls {@code value} until {@code done} accepts it, or fails naming {@code what}. */
    public <T> T await(String what, Supplier<T> value, Predicate<? super T> done) {
        List<T> last = new ArrayList<>(1);
        new FluentWait<>(this).withTimeout(timeout).pollingEvery(Duration.ofMillis(25))
                .withMessage(() -> "waited " + timeout.toSeconds() + " s for " + what + "; last value: " + last)
                .until(browser -> {
                    T now = value.get();
                    last.clear();
                    last.add(now);
                    return now != null && done.test(now);
                });
        return Objects.requireNonNull(last.get(0));
    }

    @Override
    public void close() {
        try {
            network.close();
            logs.close();
        } finally {
            try {
                driver.quit();
            } finally {
                service.stop();
                deleteQuietly(profile);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temp profile left behind harms nothing
        }
    }
}
