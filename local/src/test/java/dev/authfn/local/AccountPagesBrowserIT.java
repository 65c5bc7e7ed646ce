package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.mail.DirectoryOutbox;
import dev.authfn.core.mail.StoredMail;
import dev.authfn.local.browser.Browser;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
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

/**
 * The demo page's account screens in a real browser (Debian's Chromium through Debian's
 * ChromeDriver, see {@link Browser}) against a {@link LocalApi} as {@code ./authfn start-api} runs
 * it: sign-up in {@code verified} mode, the mails in the run's outbox ({@link DirectoryOutbox}),
 * whose links carry the token in the URL fragment. Each link is opened in the browser, so what is
 * exercised is the page reading {@code location.hash}, clearing it and posting the token; the
 * tests then check that no token reached the API as part of a URL or anywhere in its log.
 *
 * <p>Runs only under {@code -Pbrowser} (tag {@code browser}, as {@link DemoPageBrowserIT}). The
 * API's log, ChromeDriver's log and screenshots after sign-up and of the reset form go to
 * {@code <build dir>/browser/}.
 */
@Tag("browser")
class AccountPagesBrowserIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path OUTPUT = Path.of(System.getProperty("authfn.browser.output", "target/browser"));
    private static final Path CHROMIUM = Path.of(System.getProperty("authfn.chromium", Browser.CHROMIUM));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("authfn.chromedriver", Browser.CHROMEDRIVER));
    private static final Pattern ACCESS_LINE = Pattern.compile("^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \\S+ \\d{3} \\d+ms$");
    private static final Pattern TOKEN = Pattern.compile("#(?:verify|reset)=([A-Za-z0-9._~-]+)$");
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static final String ACCEPTED = "If an account matches, a mail is on its way.";

    private static Browser browser;
    private static LocalApi api;
    private static DirectoryOutbox outbox;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.launch(CHROMIUM, CHROMEDRIVER, OUTPUT.resolve("chromedriver-accounts.log"), TIMEOUT);
        PrintStream log = new PrintStream(LOG, true, StandardCharsets.UTF_8);
        // What ./authfn start-api serves (sign-up verified, mails to a temporary outbox), on free ports.
        api = LocalApi.start(Path.of("..", "template.yaml"), 0, Optional.empty(), Optional.empty(), Map.of(), true, log);
        base = api.baseUri().toString();
        outbox = new DirectoryOutbox(api.mailDirectory());
        browser.driver().manage().window().setSize(new Dimension(960, 1400));
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
        Files.writeString(OUTPUT.resolve("api-accounts.log"), LOG.toString(StandardCharsets.UTF_8));
    }

    @Test
    void signsUpVerifiesThroughTheMailLinkLogsInAndChangesThePassword() throws Exception {
        String password = "violet kestrel harbour 1843";
        String newPassword = "quiet lantern orbit 2291";
        var driver = browser.driver();
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(base + "/");
        String page = driver.getWindowHandle();

        // given the page as it opens: no reset form, no change-password form (not logged in)
        assertThat(message("verify-message")).isEqualTo(new Message("idle",
                "Open the link in a verification mail (./authfn mail link) to verify an address here."));
        assertThat(hidden("reset-section")).isTrue();
        assertThat(hidden("change-password-section")).isTrue();

        // when ada signs up with a password that is too short
        type("signup-username", "ada");
        type("signup-email", "ada@example.com");
        type("signup-password", "too short");
        Result weak = press("#signup");

        // then the page says why, with the minimum length the API sent
        assertThat(weak.request()).isEqualTo("POST /auth/register");
        assertThat(weak.status()).as(weak.body()).isEqualTo(400);
        assertThat(weak.body()).contains("\"reason\": \"too_short\"", "\"min_length\": 12");
        assertThat(message("signup-message")).isEqualTo(new Message("failed",
                "The password is too short: use at least 12 characters."));
        assertThat(value("signup-password")).as("the page forgets a password once sent").isEmpty();

        // when she signs up with a good one
        type("signup-password", password);
        Result signedUp = press("#signup");

        // then the account waits for its address to be verified, and the login form has her name
        assertThat(signedUp.status()).as(signedUp.body()).isEqualTo(202);
        assertThat(signedUp.body()).contains("\"status\": \"verification_required\"");
        assertThat(message("signup-message")).isEqualTo(new Message("ok",
                "Account created. Open the link in the mail sent to ada@example.com to verify the address, then log in."));
        assertThat(value("username")).isEqualTo("ada");
        screenshot("accounts-after-sign-up.png");

        // when someone else signs up as ada
        type("signup-username", "ada");
        type("signup-email", "someone@example.com");
        type("signup-password", "another long passphrase 77");
        Result taken = press("#signup");

        // then the name is taken
        assertThat(taken.status()).as(taken.body()).isEqualTo(409);
        assertThat(message("signup-message")).isEqualTo(new Message("failed", "That user name is taken; choose another."));

        // when ada logs in before verifying
        type("password", password);
        Result unverified = press("#login");

        // then the page says so and offers the mail again, to the address she signed up with
        assertThat(unverified.status()).as(unverified.body()).isEqualTo(403);
        assertThat(unverified.body()).contains("\"type\": \"urn:authfn:problem:email-not-verified\"");
        assertThat(message("login-message")).isEqualTo(new Message("failed", "This account’s email address is not "
                + "verified yet. Open the link in the verification mail, or have it sent again."));
        assertThat(hidden("login-resend-form")).isFalse();
        assertThat(value("login-resend-email")).isEqualTo("ada@example.com");
        Result resent = press("#login-resend");
        assertThat(resent.request()).isEqualTo("POST /auth/email/resend");
        assertThat(resent.status()).as(resent.body()).isEqualTo(202);
        assertThat(message("login-message")).isEqualTo(new Message("ok", ACCEPTED));

        // when she opens the newest verification mail's link, as a mail client does: in a new tab
        List<StoredMail> mails = awaitMails("ada@example.com", "Confirm your email address for ", 2);
        String link = link(mails.getLast());
        assertThat(link).startsWith(base + "/#verify=");
        String token = token(link);
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(link);

        // then the page posted the token and says the address is verified; the fragment is gone
        // from the address bar (and so from the history)
        assertThat(awaitOutcome("verify-message")).isEqualTo(new Message("ok",
                "Your email address is verified. You can log in now."));
        assertThat(browser.text("location.href")).isEqualTo(base + "/");
        assertThat(browser.text("document.getElementById('result').dataset.request")).isEqualTo("POST /auth/email/verify");
        assertThat(browser.text("document.getElementById('result').dataset.status")).isEqualTo("204");

        // when the same link is opened again in this tab (only the fragment changes: no new load)
        driver.get(link);

        // then the spent token is refused, and the page offers a new mail
        assertThat(awaitOutcome("verify-message")).isEqualTo(new Message("failed",
                "This verification link is invalid, used or expired. Have a new mail sent below."));
        assertThat(browser.text("location.href")).isEqualTo(base + "/");
        assertThat(browser.text("document.activeElement.id")).isEqualTo("resend-email");

        // when ada logs in on the page
        type("username", "ada");
        type("password", password);
        Result login = press("#login");

        // then she is in: /protected knows her, and the change-password form shows
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(message("login-message")).isEqualTo(new Message("ok", "Logged in."));
        Result protectedRoute = press("#protected");
        assertThat(protectedRoute.status()).as(protectedRoute.body()).isEqualTo(200);
        assertThat(protectedRoute.body()).contains("\"username\": \"ada\"", "\"auth_type\": \"cookie\"");
        assertThat(hidden("change-password-section")).isFalse();
        String sessionBefore = sessionCookie();

        // when she changes her password, first giving a wrong current one
        type("current-password", "not my password at all");
        type("new-password", newPassword);
        Result wrong = press("#change-password");
        type("current-password", password);
        type("new-password", newPassword);
        Result changed = press("#change-password");

        // then the wrong one is refused; the right one changes it and the page goes on with a new
        // session cookie, while the old cookie no longer works
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(401);
        assertThat(changed.request()).isEqualTo("POST /auth/password/change");
        assertThat(changed.status()).as(changed.body()).isEqualTo(204);
        assertThat(message("change-password-message")).isEqualTo(new Message("ok", "Your password is changed. Your "
                + "other sessions have ended; this one goes on with a new session cookie."));
        assertThat(sessionCookie()).isNotEqualTo(sessionBefore);
        assertThat(press("#protected").status()).isEqualTo(200);
        assertThat(protectedWithCookie(sessionBefore).statusCode()).isEqualTo(403);

        // when she logs out, then logs in with the old password and with the new one
        assertThat(press("#logout").status()).isEqualTo(204);
        assertThat(hidden("change-password-section")).isTrue();
        type("username", "ada");
        type("password", password);
        Result oldPassword = press("#login");
        assertThat(message("login-message")).isEqualTo(new Message("failed", "Wrong user name or password."));
        type("password", newPassword);
        Result withNewPassword = press("#login");

        // then only the new one works
        assertThat(oldPassword.status()).as(oldPassword.body()).isEqualTo(401);
        assertThat(withNewPassword.status()).as(withNewPassword.body()).isEqualTo(200);
        assertThat(press("#protected").body()).contains("\"username\": \"ada\"");

        // and the token never reached the API but in a POST body: not in a logged URL, not anywhere in its log
        assertTokenStayedOutOfUrls(token);
        assertThat(accessLog()).contains("GET / 200", "POST /auth/email/verify 204", "POST /auth/email/verify 400");
        assertThat(browser.scriptErrors()).extracting(entry -> entry.getText()).isEmpty();
        driver.close();
        driver.switchTo().window(page);
    }

    @Test
    void resetsAForgottenPasswordThroughTheMailLinkAndEndsTheOldSessions() throws Exception {
        String password = "amber tidepool falcon 5520";
        String newPassword = "granite meadow sparrow 0413";
        signUpAndVerify("grace", "grace@example.com", password);
        var driver = browser.driver();
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(base + "/");
        String page = driver.getWindowHandle();

        // given grace is logged in on the page
        type("username", "grace");
        type("password", password);
        assertThat(press("#login").status()).isEqualTo(200);
        String oldSession = sessionCookie();

        // when she asks for a reset without saying who she is
        driver.findElement(By.id("forgot")).click();

        // then the page asks for one of the two, and sends nothing
        assertThat(message("forgot-message")).isEqualTo(new Message("failed",
                "Fill in your user name or your email address, one of them."));

        // when she asks with her address
        type("forgot-email", "grace@example.com");
        Result forgot = press("#forgot");

        // then the page shows the API's one answer
        assertThat(forgot.request()).isEqualTo("POST /auth/password/forgot");
        assertThat(forgot.status()).as(forgot.body()).isEqualTo(202);
        assertThat(message("forgot-message")).isEqualTo(new Message("ok", ACCEPTED));

        // when she opens the reset mail's link in a new tab
        List<StoredMail> mails = awaitMails("grace@example.com", "Reset your ", 1);
        String link = link(mails.getLast());
        assertThat(link).startsWith(base + "/#reset=");
        String token = token(link);
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(link);

        // then the page shows the reset form, focused, and has taken the token out of the address
        browser.await("the reset form", () -> hidden("reset-section"), isHidden -> !isHidden);
        assertThat(hidden("reset-form")).isFalse();
        assertThat(browser.text("document.activeElement.id")).isEqualTo("reset-password");
        assertThat(browser.text("location.href")).isEqualTo(base + "/");
        assertThat(browser.text("document.body.innerHTML")).doesNotContain(token);
        screenshot("accounts-reset-form.png");

        // when she first picks a password that is too short, then a good one
        type("reset-password", "short");
        Result weak = press("#reset");
        assertThat(weak.status()).as(weak.body()).isEqualTo(400);
        assertThat(message("reset-message")).isEqualTo(new Message("failed",
                "The password is too short: use at least 12 characters."));
        assertThat(hidden("reset-form")).isFalse();
        type("reset-password", newPassword);
        Result reset = press("#reset");

        // then the password is set, the browser's cookies are cleared and the old session is over
        assertThat(reset.request()).isEqualTo("POST /auth/password/reset");
        assertThat(reset.status()).as(reset.body()).isEqualTo(204);
        assertThat(message("reset-message")).isEqualTo(new Message("ok", "Your new password is set, and every session "
                + "of the account has ended. Log in with the new password."));
        assertThat(hidden("reset-form")).isTrue();
        assertThat(driver.manage().getCookies()).extracting(Cookie::getName).doesNotContain("__Host-session", "__Host-csrf");
        assertThat(protectedWithCookie(oldSession).statusCode()).isEqualTo(403);

        // when she logs in with the old password, then with the new one
        type("username", "grace");
        type("password", password);
        Result oldPassword = press("#login");
        assertThat(message("login-message")).isEqualTo(new Message("failed", "Wrong user name or password."));
        type("password", newPassword);
        Result login = press("#login");

        // then only the new one works
        assertThat(oldPassword.status()).as(oldPassword.body()).isEqualTo(401);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(message("login-message")).isEqualTo(new Message("ok", "Logged in."));
        assertThat(press("#protected").body()).contains("\"username\": \"grace\"");

        // when the spent link is opened again (in this tab: only the fragment changes) and used
        driver.get(link);
        browser.await("the reset form", () -> hidden("reset-form"), isHidden -> !isHidden);
        type("reset-password", "yet another passphrase 99");
        Result spent = press("#reset");

        // then it is refused and the page points to forgot password
        assertThat(spent.status()).as(spent.body()).isEqualTo(400);
        assertThat(spent.body()).contains("\"type\": \"urn:authfn:problem:invalid-token\"");
        assertThat(message("reset-message")).isEqualTo(new Message("failed",
                "This reset link is invalid, used or expired. Ask for a new one under Forgot password."));
        assertThat(hidden("reset-form")).isTrue();

        // and the token never reached the API but in a POST body
        assertTokenStayedOutOfUrls(token);
        assertThat(accessLog()).contains("POST /auth/password/reset 400", "POST /auth/password/reset 204");
        assertThat(browser.scriptErrors()).extracting(entry -> entry.getText()).isEmpty();
        driver.close();
        driver.switchTo().window(page);
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(OUTPUT);
        Files.write(OUTPUT.resolve(name), browser.driver().getScreenshotAs(OutputType.BYTES));
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

    /** The message once its request is answered (the page sets it to pending until then). */
    private static Message awaitOutcome(String id) {
        browser.await(id + " to show an outcome", () -> message(id).state(),
                state -> state.equals("ok") || state.equals("failed"));
        return message(id);
    }

    private static boolean hidden(String id) {
        return (Boolean) browser.evaluate("document.getElementById('" + id + "').closest('[hidden]') !== null");
    }

    private static String value(String id) {
        return browser.driver().findElement(By.id(id)).getDomProperty("value");
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

    private static String sessionCookie() {
        Cookie cookie = browser.driver().manage().getCookieNamed("__Host-session");
        assertThat(cookie).as("the session cookie").isNotNull();
        return cookie.getValue();
    }

    /**
     * The mails to {@code to} whose subject starts with {@code subject}, oldest first, once there
     * are {@code count}: the mail driver is told to deliver at once, and the outbox is read as
     * {@code ./authfn mail} reads it.
     */
    private static List<StoredMail> awaitMails(String to, String subject, int count) {
        return browser.await(count + " mail(s) to " + to + " \"" + subject + "…\"", () -> {
            api.deliverMail();
            return outbox.list().stream()
                    .filter(mail -> mail.mail().to().equals(to) && mail.mail().subject().startsWith(subject))
                    .toList();
        }, mails -> mails.size() == count);
    }

    /** The mail's token link, as {@code ./authfn mail link} finds it. */
    private static String link(StoredMail mail) {
        Matcher matcher = MailCommand.TOKEN_LINK.matcher(mail.mail().text());
        assertThat(matcher.find()).as("a token link in %s", mail.mail().text()).isTrue();
        return matcher.group();
    }

    private static String token(String link) {
        Matcher matcher = TOKEN.matcher(link);
        assertThat(matcher.find()).as(link).isTrue();
        return matcher.group(1);
    }

    /**
     * The token is in no URL the API logged (its access lines name each request's path), nowhere
     * else in its log, and in the URLs the browser loaded only after a {@code #}: BiDi reports a
     * navigation with the document's URL, fragment included, but a fragment is never part of the
     * request, as the API's {@code GET / 200} for the link shows.
     */
    private static void assertTokenStayedOutOfUrls(String token) {
        assertThat(token).hasSizeGreaterThanOrEqualTo(16);
        assertThat(accessLog()).isNotEmpty().noneMatch(line -> line.contains(token));
        assertThat(LOG.toString(StandardCharsets.UTF_8)).doesNotContain(token);
        assertThat(browser.responses()).extracting(response -> response.getRequest().getUrl())
                .filteredOn(url -> url.contains(token))
                .isNotEmpty()
                .allSatisfy(url -> assertThat(url).as("only in the fragment").startsWith(base + "/#"));
    }

    /** The API's access lines so far ({@code POST /auth/register 202}), without their timings. */
    private static List<String> accessLog() {
        return LOG.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> ACCESS_LINE.matcher(line).matches())
                .map(line -> line.substring(0, line.lastIndexOf(' ')))
                .toList();
    }

    /** Signs up and verifies over plain HTTP, as the first test does on the page. */
    private static void signUpAndVerify(String username, String email, String password) throws Exception {
        HttpResponse<String> registered = post("/auth/register", "{\"username\":\"" + username + "\",\"email\":\""
                + email + "\",\"password\":\"" + password + "\"}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(202);
        String token = token(link(awaitMails(email, "Confirm your email address for ", 1).getLast()));
        HttpResponse<String> verified = post("/auth/email/verify", "{\"token\":\"" + token + "\"}");
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(204);
    }

    private static HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> protectedWithCookie(String session) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        return client.send(HttpRequest.newBuilder(URI.create(base + "/protected")).header("Cookie", "__Host-session="
                + session).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }
}
