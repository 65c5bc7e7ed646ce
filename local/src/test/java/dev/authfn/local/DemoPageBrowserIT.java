package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpServer;
import dev.authfn.local.api.StaticFiles;
import dev.authfn.local.browser.Chromium;
import dev.authfn.local.browser.DevTools;
import dev.authfn.local.browser.Tab;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo page and the cookie flow in a real browser: Debian's Chromium, headless, driven over the
 * DevTools protocol, against a {@link LocalApi} in this JVM (the template's real functions, moto on
 * a free port, the API on a free port of 127.0.0.1).
 *
 * <p>Runs only under {@code -Pbrowser} (tag {@code browser}, see local/pom.xml); {@code .ci/run}
 * installs Chromium and enables it. A missing browser fails the test with the install command.
 * The screenshot after login, the API's access log and the browser's last stderr lines go to
 * {@code <build dir>/browser/}.
 */
@Tag("browser")
class DemoPageBrowserIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path OUTPUT = Path.of(System.getProperty("authfn.browser.output", "target/browser"));
    private static final Path CHROMIUM = Path.of(System.getProperty("authfn.chromium", Chromium.DEBIAN_CHROMIUM.toString()));
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

    private static Chromium chromium;
    private static LocalApi api;
    private static HttpServer otherOrigin;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        chromium = Chromium.launch(CHROMIUM, TIMEOUT);
        PrintStream log = new PrintStream(LOG, true, StandardCharsets.UTF_8);
        // What ./authfn start-api serves, on a free port with moto on another.
        api = LocalApi.start(Path.of("..", "template.yaml"), 0, Optional.empty(), Optional.empty(), Map.of(), true, log);
        base = api.baseUri().toString();

        int added = Admin.run("users", new String[] {"add", "alice", "--role", "user", "--permission", "posts:create",
                "--password-stdin", "--dynamodb-endpoint", api.dynamodbEndpoint().toString(),
                "--users-table", api.usersTable(), "--sessions-table", api.sessionsTable()},
                new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)), log, log);
        assertThat(added).as("./authfn users add alice: %s", LOG).isZero();

        otherOrigin = servePage(OTHER_ORIGIN_PAGE.replace("%API%", base));
    }

    @AfterAll
    static void stop() throws IOException {
        Files.createDirectories(OUTPUT);
        if (chromium != null) {
            Files.write(OUTPUT.resolve("chromium-stderr.log"), chromium.stderr());
            chromium.close();
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
        Tab page = chromium.newTab(TIMEOUT);
        page.viewport(960, 940);
        page.navigate(base + "/");
        assertThat(responseHeader(page, base + "/", "content-security-policy")).hasValue(StaticFiles.CONTENT_SECURITY_POLICY);

        // when alice logs in through the form
        page.type("#username", "alice");
        page.type("#password", PASSWORD);
        Result login = press(page, "#login");

        // then the session cookie is set, Secure and HttpOnly, even over http://127.0.0.1 ...
        assertThat(login.request()).isEqualTo("POST /auth/login");
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        String sessionId = ((Map<String, Object>) JSONObjectUtils.parse(login.body()).get("session")).get("id").toString();
        Map<String, Object> session = cookie(page, "__Host-session").orElseThrow(
                () -> new AssertionError("no __Host-session cookie in the browser after login; it has " + page.cookies(base + "/")));
        assertThat(session).containsEntry("httpOnly", true).containsEntry("secure", true)
                .containsEntry("sameSite", "Lax").containsEntry("path", "/").containsEntry("domain", "127.0.0.1");
        // ... and the page's script cannot see it: document.cookie holds the CSRF cookie only
        Map<String, Object> csrf = cookie(page, "__Host-csrf").orElseThrow();
        assertThat(csrf).containsEntry("httpOnly", false).containsEntry("secure", true).containsEntry("sameSite", "Strict");
        assertThat(page.text("document.cookie")).isEqualTo("__Host-csrf=" + csrf.get("value"));
        assertThat(page.text("document.getElementById('document-cookie').textContent")).startsWith("__Host-csrf=")
                .doesNotContain("__Host-session");
        Path screenshot = page.screenshot(OUTPUT.resolve("demo-page-after-login.png"));
        assertThat(Files.size(screenshot)).isPositive();

        // when the page calls /protected, creates a post and lists the sessions, with the cookie alone
        Result protectedRoute = press(page, "#protected");
        Result post = press(page, "#create-post");
        Result sessions = press(page, "#sessions");

        // then each succeeds
        assertThat(protectedRoute.status()).as(protectedRoute.body()).isEqualTo(200);
        assertThat(protectedRoute.body()).contains("\"username\": \"alice\"", "\"auth_type\": \"cookie\"");
        assertThat(post.status()).as(post.body()).isEqualTo(201);
        assertThat(post.body()).contains("\"author\": \"alice\"");
        assertThat(sessions.status()).as(sessions.body()).isEqualTo(200);
        assertThat(page.text("[...document.querySelectorAll('#session-list li.current')].map(li => li.textContent).join('|')"))
                .startsWith(sessionId).endsWith("(this one)");

        // when a page of another origin on the same host (another port: the same site) POSTs with the browser's cookies
        int mark = accessLog().size();
        Tab sameSite = chromium.newTab(TIMEOUT);
        sameSite.navigate("http://127.0.0.1:" + otherOrigin.getAddress().getPort() + "/");
        Map<String, Object> sameSiteReport = report(sameSite);

        // then its script can read the CSRF cookie (cookies are per host, not per port) and the
        // browser sends the session cookie with its POST (same site), yet the API refuses the POST
        // (its Origin is not the API's) and the POST with the token never leaves the browser: the
        // API allows no cross-origin request, so the preflight fails
        assertThat(sameSiteReport).containsEntry("documentCookie", "__Host-csrf=" + csrf.get("value"))
                .containsEntry("withoutToken", "failed: TypeError").containsEntry("withToken", "failed: TypeError");
        assertThat(cookiesSent(sameSite, "POST", base + "/posts")).containsEntry("__Host-session", List.of());
        assertThat(awaitAccessLines(mark, 2)).containsExactlyInAnyOrder("POST /posts 403", "OPTIONS /posts 404");

        // when a page of another site (localhost) does the same
        mark = accessLog().size();
        Tab crossSite = chromium.newTab(TIMEOUT);
        crossSite.navigate("http://localhost:" + otherOrigin.getAddress().getPort() + "/");
        Map<String, Object> crossSiteReport = report(crossSite);

        // then it sees no cookie, the browser withholds the session cookie (SameSite=Lax), the API refuses
        assertThat(crossSiteReport).containsEntry("documentCookie", "").containsEntry("withoutToken", "failed: TypeError")
                .doesNotContainKey("withToken");
        assertThat(cookiesSent(crossSite, "POST", base + "/posts").get("__Host-session"))
                .anySatisfy(reason -> assertThat(reason).contains("SameSite"));
        assertThat(awaitAccessLines(mark, 1)).containsExactly("POST /posts 403");

        // when alice logs out on the demo page
        Result logout = press(page, "#logout");

        // then both cookies are gone, /protected is refused, and so is the old cookie sent by hand
        assertThat(logout.status()).as(logout.body()).isEqualTo(204);
        assertThat(page.cookies(base + "/")).extracting(c -> c.get("name")).doesNotContain("__Host-session", "__Host-csrf");
        assertThat(page.text("document.cookie")).isEmpty();
        Result afterLogout = press(page, "#protected");
        assertThat(afterLogout).isEqualTo(new Result("GET /protected", 403, "{\n  \"message\": \"Forbidden\"\n}"));
        assertThat(protectedWithCookie("__Host-session=" + session.get("value")).statusCode()).isEqualTo(403);

        // and only the demo page created a post; the authorizer refused the other origin's POST for
        // its Origin (the cookie came along), the other site's for lack of a cookie, and the old
        // cookie because its session had ended
        assertThat(accessLog()).filteredOn(line -> line.startsWith("POST /posts ")).containsExactly(
                "POST /posts 201", "POST /posts 403", "POST /posts 403");
        assertThat(denials()).containsExactly("FOREIGN_ORIGIN POST /posts", "NO_CREDENTIALS POST /posts",
                "NO_CREDENTIALS GET /protected", "SESSION_ENDED GET /protected");
        // ... and the demo page's script threw nothing along the way
        assertThat(page.events("Runtime.exceptionThrown")).isEmpty();
    }

    /** What the page shows for the request a button sends. */
    private record Result(String request, int status, String body) {
    }

    /** Clicks a button of the demo page and waits until the page shows the answer. */
    private static Result press(Tab page, String button) {
        String done = "document.getElementById('result').dataset.done";
        String before = page.text(done);
        page.click(button);
        page.await("the page to show the answer to " + button, () -> page.text(done), now -> !now.equals(before));
        String status = page.text("document.getElementById('result').dataset.status");
        return new Result(page.text("document.getElementById('result').dataset.request"),
                status.equals("failed") ? -1 : Integer.parseInt(status),
                page.text("document.getElementById('result').textContent"));
    }

    private static Optional<Map<String, Object>> cookie(Tab page, String name) {
        return page.cookies(base + "/").stream().filter(c -> name.equals(c.get("name"))).findFirst();
    }

    /** What the other origin's page reported, once it has. */
    private static Map<String, Object> report(Tab tab) throws Exception {
        String json = tab.await("the other origin's page to report",
                () -> (String) tab.evaluate("window.report === undefined ? null : JSON.stringify(window.report)"),
                Objects::nonNull);
        return JSONObjectUtils.parse(json);
    }

    /**
     * The cookies the browser considered for the first {@code method url} request of a tab: name →
     * the reasons it withheld it (empty: sent).
     */
    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> cookiesSent(Tab tab, String method, String url) {
        String requestId = tab.await("the browser to send " + method + " " + url, () -> tab.events("Network.requestWillBeSent").stream()
                .filter(e -> {
                    Map<String, Object> request = (Map<String, Object>) e.params().get("request");
                    return method.equals(request.get("method")) && url.equals(request.get("url"));
                })
                .map(e -> (String) e.params().get("requestId"))
                .findFirst().orElse(null), Objects::nonNull);
        DevTools.Event extraInfo = tab.await("the cookies of " + method + " " + url, () -> tab.events("Network.requestWillBeSentExtraInfo")
                .stream().filter(e -> requestId.equals(e.params().get("requestId"))).findFirst().orElse(null), Objects::nonNull);
        Map<String, List<String>> cookies = new LinkedHashMap<>();
        for (Object associated : (List<Object>) extraInfo.params().get("associatedCookies")) {
            Map<String, Object> entry = (Map<String, Object>) associated;
            Map<String, Object> cookie = (Map<String, Object>) entry.get("cookie");
            cookies.put((String) cookie.get("name"), ((List<Object>) entry.get("blockedReasons")).stream().map(String::valueOf).toList());
        }
        return cookies;
    }

    /** A response header of the document the browser loaded from {@code url}. */
    @SuppressWarnings("unchecked")
    private static Optional<String> responseHeader(Tab page, String url, String name) {
        return page.events("Network.responseReceived").stream()
                .map(e -> (Map<String, Object>) e.params().get("response"))
                .filter(response -> url.equals(response.get("url")))
                .flatMap(response -> ((Map<String, Object>) response.get("headers")).entrySet().stream())
                .filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(header -> String.valueOf(header.getValue()))
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
