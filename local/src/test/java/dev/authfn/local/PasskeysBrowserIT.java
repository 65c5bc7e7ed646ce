package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.local.browser.Browser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
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
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Passkeys on the demo page (docs/API.md §17) in a real browser: Debian's Chromium through
 * Debian's ChromeDriver ({@link Browser}), with a virtual authenticator (WebDriver's WebAuthn
 * extension, Selenium's {@link HasVirtualAuthenticator}) standing in for a platform
 * authenticator that verifies its user: CTAP2, internal transport, resident keys, user
 * verification that always succeeds. Against a {@link LocalApi} as {@code ./authfn start-api}
 * runs it, whose relying party is {@code localhost}: the page is opened at
 * {@code http://localhost:<port>/}.
 *
 * <p>A user signs up and logs in with a password on the page, adds a passkey, logs out, signs in
 * with the passkey without typing a user name, is a multi-factor session
 * ({@code amr ["hwk","user","mfa"]}), and removes the passkey, which then signs no one in. The same page served from {@code http://127.0.0.1:<port>/},
 * another site, cannot use the passkey: the browser refuses the ceremony for an RP ID that is not
 * its domain, and that page's requests to the localhost API are refused as cross-site.
 *
 * <p>Runs only under {@code -Pbrowser} (tag {@code browser}). The API's log, ChromeDriver's log and
 * a screenshot of the passkeys section go to {@code <build dir>/browser/}.
 */
@Tag("browser")
class PasskeysBrowserIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path OUTPUT = Path.of(System.getProperty("authfn.browser.output", "target/browser"));
    private static final Path CHROMIUM = Path.of(System.getProperty("authfn.chromium", Browser.CHROMIUM));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("authfn.chromedriver", Browser.CHROMEDRIVER));
    private static final Pattern ACCESS_LINE = Pattern.compile("^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \\S+ \\d{3} \\d+ms$");
    private static final String PASSWORD = "harbour quill meadow 4417";
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    /** As MfaPagesBrowserIT's: the page's Content-Security-Policy violations in {@code window.cspViolations}. */
    private static final String WATCH_CSP = "window.cspViolations = [];"
            + "document.addEventListener('securitypolicyviolation',"
            + " (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));";

    private static Browser browser;
    private static LocalApi api;
    /** {@code http://localhost:<port>}: the relying party's origin. */
    private static String site;
    /** {@code http://127.0.0.1:<port>}: the same API under an IP address, another site. */
    private static String otherSite;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.launch(CHROMIUM, CHROMEDRIVER, OUTPUT.resolve("chromedriver-passkeys.log"), TIMEOUT);
        PrintStream log = new PrintStream(LOG, true, StandardCharsets.UTF_8);
        // What ./authfn start-api serves, on a free port, with open sign-up so the page's sign-up logs in at once.
        api = LocalApi.start(Path.of("..", "template.yaml"), 0, Optional.empty(), Optional.empty(),
                Map.of("Signup", "open"), true, log);
        otherSite = api.baseUri().toString();
        site = "http://localhost:" + api.baseUri().getPort();
        browser.driver().manage().window().setSize(new Dimension(960, 1800));
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
        Files.writeString(OUTPUT.resolve("api-passkeys.log"), LOG.toString(StandardCharsets.UTF_8));
    }

    @Test
    void addsAPasskeyOnThePageThenSignsInWithItAloneAndAnotherSiteCannot() throws Exception {
        var driver = browser.driver();
        VirtualAuthenticator authenticator = ((HasVirtualAuthenticator) driver).addVirtualAuthenticator(
                new VirtualAuthenticatorOptions()
                        .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                        .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                        .setHasResidentKey(true)
                        .setHasUserVerification(true)
                        .setIsUserVerified(true));
        open(site);
        assertThat(browser.text("location.origin")).isEqualTo(site);
        assertThat(browser.evaluate("window.isSecureContext")).as("http://localhost is a secure context").isEqualTo(true);
        assertThat(hidden("passkeys-section")).isTrue();

        // given pia signed up on the page and logged in with her password
        type("signup-username", "pia");
        type("signup-email", "pia@example.com");
        type("signup-password", PASSWORD);
        Result signup = press("#signup");
        assertThat(signup.request()).isEqualTo("POST /auth/register");
        assertThat(signup.status()).as(signup.body()).isEqualTo(201);
        type("username", "pia");
        type("password", PASSWORD);
        Result login = press("#login");
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(message("login-message")).isEqualTo(new Message("ok", "Logged in."));
        assertThat(hidden("passkeys-section")).isFalse();
        assertThat(authenticator.getCredentials()).isEmpty();

        // when she names and adds a passkey
        type("passkey-name", "Test laptop");
        Message added = act("#passkey-add", "passkey-message");

        // then the authenticator holds one discoverable credential for localhost, and the page lists it
        assertThat(added).isEqualTo(new Message("ok",
                "The passkey “Test laptop” is added. Sign in with it next time: no user name, no password."));
        List<Credential> credentials = authenticator.getCredentials();
        assertThat(credentials).hasSize(1);
        Credential credential = credentials.get(0);
        assertThat(credential.isResidentCredential()).isTrue();
        assertThat(credential.getRpId()).isEqualTo("localhost");
        assertThat(credential.getUserHandle()).hasSize(32);
        String credentialId = Base64.getUrlEncoder().withoutPadding().encodeToString(credential.getId());
        assertThat(passkeyList()).containsExactly(new Listed(credentialId, "Test laptop"));
        assertThat(browser.text("document.querySelector('#passkey-list .passkey-meta').textContent"))
                .contains("never used", "this device only");
        assertThat(accessLog()).containsSubsequence("POST /auth/passkeys/register/options 200",
                "POST /auth/passkeys/register 201", "GET /auth/passkeys 200");
        screenshot("passkeys-added.png");

        // when she types a new name and renames it, then the list shows the new name
        type("passkey-name", "  Work laptop  ");
        Message renamed = act("#passkey-list .passkey-rename", "passkey-message");
        assertThat(renamed).isEqualTo(new Message("ok", "The passkey is renamed."));
        assertThat(passkeyList()).containsExactly(new Listed(credentialId, "Work laptop"));
        assertThat(accessLog()).containsSubsequence("PATCH /auth/passkeys/" + credentialId + " 204");

        // when she logs out, then signs in with the passkey, typing no user name
        assertThat(press("#logout").status()).isEqualTo(204);
        assertThat(hidden("passkeys-section")).isTrue();
        assertThat(driver.manage().getCookies()).extracting(Cookie::getName).doesNotContain("__Host-session");
        type("username", "");
        assertThat(browser.text("document.getElementById('username').value")).isEmpty();
        assertThat(browser.text("document.getElementById('password').value")).isEmpty();
        Message signedIn = act("#passkey-login", "login-message");

        // then she has a session, and it is a multi-factor one: a device-bound key, verified by the authenticator
        assertThat(signedIn).isEqualTo(new Message("ok", "Signed in with a passkey."));
        assertThat(browser.text("document.getElementById('result').dataset.request")).isEqualTo("POST /auth/passkeys/login");
        assertThat(browser.text("document.getElementById('result').dataset.status")).isEqualTo("200");
        assertThat(driver.manage().getCookieNamed("__Host-session")).isNotNull();
        assertThat(driver.manage().getCookieNamed("__Host-csrf")).isNotNull();
        Result whoAmI = press("#protected");
        assertThat(whoAmI.status()).as(whoAmI.body()).isEqualTo(200);
        assertThat(compact(whoAmI.body())).contains("\"username\":\"pia\"", "\"amr\":[\"hwk\",\"user\",\"mfa\"]",
                "\"acr\":\"urn:authfn:acr:mfa\"");
        Result sessions = press("#sessions");
        assertThat(sessions.request()).isEqualTo("GET /auth/sessions");
        assertThat(sessions.status()).as(sessions.body()).isEqualTo(200);
        assertThat(compact(sessions.body())).contains("\"amr\":[\"hwk\",\"user\",\"mfa\"]");
        // A multi-factor login passes the step-up route without a TOTP factor.
        Result stepUp = press("#step-up");
        assertThat(stepUp.status()).as(stepUp.body()).isEqualTo(200);
        // The authenticator still holds exactly the one credential, now used once.
        credentials = authenticator.getCredentials();
        assertThat(credentials).hasSize(1);
        assertThat(credentials.get(0).isResidentCredential()).isTrue();
        assertThat(Base64.getUrlEncoder().withoutPadding().encodeToString(credentials.get(0).getId()))
                .isEqualTo(credentialId);
        int signCount = credentials.get(0).getSignCount();
        assertThat(signCount).isPositive();
        press("#passkey-list-refresh");
        assertThat(passkeyList()).containsExactly(new Listed(credentialId, "Work laptop"));
        assertThat(browser.text("document.querySelector('#passkey-list .passkey-meta').textContent"))
                .contains("last used ").doesNotContain("never used");

        // when she removes the passkey from her account (this login is recent: it just happened)
        browser.driver().findElement(By.cssSelector("#passkey-list li[data-id='" + credentialId + "'] .passkey-remove"))
                .click();
        Message removed = browser.await("the removal", () -> message("passkey-message"),
                now -> now.state().equals("ok") || now.state().equals("failed"));

        // then the API forgets it (the authenticator still holds it), and the session goes on with new cookies
        assertThat(removed).isEqualTo(new Message("ok", "The passkey “Work laptop” is removed; delete it from your "
                + "authenticator too. Your other sessions have ended; this one goes on with a new session cookie."));
        assertThat(accessLog()).containsSubsequence("DELETE /auth/passkeys/" + credentialId + " 204",
                "GET /auth/passkeys 200");
        assertThat(passkeyList()).isEmpty();
        assertThat(browser.text("document.getElementById('passkey-list').textContent")).isEqualTo("No passkey yet.");
        assertThat(press("#protected").status()).isEqualTo(200);
        assertThat(authenticator.getCredentials()).hasSize(1);
        assertThat(browser.evaluate("window.cspViolations")).asList().isEmpty();
        assertThat(press("#logout").status()).isEqualTo(204);

        // when the same page, served from http://127.0.0.1:<port>/ (another site), tries to sign in with a passkey
        open(otherSite);
        assertThat(browser.text("location.origin")).isEqualTo(otherSite);
        Message refused = act("#passkey-login", "login-message");

        // then the API hands out options for its RP ID, localhost, and the browser refuses to run the ceremony there
        assertThat(refused).isEqualTo(new Message("failed", "The browser refused (SecurityError): this page is not on "
                + "the passkeys’ site, localhost. Open it as http://localhost:" + api.baseUri().getPort() + "/."));
        assertThat(browser.text("document.getElementById('result').dataset.request"))
                .isEqualTo("POST /auth/passkeys/login/options");
        // The page's own ceremony rejects exactly with a SecurityError, asked directly too.
        assertThat(browser.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "navigator.credentials.get({publicKey: {challenge: new Uint8Array(32), rpId: 'localhost',"
                + " allowCredentials: [], userVerification: 'required'}})"
                + ".then(() => done('resolved'), (error) => done(error.name));")).isEqualTo("SecurityError");
        assertThat(browser.evaluate("window.cspViolations")).asList().isEmpty();
        // Requests from that site to the localhost API are cross-site, and refused before anything is read. (Sent
        // from another document of http://127.0.0.1:<port>: the demo page's policy lets it reach its own origin only.)
        browser.driver().get(otherSite + "/.well-known/jwks.json");
        assertThat(browser.text("location.origin")).isEqualTo(otherSite);
        assertThat(crossSitePost(site + "/auth/passkeys/login/options", "")).isEqualTo("sent");
        assertThat(crossSitePost(site + "/auth/passkeys/login", "{\"credential\":{}}")).isEqualTo("sent");
        browser.await("the API's refusals of the cross-site requests", PasskeysBrowserIT::accessLog,
                lines -> lines.contains("POST /auth/passkeys/login 403"));
        assertThat(accessLog()).containsOnlyOnce("POST /auth/passkeys/login 200", "POST /auth/passkeys/login 403",
                "POST /auth/passkeys/login/options 403");
        assertThat(LOG.toString(StandardCharsets.UTF_8)).contains("\"event\":\"passkey-login-options\"")
                .containsPattern("\"event\":\"passkey-login\".*\"outcome\":\"refused\".*\"reason\":\"CROSS_SITE\"");
        // No session for anyone: neither site holds a session cookie, and the authenticator was never asked.
        assertThat(driver.manage().getCookies()).extracting(Cookie::getName).doesNotContain("__Host-session");
        open(site);
        assertThat(driver.manage().getCookies()).extracting(Cookie::getName).doesNotContain("__Host-session",
                "__Host-csrf");
        assertThat(hidden("passkeys-section")).isTrue();
        credentials = authenticator.getCredentials();
        assertThat(credentials).hasSize(1);
        assertThat(credentials.get(0).getSignCount()).isEqualTo(signCount);

        // and back on localhost, the removed passkey signs no one in
        Message unknown = act("#passkey-login", "login-message");
        assertThat(unknown).isEqualTo(new Message("failed", "The passkey was not accepted; try again."));
        assertThat(browser.text("document.getElementById('result').dataset.status")).isEqualTo("401");
        assertThat(driver.manage().getCookies()).extracting(Cookie::getName).doesNotContain("__Host-session");
        assertThat(browser.evaluate("window.cspViolations")).asList().isEmpty();
        assertThat(browser.scriptErrors()).extracting(entry -> entry.getText()).isEmpty();
    }

    /** Opens the demo page at {@code origin} in the current tab and starts watching for policy violations. */
    private static void open(String origin) {
        browser.driver().get(origin + "/");
        browser.evaluate("(() => { " + WATCH_CSP + " return true; })()");
    }

    /**
     * A form POST the page's script could make to another site ({@code fetch} in {@code no-cors}
     * mode with a {@code text/plain} body, the cookies included): the browser sends it without a
     * preflight, marked {@code Sec-Fetch-Site: cross-site}. The answer is opaque to the page.
     */
    private static Object crossSitePost(String url, String body) {
        return browser.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {method: 'POST', mode: 'no-cors', credentials: 'include', body: arguments[1]})"
                + ".then(() => done('sent'), (error) => done('failed: ' + error));", url, body);
    }

    /** What a message element of the page shows: its state (idle, pending, ok, failed) and text. */
    private record Message(String state, String text) {
    }

    /** What the page shows for the request a button sends. */
    private record Result(String request, int status, String body) {
    }

    /** A passkey as the page lists it: its id and name. */
    private record Listed(String id, String name) {
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

    @SuppressWarnings("unchecked")
    private static List<Listed> passkeyList() {
        List<Map<String, Object>> items = (List<Map<String, Object>>) browser.evaluate(
                "[...document.querySelectorAll('#passkey-list li:not(.empty)')].map(li => ({id: li.dataset.id,"
                        + " name: li.querySelector('.passkey-name').textContent}))");
        return items.stream().map(item -> new Listed((String) item.get("id"), (String) item.get("name"))).toList();
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

    /**
     * Clicks a button that runs a ceremony (several requests and the authenticator) and waits until
     * its message says how it ended: ok or failed.
     */
    private static Message act(String button, String messageId) {
        browser.evaluate("(() => { document.getElementById('" + messageId + "').dataset.state = 'idle'; return true; })()");
        browser.driver().findElement(By.cssSelector(button)).click();
        return browser.await("the page to finish " + button, () -> message(messageId),
                now -> now.state().equals("ok") || now.state().equals("failed"));
    }

    private static String compact(String json) {
        return json.replaceAll("\\s+", "");
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(OUTPUT);
        Files.write(OUTPUT.resolve(name), browser.driver().getScreenshotAs(OutputType.BYTES));
    }

    /** The API's access lines so far ({@code POST /auth/passkeys/login 200}), without their timings. */
    private static List<String> accessLog() {
        return LOG.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> ACCESS_LINE.matcher(line).matches())
                .map(line -> line.substring(0, line.lastIndexOf(' ')))
                .toList();
    }
}
