package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.authfn.core.json.Json;
import dev.authfn.local.api.StaticFiles;
import dev.authfn.local.browser.Browser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WindowType;

/**
 * The demo page and the cookie flow in a real browser: Debian's Chromium, headless, driven by
 * Selenium through Debian's ChromeDriver (see {@link Browser}), against a {@link LocalApi} in this JVM (the template's real functions, moto on
 * a free port, the API on a free port of 127.0.0.1).
 *
 * <p>Runs only under {@code -Pbrowser} (tag {@code browser}, see local/pom.xml); {@code .ci/run}
 * installs Chromium and ChromeDriver and enables it. A missing browser or driver fails the test with
 * the install command. The screenshot after login, the API's access log and ChromeDriver's log go to
 * {@code <build dir>/browser/}.
 */
@Tag("browser")
class DemoPageBrowserIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path OUTPUT = Path.of(System.getProperty("authfn.browser.output", "target/browser"));
    private static final Path CHROMIUM = Path.of(System.getProperty("authfn.chromium", Browser.CHROMIUM));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("authfn.chromedriver", Browser.CHROMEDRIVER));
    private static final Pattern ACCESS_LINE = Pattern.compile("^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \\S+ \\d{3} \\d+ms$");
    private static final Pattern DENIAL = Pattern.compile("\\[AuthorizerFunction] \\{\"level\":\"WARN\",\"AWSRequestId\":\"[^\"]*\","
            + "\"event\":\"authorize\",\"outcome\":\"deny\",\"reason\":\"([^\"]+)\",\"route\":\"([^\"]+)\"");
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

    /**
     * A page of another origin: it reports what {@code document.cookie} shows it, then POSTs to the
     * API with the browser's cookies, once plainly and, when it can read the CSRF cookie, once with
     * that in X-CSRF-Token.
     */
    private static final String OTHER_ORIGIN_PAGE = """
            <!doctype html>
            <title>another origin</title>
            <pre id="out"></pre>
            <script>
            const report = {documentCookie: document.cookie};
            async function post(name, headers) {
              try {
                const response = await fetch('%API%/posts', {method: 'POST', credentials: 'include', headers});
                report[name] = 'status ' + response.status;
              } catch (error) {
                report[name] = 'failed: ' + error.name;
              }
            }
            (async () => {
              await post('withoutToken', {});
              const csrf = document.cookie.match(/(?:^|;\\s*)__Host-csrf=([^;]+)/);
              if (csrf) {
                await post('withToken', {'X-CSRF-Token': csrf[1]});
              }
              document.getElementById('out').textContent = JSON.stringify(report);
              window.report = report;
            })();
            </script>
            """;

    private static Browser browser;
    private static LocalApi api;
    private static HttpServer otherOrigin;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.launch(CHROMIUM, CHROMEDRIVER, OUTPUT.resolve("chromedriver.log"), TIMEOUT);
        PrintStream log = new PrintStream(LOG, true, StandardCharsets.UTF_8);
        // What ./authfn start-api serves, on a free port with moto on another.
        api = LocalApi.start(Path.of("..", "template.yaml"), 0, Optional.empty(), Optional.empty(), Map.of(), true, log);
        base = api.baseUri().toString();

        int added = Main.run(new String[] {"users", "add", "alice", "--role", "user", "--permission", "posts:create",
                "--password-stdin", "--dynamodb-endpoint", api.dynamodbEndpoint().toString(),
                "--users-table", api.usersTable(), "--sessions-table", api.sessionsTable()},
                new Terminal(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)), log, log,
                        System.getenv()));
        assertThat(added).as("./authfn users add alice: %s", LOG).isZero();

        otherOrigin = servePage(OTHER_ORIGIN_PAGE.replace("%API%", base));
    }

    @AfterAll
    static void stop() throws IOException {
        Files.createDirectories(OUTPUT);
        if (browser != null) {
            browser.close();
        }
        if (otherOrigin != null) {
            otherOrigin.stop(0);
        }
        if (api != null) {
            api.close();
        }
        Files.writeString(OUTPUT.resolve("api.log"), LOG.toString(StandardCharsets.UTF_8));
    }

    @Test
    void logsInOnTheDemoPageAndTheSessionCookieWorksOnlyForThePagesOwnOrigin() throws Exception {
        // given the demo page, served under its strict Content-Security-Policy
        var driver = browser.driver();
        driver.manage().window().setSize(new Dimension(960, 940));
        driver.get(base + "/");
        String page = driver.getWindowHandle();
        assertThat(responseHeader(base + "/", "content-security-policy")).hasValue(StaticFiles.CONTENT_SECURITY_POLICY);

        // when alice logs in through the form
        driver.findElement(By.cssSelector("#username")).sendKeys("alice");
        driver.findElement(By.cssSelector("#password")).sendKeys(PASSWORD);
        Result login = press("#login");

        // then the session cookie is set, Secure and HttpOnly, even over http://127.0.0.1 ...
        assertThat(login.request()).isEqualTo("POST /auth/login");
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        String sessionId = ((Map<String, Object>) Json.parseObject(login.body()).orElseThrow().get("session"))
                .get("id").toString();
        Cookie session = Optional.ofNullable(driver.manage().getCookieNamed("__Host-session")).orElseThrow(
                () -> new AssertionError("no __Host-session cookie in the browser after login; it has "
                        + driver.manage().getCookies()));
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.isSecure()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Lax");
        assertThat(session.getPath()).isEqualTo("/");
        assertThat(session.getDomain()).isEqualTo("127.0.0.1");
        // ... and the page's script cannot see it: document.cookie holds the CSRF cookie only
        Cookie csrf = driver.manage().getCookieNamed("__Host-csrf");
        assertThat(csrf).isNotNull();
        assertThat(csrf.isHttpOnly()).isFalse();
        assertThat(csrf.isSecure()).isTrue();
        assertThat(csrf.getSameSite()).isEqualTo("Strict");
        assertThat(browser.text("document.cookie")).isEqualTo("__Host-csrf=" + csrf.getValue());
        assertThat(browser.text("document.getElementById('document-cookie').textContent")).startsWith("__Host-csrf=")
                .doesNotContain("__Host-session");
        Files.createDirectories(OUTPUT);
        Path screenshot = Files.write(OUTPUT.resolve("demo-page-after-login.png"), driver.getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(screenshot)).isPositive();

        // when the page calls /protected, creates a post and lists the sessions, with the cookie alone
        Result protectedRoute = press("#protected");
        Result post = press("#create-post");
        Result sessions = press("#sessions");

        // then each succeeds
        assertThat(protectedRoute.status()).as(protectedRoute.body()).isEqualTo(200);
        assertThat(protectedRoute.body()).contains("\"username\": \"alice\"", "\"auth_type\": \"cookie\"");
        assertThat(post.status()).as(post.body()).isEqualTo(201);
        assertThat(post.body()).contains("\"author\": \"alice\"");
        assertThat(sessions.status()).as(sessions.body()).isEqualTo(200);
        assertThat(browser.text("[...document.querySelectorAll('#session-list li.current')].map(li => li.textContent).join('|')"))
                .startsWith(sessionId).endsWith("(this one)");

        // when a page of another origin on the same host (another port: the same site) POSTs with the browser's cookies
        int mark = accessLog().size();
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get("http://127.0.0.1:" + otherOrigin.getAddress().getPort() + "/");
        Map<String, Object> sameSiteReport = report();

        // then its script can read the CSRF cookie (cookies are per host, not per port) and the
        // browser sends the session cookie with its POST (same site), yet the API refuses the POST
        // (its Origin is not the API's) and the POST with the token never leaves the browser: the
        // API allows no cross-origin request, so the preflight fails
        assertThat(sameSiteReport).containsEntry("documentCookie", "__Host-csrf=" + csrf.getValue())
                .containsEntry("withoutToken", "failed: TypeError").containsEntry("withToken", "failed: TypeError");
        assertThat(awaitAccessLines(mark, 2)).containsExactlyInAnyOrder("POST /posts 403", "OPTIONS /posts 404");
        // the API's own reason proves what it received: a session cookie from a foreign origin.
        // (BiDi's beforeRequestSent may report a request before Chromium has attached its cookies,
        // so the browser's view of the cookies sent is not evidence either way.)
        assertThat(denials()).last().isEqualTo("FOREIGN_ORIGIN POST /posts");

        // when a page of another site (localhost) does the same
        mark = accessLog().size();
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get("http://localhost:" + otherOrigin.getAddress().getPort() + "/");
        Map<String, Object> crossSiteReport = report();

        // then it sees no cookie, the browser withholds the session cookie (SameSite=Lax), the API refuses
        assertThat(crossSiteReport).containsEntry("documentCookie", "").containsEntry("withoutToken", "failed: TypeError")
                .doesNotContainKey("withToken");
        assertThat(awaitAccessLines(mark, 1)).containsExactly("POST /posts 403");
        assertThat(denials()).as("the API received no credential at all").last().isEqualTo("NO_CREDENTIALS POST /posts");

        // when alice logs out on the demo page
        driver.switchTo().window(page);
        Result logout = press("#logout");

        // then both cookies are gone, /protected is refused, and so is the old cookie sent by hand
        assertThat(logout.status()).as(logout.body()).isEqualTo(204);
        assertThat(driver.manage().getCookies()).extracting(Cookie::getName).doesNotContain("__Host-session", "__Host-csrf");
        assertThat(browser.text("document.cookie")).isEmpty();
        Result afterLogout = press("#protected");
        assertThat(afterLogout).isEqualTo(new Result("GET /protected", 403, "{\n  \"message\": \"Forbidden\"\n}"));
        assertThat(protectedWithCookie("__Host-session=" + session.getValue()).statusCode()).isEqualTo(403);

        // and only the demo page created a post; the authorizer refused the other origin's POST for
        // its Origin (the cookie came along), the other site's for lack of a cookie, and the old
        // cookie because its session had ended
        assertThat(accessLog()).filteredOn(line -> line.startsWith("POST /posts ")).containsExactly(
                "POST /posts 201", "POST /posts 403", "POST /posts 403");
        assertThat(denials()).containsExactly("FOREIGN_ORIGIN POST /posts", "NO_CREDENTIALS POST /posts",
                "NO_CREDENTIALS GET /protected", "SESSION_ENDED GET /protected");
        // ... and no page threw a script error along the way
        assertThat(browser.scriptErrors()).extracting(entry -> entry.getText()).isEmpty();
    }

    /** What the page shows for the request a button sends. */
    private record Result(String request, int status, String body) {
    }

    /** Clicks a button of the demo page and waits until the page shows the answer. */
    private static Result press(String button) {
        String done = "document.getElementById('result').dataset.done";
        String before = browser.text(done);
        browser.driver().findElement(By.cssSelector(button)).click();
        browser.await("the page to show the answer to " + button, () -> browser.text(done), now -> !now.equals(before));
        String status = browser.text("document.getElementById('result').dataset.status");
        return new Result(browser.text("document.getElementById('result').dataset.request"),
                status.equals("failed") ? -1 : Integer.parseInt(status),
                browser.text("document.getElementById('result').textContent"));
    }

    /** What the other origin's page in the current tab reported, once it has. */
    private static Map<String, Object> report() {
        String json = browser.await("the other origin's page to report",
                () -> (String) browser.evaluate("window.report === undefined ? null : JSON.stringify(window.report)"),
                Objects::nonNull);
        return Json.parseObject(json).orElseThrow();
    }

    /** A response header of what the browser loaded from {@code url}. */
    private static Optional<String> responseHeader(String url, String name) {
        return browser.await("the response to " + url, () -> browser.responses().stream()
                        .filter(response -> url.equals(response.getResponseData().getUrl()))
                        .findFirst().orElse(null), Objects::nonNull)
                .getResponseData().getHeaders().stream()
                .filter(header -> header.getName().equalsIgnoreCase(name))
                .map(header -> header.getValue().getValue())
                .findFirst();
    }

    /** The API's access lines so far ({@code POST /posts 201}), without their timings. */
    private static List<String> accessLog() {
        return LOG.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> ACCESS_LINE.matcher(line).matches())
                .map(line -> line.substring(0, line.lastIndexOf(' ')))
                .toList();
    }

    /** Why the authorizer refused each request so far ({@code FOREIGN_ORIGIN POST /posts}), from its log. */
    private static List<String> denials() {
        return DENIAL.matcher(LOG.toString(StandardCharsets.UTF_8)).results()
                .map(match -> match.group(1) + " " + match.group(2))
                .toList();
    }

    /**
     * The access lines after the first {@code mark}, once there are {@code count} (the server writes
     * each after its response), or what there is when the deadline passes.
     */
    private static List<String> awaitAccessLines(int mark, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> lines = accessLog();
        while (lines.size() < mark + count && System.nanoTime() < deadline) {
            Thread.sleep(25);
            lines = accessLog();
        }
        return lines.subList(mark, lines.size());
    }

    private static HttpResponse<String> protectedWithCookie(String cookie) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        return client.send(HttpRequest.newBuilder(URI.create(base + "/protected")).header("Cookie", cookie)
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Serves {@code html} at {@code /} of another port on 127.0.0.1 (also reachable as localhost). */
    private static HttpServer servePage(String html) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        byte[] page = html.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals("/")) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.getResponseHeaders().add("Cache-Control", "no-store");
                exchange.sendResponseHeaders(200, page.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(page);
                }
            }
        });
        server.start();
        return server;
    }
}
