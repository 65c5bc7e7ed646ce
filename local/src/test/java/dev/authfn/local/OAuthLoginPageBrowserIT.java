package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.local.browser.Browser;
import dev.authfn.local.testing.AuthenticatorApp;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;

/**
 * The OAuth function's hosted login page (docs/API.md §18.3) in a real browser (Debian's
 * Chromium, see {@link Browser}) against a {@link LocalApi} as {@code ./authfn start-api} runs
 * it: its inline script and style run under the function's hash-only policy, a wrong password
 * shows the login's problem detail, and a right one sets the session cookie through
 * {@code POST /auth/login} and goes back to the authorization request without {@code prompt=login},
 * which then sends the browser to the client's redirect URI with a code.
 *
 * <p>Runs only under {@code -Pbrowser} (tag {@code browser}, as {@link DemoPageBrowserIT}). The
 * API's log, ChromeDriver's log and a screenshot of the page go to {@code <build dir>/browser/}.
 */
@Tag("browser")
class OAuthLoginPageBrowserIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path OUTPUT = Path.of(System.getProperty("authfn.browser.output", "target/browser"));
    private static final Path CHROMIUM = Path.of(System.getProperty("authfn.chromium", Browser.CHROMIUM));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("authfn.chromedriver", Browser.CHROMEDRIVER));
    private static final String PASSWORD = "amber harbour quill 4417";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

    private static Browser browser;
    private static LocalApi api;
    private static String base;
    private static String callback;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.launch(CHROMIUM, CHROMEDRIVER, OUTPUT.resolve("chromedriver-oauth.log"), TIMEOUT);
        PrintStream log = new PrintStream(LOG, true, StandardCharsets.UTF_8);
        // What ./authfn start-api serves, on free ports.
        api = LocalApi.start(Path.of("..", "template.yaml"), 0, Optional.empty(), Optional.empty(), Map.of(), true, log);
        base = api.baseUri().toString();
        // A loopback redirect URI on the API itself: the browser lands there (a 404), the code in its address.
        callback = base + "/oauth-test/callback";
        admin(PASSWORD + "\n", "users", "add", "olga", "--role", "user", "--password-stdin");
        admin("", "clients", "add", "spa", "--redirect-uri", callback, "--public", "--scope", "openid profile");
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
        Files.writeString(OUTPUT.resolve("api-oauth.log"), LOG.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theScriptAndStyleRunUnderTheHashOnlyPolicyAndAWrongPasswordShowsTheLoginsDetail() {
        var driver = browser.driver();
        driver.manage().deleteAllCookies();
        driver.get(authorizationUrl("&state=one"));

        // The script ran (it focuses the user name and shows the passkey button where WebAuthn reads JSON),
        // and the style applied: neither was blocked by the policy.
        assertThat(browser.text("document.title")).isEqualTo("Sign in");
        assertThat(browser.text("document.activeElement.id")).isEqualTo("username");
        assertThat(browser.evaluate("document.getElementById('passkey').hidden")).isEqualTo(false);
        assertThat(browser.text("getComputedStyle(document.querySelector('main')).maxWidth")).isEqualTo("352px");
        assertThat(browser.scriptErrors()).isEmpty();

        driver.findElement(By.id("username")).sendKeys("olga");
        driver.findElement(By.id("password")).sendKeys("not her password");
        driver.findElement(By.cssSelector("#password-form button")).click();

        assertThat(browser.await("the refusal", () -> browser.text("document.getElementById('message').textContent"),
                text -> text.equals("The username or password is wrong."))).isNotEmpty();
        assertThat(browser.text("document.getElementById('password').value")).isEmpty();
        assertThat(driver.getCurrentUrl()).startsWith(base + "/oauth2/authorize?");
        screenshot("oauth-login-refused.png");
    }

    @Test
    void aRightPasswordGoesBackToTheAuthorizationRequestWithoutPromptLoginAndOnToTheClientWithACode() {
        var driver = browser.driver();
        driver.manage().deleteAllCookies();
        driver.get(authorizationUrl("&prompt=login&state=two"));

        driver.findElement(By.id("username")).sendKeys("olga");
        driver.findElement(By.id("password")).sendKeys(PASSWORD);
        driver.findElement(By.cssSelector("#password-form button")).click();

        String landed = browser.await("the redirect to the client", driver::getCurrentUrl,
                url -> url.startsWith(callback + "?"));
        Map<String, String> back = query(landed);
        assertThat(back.keySet()).containsExactly("code", "state", "iss");
        assertThat(back.get("code")).matches("[A-Za-z0-9_-]{43}");
        assertThat(back).containsEntry("state", "two").containsEntry("iss", base);
        assertThat(driver.manage().getCookieNamed("__Host-session")).isNotNull();
    }

    @Test
    void aUserWithASecondFactorIsAskedForTheCodeAndThenSentOnToTheClient() {
        // given mia with a confirmed TOTP factor, enrolled over HTTP as an app would
        admin(PASSWORD + "\n", "users", "add", "mia", "--role", "user", "--password-stdin");
        Http http = new Http(api.baseUri());
        Login enroller = Login.json(http, "mia", PASSWORD, "OAuthLoginPageBrowserIT");
        Http.Response begun = enroller.withCookieAndCsrf(http.post("/auth/mfa/totp")).send();
        assertThat(begun.status()).as("%s", begun).isEqualTo(200);
        AuthenticatorApp app = new AuthenticatorApp((String) begun.json().get("secret"));
        Http.Response confirmed = enroller.withCookieAndCsrf(http.post("/auth/mfa/totp/confirm"))
                .json(Map.of("code", app.nextCode())).send();
        assertThat(confirmed.status()).as("%s", confirmed).isEqualTo(200);
        var driver = browser.driver();
        driver.manage().deleteAllCookies();
        driver.get(authorizationUrl("&state=three"));

        // when she types her password: the page asks for the code, and no session is set yet
        driver.findElement(By.id("username")).sendKeys("mia");
        driver.findElement(By.id("password")).sendKeys(PASSWORD);
        driver.findElement(By.cssSelector("#password-form button")).click();
        browser.await("the code field", () -> browser.evaluate("document.getElementById('code-form').hidden"),
                hidden -> hidden.equals(false));
        assertThat(browser.evaluate("document.getElementById('password-form').hidden")).isEqualTo(true);
        assertThat(browser.text("document.activeElement.id")).isEqualTo("code");
        assertThat(driver.manage().getCookieNamed("__Host-session")).isNull();

        // then a wrong code is refused on the page, and the right one goes on to the client with a code
        driver.findElement(By.id("code")).sendKeys("000000".equals(app.peekCode()) ? "111111" : "000000");
        driver.findElement(By.cssSelector("#code-form button")).click();
        browser.await("the refusal", () -> browser.text("document.getElementById('message').textContent"),
                text -> !text.isEmpty() && !text.startsWith("Checking"));
        assertThat(driver.getCurrentUrl()).startsWith(base + "/oauth2/authorize?");
        driver.findElement(By.id("code")).sendKeys(app.nextCode());
        driver.findElement(By.cssSelector("#code-form button")).click();
        String landed = browser.await("the redirect to the client", driver::getCurrentUrl,
                url -> url.startsWith(callback + "?"));
        assertThat(query(landed)).containsEntry("state", "three").containsKey("code");
    }

    private static String authorizationUrl(String more) {
        return base + "/oauth2/authorize?response_type=code&client_id=spa&redirect_uri="
                + URLEncoder.encode(callback, StandardCharsets.UTF_8) + "&scope=openid%20profile&code_challenge="
                + CHALLENGE + "&code_challenge_method=S256" + more;
    }

    private static Map<String, String> query(String url) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    /** {@code ./authfn <arguments>} against the API's own tables. */
    private static void admin(String stdin, String... arguments) {
        PrintStream log = new PrintStream(LOG, true, StandardCharsets.UTF_8);
        String[] all = new String[arguments.length + 6];
        System.arraycopy(arguments, 0, all, 0, arguments.length);
        System.arraycopy(new String[] {"--dynamodb-endpoint", api.dynamodbEndpoint().toString(),
            "--users-table", api.usersTable(), "--sessions-table", api.sessionsTable()}, 0, all, arguments.length, 6);
        int status = Main.run(all, new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), log, log,
                System.getenv()));
        assertThat(status).as("./authfn %s: %s", String.join(" ", arguments), LOG).isZero();
    }

    private static void screenshot(String name) {
        try {
            Files.createDirectories(OUTPUT);
            Files.write(OUTPUT.resolve(name), browser.driver().getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
