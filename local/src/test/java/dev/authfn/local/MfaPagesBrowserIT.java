package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.json.Json;
import dev.authfn.dynamodb.internal.SessionItems;
import dev.authfn.local.browser.Browser;
import dev.authfn.local.testing.AuthenticatorApp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The demo page's second-factor screens (issue 15) in a real browser (Debian's Chromium through
 * Debian's ChromeDriver, see {@link Browser}) against a {@link LocalApi} as
 * {@code ./authfn start-api} runs it. The test enrols "by scanning nothing": it reads the secret
 * the page shows beside the QR code and computes the codes itself ({@link AuthenticatorApp}), and
 * checks the QR code is the picture the API draws for the key URI of that secret.
 *
 * <p>Runs only under {@code -Pbrowser} (tag {@code browser}, as {@link DemoPageBrowserIT}). The
 * API's log, ChromeDriver's log and screenshots of the enrolment and of the second login step go
 * to {@code <build dir>/browser/}.
 */
@Tag("browser")
class MfaPagesBrowserIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path OUTPUT = Path.of(System.getProperty("authfn.browser.output", "target/browser"));
    private static final Path CHROMIUM = Path.of(System.getProperty("authfn.chromium", Browser.CHROMIUM));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("authfn.chromedriver", Browser.CHROMEDRIVER));
    private static final Pattern ACCESS_LINE = Pattern.compile("^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \\S+ \\d{3} \\d+ms$");
    private static final Pattern RECOVERY_CODE = Pattern.compile("[a-z2-7]{5}(-[a-z2-7]{5}){4}-[a-z2-7]");
    private static final String PASSWORD = "lilac ferry compass 6071";
    private static final String NEW_PASSWORD = "copper willow beacon 3382";
    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    /**
     * Collects the page's Content-Security-Policy violations in {@code window.cspViolations}; run by
     * the driver (which the policy does not govern) right after the page loads.
     */
    private static final String WATCH_CSP = "window.cspViolations = [];"
            + "document.addEventListener('securitypolicyviolation',"
            + " (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));";

    private static Browser browser;
    private static LocalApi api;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.launch(CHROMIUM, CHROMEDRIVER, OUTPUT.resolve("chromedriver-mfa.log"), TIMEOUT);
        PrintStream log = new PrintStream(LOG, true, StandardCharsets.UTF_8);
        // What ./authfn start-api serves, on free ports.
        api = LocalApi.start(Path.of("..", "template.yaml"), 0, Optional.empty(), Optional.empty(), Map.of(), true, log);
        base = api.baseUri().toString();
        addUser("nora");
        browser.driver().manage().window().setSize(new Dimension(960, 1600));
    }

    @AfterAll
    static void stop() throws IOException {
        Files.createDirectories(OUTPUT);
        if (browser != null) {
            browser.close();
        }
        if (api != null) {
            api.close();
        }
        Files.writeString(OUTPUT.resolve("api-mfa.log"), LOG.toString(StandardCharsets.UTF_8));
    }

    @Test
    void enrolsAnAuthenticatorThenLogsInWithTheCodeAndPassesTheStepUpRoute() throws Exception {
        var driver = browser.driver();
        openThePageLoggedOut();

        // given nora logged in with her password: the second-factor section shows, the step-up route refuses her
        assertThat(hidden("mfa-section")).isTrue();
        type("username", "nora");
        type("password", PASSWORD);
        Result login = press("#login");
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(message("login-message")).isEqualTo(new Message("ok", "Logged in."));
        assertThat(hidden("mfa-section")).isFalse();
        assertThat(hidden("mfa-enrolment")).isTrue();
        assertThat(hidden("mfa-recovery")).isTrue();
        Result refused = press("#step-up");
        assertThat(refused.request()).isEqualTo("GET /protected/step-up");
        assertThat(refused.status()).as(refused.body()).isEqualTo(401);
        assertThat(refused.body()).contains("\"type\": \"urn:authfn:problem:step-up-required\"");

        // when she presses "Add an authenticator app"
        driver.findElement(By.id("mfa-enrol")).click();

        // then the page shows a QR code, drawn as SVG by the local API, and the secret beside it
        WebElement qr = browser.await("the QR code", () -> driver.findElements(By.cssSelector("#mfa-qr > svg")),
                found -> !found.isEmpty()).get(0);
        assertThat(hidden("mfa-enrolment")).isFalse();
        assertThat(browser.text("document.querySelector('#mfa-qr > svg').namespaceURI")).isEqualTo(SVG);
        assertThat(qr.getSize().getWidth()).as("the QR code is drawn, not an empty element").isGreaterThan(100);
        assertThat(qr.getSize().getHeight()).isEqualTo(qr.getSize().getWidth());
        String secret = browser.text("document.getElementById('mfa-secret').textContent");
        assertThat(secret).matches("[A-Z2-7]{32}");
        // It is the picture of the key URI of that secret, as an app scanning it would read it.
        String uri = "otpauth://totp/authfn:nora?secret=" + secret + "&issuer=authfn&algorithm=SHA1&digits=6&period=30";
        assertThat(browser.text("document.querySelector('#mfa-qr > svg path').getAttribute('d')"))
                .isEqualTo(pathOf(qr(uri)));
        assertThat(message("mfa-message")).isEqualTo(new Message("pending",
                "Add it to your app, then confirm with the code the app shows."));
        assertThat(browser.text("document.activeElement.id")).isEqualTo("mfa-confirm-code");
        assertThat(hidden("mfa-remove-form")).as("while enrolling there is no factor to remove").isTrue();
        // The response pane shortens what it shows of the secret and the URI.
        assertThat(browser.text("document.getElementById('result').textContent")).doesNotContain(secret)
                .contains("\"secret\": \"" + secret.substring(0, 12) + "…\"");
        screenshot("mfa-enrolment.png");
        AuthenticatorApp app = new AuthenticatorApp(secret);

        // when she confirms with the code her app (the test) computes
        type("mfa-confirm-code", app.nextCode());
        Result confirmed = press("#mfa-confirm");

        // then the factor is on, and ten recovery codes are listed, once; the secret and QR code are gone
        assertThat(confirmed.request()).isEqualTo("POST /auth/mfa/totp/confirm");
        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(message("mfa-message")).isEqualTo(new Message("ok",
                "The second factor is on. From the next login on, it asks for a code."));
        @SuppressWarnings("unchecked")
        List<String> recoveryCodes = (List<String>) browser.evaluate(
                "[...document.querySelectorAll('#mfa-recovery-codes li')].map(li => li.textContent)");
        assertThat(recoveryCodes).hasSize(10).doesNotHaveDuplicates().allMatch(code -> RECOVERY_CODE.matcher(code).matches());
        assertThat(hidden("mfa-recovery")).isFalse();
        assertThat(hidden("mfa-enrolment")).isTrue();
        assertThat(browser.text("document.getElementById('mfa-secret').textContent")).isEmpty();
        assertThat(browser.evaluate("document.getElementById('mfa-qr').childElementCount")).isEqualTo(0L);
        assertThat(hidden("mfa-remove-form")).isFalse();
        assertThat(confirmed.body()).contains("\"recovery_codes\": \"10 codes, listed under Second factor\"")
                .doesNotContain(recoveryCodes.get(0));

        // when she changes her password in this session, which did not use the factor
        type("current-password", PASSWORD);
        type("new-password", NEW_PASSWORD);
        Result withoutCode = press("#change-password");

        // then the page asks for the code, and with it the change goes through
        assertThat(withoutCode.status()).as(withoutCode.body()).isEqualTo(401);
        assertThat(withoutCode.body()).contains("\"type\": \"urn:authfn:problem:mfa-required\"");
        assertThat(message("change-password-message")).isEqualTo(new Message("failed", "This session did not use your "
                + "second factor: type the current code with both passwords again."));
        assertThat(hidden("change-password-code")).isFalse();
        type("current-password", PASSWORD);
        type("new-password", NEW_PASSWORD);
        type("change-password-code", app.nextCode());
        Result changed = press("#change-password");
        assertThat(changed.status()).as(changed.body()).isEqualTo(204);
        assertThat(message("change-password-message")).isEqualTo(new Message("ok", "Your password is changed. Your "
                + "other sessions have ended; this one goes on with a new session cookie."));
        assertThat(hidden("change-password-code")).isTrue();

        // when she logs out and logs in again with the password
        assertThat(press("#logout").status()).isEqualTo(204);
        assertThat(hidden("mfa-section")).isTrue();
        type("username", "nora");
        type("password", NEW_PASSWORD);
        Result firstStep = press("#login");

        // then the page asks for the code: no session yet, no cookie
        assertThat(firstStep.status()).as(firstStep.body()).isEqualTo(200);
        assertThat(firstStep.body()).contains("\"mfa_required\": true", "\"methods\": [");
        assertThat(hidden("mfa-form")).isFalse();
        assertThat(message("login-message")).isEqualTo(new Message("pending",
                "Password accepted. Now the code from your authenticator app."));
        assertThat(browser.text("document.activeElement.id")).isEqualTo("mfa-code");
        assertThat(driver.manage().getCookies()).extracting(Cookie::getName).doesNotContain("__Host-session", "__Host-csrf");
        assertThat(hidden("mfa-section")).isTrue();
        screenshot("mfa-second-step.png");

        // when she mistypes the code, then types the right one
        type("mfa-code", "000000");
        Result wrong = press("#mfa-verify");
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(401);
        assertThat(message("login-message")).isEqualTo(new Message("failed", "That code is wrong or used, or the login "
                + "took too long; try the next code, or log in again."));
        assertThat(hidden("mfa-form")).isFalse();
        type("mfa-code", app.nextCode());
        Result verified = press("#mfa-verify");

        // then she is logged in with both factors, and the step-up route lets her in
        assertThat(verified.request()).isEqualTo("POST /auth/mfa/verify");
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        assertThat(message("login-message")).isEqualTo(new Message("ok", "Logged in with a second factor."));
        assertThat(hidden("mfa-form")).isTrue();
        assertThat(driver.manage().getCookieNamed("__Host-session")).isNotNull();
        assertThat(hidden("mfa-section")).isFalse();
        // The recovery codes were shown once, to the session that confirmed: logging out forgot them.
        assertThat(hidden("mfa-recovery")).isTrue();
        assertThat(browser.text("document.getElementById('mfa-recovery-codes').textContent")).isEmpty();
        Result whoAmI = press("#protected");
        assertThat(whoAmI.status()).as(whoAmI.body()).isEqualTo(200);
        assertThat(compact(whoAmI.body())).contains("\"amr\":[\"pwd\",\"otp\",\"mfa\"]", "\"acr\":\"urn:authfn:acr:mfa\"");
        Result stepUp = press("#step-up");
        assertThat(stepUp.request()).isEqualTo("GET /protected/step-up");
        assertThat(stepUp.status()).as(stepUp.body()).isEqualTo(200);
        assertThat(stepUp.body()).contains("\"step_up\": \"This route needed a recent multi-factor login, and yours is one.\"");
        assertThat(browser.text("document.getElementById('status').textContent")).isEqualTo("200 OK");

        // when she removes the factor with a recovery code
        type("mfa-remove-recovery-code", recoveryCodes.get(0));
        Result removed = press("#mfa-remove");

        // then it is gone, the page goes on with a new session, and the password alone logs in again
        assertThat(removed.request()).isEqualTo("DELETE /auth/mfa/totp");
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);
        assertThat(message("mfa-message")).isEqualTo(new Message("ok", "The second factor is removed. Your other "
                + "sessions have ended; this one goes on with a new session cookie."));
        assertThat(hidden("mfa-recovery")).isTrue();
        assertThat(press("#protected").status()).isEqualTo(200);
        assertThat(press("#logout").status()).isEqualTo(204);
        type("username", "nora");
        type("password", NEW_PASSWORD);
        assertThat(press("#login").status()).isEqualTo(200);
        assertThat(message("login-message")).isEqualTo(new Message("ok", "Logged in."));
        assertThat(hidden("mfa-form")).isTrue();

        // and the secret and the codes never went into a URL the API logged, nothing broke the page's policy
        assertThat(accessLog()).contains("POST /demo/qr 200", "POST /auth/mfa/totp 200", "POST /auth/mfa/totp/confirm 200",
                "POST /auth/mfa/verify 401", "POST /auth/mfa/verify 200", "DELETE /auth/mfa/totp 204")
                .noneMatch(line -> line.contains(secret) || line.contains(recoveryCodes.get(0)));
        assertThat(LOG.toString(StandardCharsets.UTF_8)).doesNotContain(secret);
        assertThat(browser.evaluate("window.cspViolations")).asList().isEmpty();
        assertThat(browser.scriptErrors()).extracting(entry -> entry.getText()).isEmpty();
    }

    @Test
    void aLoginOlderThanFiveMinutesIsToldToLogInAgainAndLoggingOutForgetsAPendingSecret() throws Exception {
        addUser("otto");
        var driver = browser.driver();
        openThePageLoggedOut();
        type("username", "otto");
        type("password", PASSWORD);
        Result login = press("#login");
        assertThat(login.status()).as(login.body()).isEqualTo(200);

        // given otto's login is six minutes old (its recorded login time rewritten in the sessions table)
        backdateLogin(sessionId(login.body()), Instant.now().minus(Duration.ofMinutes(6)));

        // when he presses "Add an authenticator app", or tries to remove a factor
        Result enrol = press("#mfa-enrol");
        String recentLogin = "This needs a recent login: log out, log in again, and try within 5 minutes.";
        Message afterEnrol = message("mfa-message");
        type("mfa-remove-code", "123456");
        Result remove = press("#mfa-remove");

        // then the API answers with the step-up challenge, and the page says what to do
        assertThat(enrol.request()).isEqualTo("POST /auth/mfa/totp");
        assertThat(enrol.status()).as(enrol.body()).isEqualTo(401);
        assertThat(enrol.body()).contains("\"type\": \"urn:authfn:problem:step-up-required\"");
        assertThat(afterEnrol).isEqualTo(new Message("failed", recentLogin));
        assertThat(hidden("mfa-enrolment")).isTrue();
        assertThat(remove.request()).isEqualTo("DELETE /auth/mfa/totp");
        assertThat(remove.status()).as(remove.body()).isEqualTo(401);
        assertThat(message("mfa-message")).isEqualTo(new Message("failed", recentLogin));

        // when he logs out and in again, begins enrolling, then logs out before confirming
        assertThat(press("#logout").status()).isEqualTo(204);
        type("username", "otto");
        type("password", PASSWORD);
        assertThat(press("#login").status()).isEqualTo(200);
        assertThat(message("mfa-message")).as("a new login starts the section afresh").isEqualTo(new Message("idle", ""));
        press("#mfa-enrol");
        browser.await("the QR code", () -> driver.findElements(By.cssSelector("#mfa-qr > svg")), found -> !found.isEmpty());
        String secret = browser.text("document.getElementById('mfa-secret').textContent");
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(press("#logout").status()).isEqualTo(204);

        // then the page holds the secret no more, and the next login shows no half-done enrolment
        assertThat(browser.text("document.body.innerHTML")).doesNotContain(secret);
        type("username", "otto");
        type("password", PASSWORD);
        assertThat(press("#login").status()).isEqualTo(200);
        assertThat(hidden("mfa-section")).isFalse();
        assertThat(hidden("mfa-enrolment")).isTrue();
        assertThat(driver.findElements(By.cssSelector("#mfa-qr > svg"))).isEmpty();
        assertThat(hidden("mfa-remove-form")).isFalse();
        assertThat(browser.evaluate("window.cspViolations")).asList().isEmpty();
        assertThat(browser.scriptErrors()).extracting(entry -> entry.getText()).isEmpty();
    }

    /**
     * Opens the demo page in a new tab without the cookies an earlier test left (the browser's
     * cookie jar is shared by the tabs), and starts watching for policy violations.
     */
    private static void openThePageLoggedOut() {
        var driver = browser.driver();
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(base + "/");
        driver.manage().deleteAllCookies();
        driver.navigate().refresh();
        assertThat(hidden("mfa-section")).isTrue();
        browser.evaluate("(() => { " + WATCH_CSP + " return true; })()");
    }

    /** What a message element of the page shows: its state (idle, pending, ok, failed) and text. */
    private record Message(String state, String text) {
    }

    /** What the page shows for the request a button sends. */
    private record Result(String request, int status, String body) {
    }

    private static Message message(String id) {
        return new Message(browser.text("document.getElementById('" + id + "').dataset.state"),
                browser.text("document.getElementById('" + id + "').textContent").replaceAll("\\s+", " ").strip());
    }

    private static boolean hidden(String id) {
        return (Boolean) browser.evaluate("document.getElementById('" + id + "').closest('[hidden]') !== null");
    }

    private static void type(String id, String text) {
        WebElement input = browser.driver().findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
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

    private static String compact(String json) {
        return json.replaceAll("\\s+", "");
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(OUTPUT);
        Files.write(OUTPUT.resolve(name), browser.driver().getScreenshotAs(OutputType.BYTES));
    }

    /** What the local API draws for {@code text} at {@code POST /demo/qr}. */
    private static String qr(String text) throws IOException, InterruptedException {
        HttpResponse<String> drawn = HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(
                HttpRequest.newBuilder(URI.create(base + "/demo/qr")).POST(HttpRequest.BodyPublishers.ofString(text))
                        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(drawn.statusCode()).as(drawn.body()).isEqualTo(200);
        return drawn.body();
    }

    /** The {@code d} of the SVG's one path: the dark modules. */
    private static String pathOf(String svg) {
        var matcher = Pattern.compile("<path fill=\"#000\" d=\"([^\"]+)\"/>").matcher(svg);
        assertThat(matcher.find()).as(svg).isTrue();
        return matcher.group(1);
    }

    /** Adds an active user with {@link #PASSWORD}, as {@code ./authfn users add} does. */
    private static void addUser(String username) {
        PrintStream log = new PrintStream(LOG, true, StandardCharsets.UTF_8);
        int added = Main.run(new String[] {"users", "add", username, "--role", "user", "--password-stdin",
                "--dynamodb-endpoint", api.dynamodbEndpoint().toString(),
                "--users-table", api.usersTable(), "--sessions-table", api.sessionsTable()},
                new Terminal(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)), log, log,
                        System.getenv()));
        assertThat(added).as("./authfn users add %s: %s", username, LOG).isZero();
    }

    /** The session id of a login answer as the page shows it. */
    @SuppressWarnings("unchecked")
    private static String sessionId(String loginBody) {
        return ((Map<String, Object>) Json.parseObject(loginBody).orElseThrow().get("session")).get("id").toString();
    }

    /**
     * Rewrites the recorded login time of a session, as if its user had logged in at
     * {@code authTime}: a login older than five minutes without waiting five minutes.
     */
    private static void backdateLogin(String sessionId, Instant authTime) {
        try (DynamoDbClient dynamodb = LocalInfrastructure.client(api.dynamodbEndpoint(), true)) {
            dynamodb.updateItem(UpdateItemRequest.builder().tableName(api.sessionsTable())
                    .key(SessionItems.key(sessionId))
                    .updateExpression("SET #authTime = :authTime")
                    .conditionExpression("attribute_exists(#authTime)")
                    .expressionAttributeNames(Map.of("#authTime", SessionItems.AUTH_TIME))
                    .expressionAttributeValues(Map.of(":authTime",
                            AttributeValue.fromN(Long.toString(authTime.toEpochMilli()))))
                    .build());
        }
    }

    /** The API's access lines so far ({@code POST /auth/mfa/verify 200}), without their timings. */
    private static List<String> accessLog() {
        return LOG.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> ACCESS_LINE.matcher(line).matches())
                .map(line -> line.substring(0, line.lastIndexOf(' ')))
                .toList();
    }
}
