package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.authfn.local.browser.Browser;
import dev.authfn.local.testing.AuthenticatorApp;
import dev.authfn.local.testing.AuthorizationRequest;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import dev.authfn.local.testing.TestTables;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.bidi.network.ResponseDetails;
import org.openqa.selenium.logging.LogEntry;

/**
 * The OAuth provider's hosted login page (docs/API.md §18.3) in a real browser (Debian's Chromium
 * through Debian's ChromeDriver, see {@link Browser}): a public client sends the browser to
 * {@code /oauth2/authorize}; without a session the page shows; the user types a username and
 * password (and, with an authenticator app, the code on the second step); the browser ends at the
 * client's redirect URI, a small HTTP listener of this test on 127.0.0.1, with {@code code},
 * {@code state} and {@code iss}; the test, as the client, exchanges the code with its PKCE
 * verifier for an ID token whose {@code nonce} and {@code amr} are the request's and the login's.
 * On the way the page's own behaviour shows: its inline script ran and its style applied under
 * the hash-only policy (the title, the focus on the username, the passkey button, the layout); a
 * wrong password shows the login's problem detail and clears the field; the second step takes the
 * place of the password form and refuses a wrong code with its own detail; and a request with
 * {@code prompt=login} goes back to the authorization request without it, which then redirects.
 * Chromium's own console log (not a listener added after load) must show no
 * Content-Security-Policy violation on the API's pages (their script and style are allowed by
 * hash only) and no script error.
 *
 * <p>The local API is {@code template.yaml} as {@code ./authfn start-api} serves it, on tables of
 * its own at the run's DynamoDB API; the client and users are registered with the admin CLI's
 * commands. Runs only under {@code -Pbrowser} (tag {@code browser}). The API's log, ChromeDriver's
 * log and screenshots of the login page go to {@code <build dir>/browser/}.
 */
@Tag("browser")
@ExtendWith(DynamoDbEndpointExtension.class)
class OAuthLoginBrowserIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path OUTPUT = Path.of(System.getProperty("authfn.browser.output", "target/browser"));
    private static final Path CHROMIUM = Path.of(System.getProperty("authfn.chromium", Browser.CHROMIUM));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("authfn.chromedriver", Browser.CHROMEDRIVER));
    private static final Path TEMPLATE = Path.of("..", "template.yaml");
    private static final String CLIENT = "browser-spa";
    private static final String SCOPE = "openid profile email offline_access";
    private static final String PASSWORD = "quartz lantern orchard 4417";
    private static final String SESSION_COOKIE = "__Host-session";
    /** The page's fields, by the autocomplete tokens a login form carries (names and ids as fallbacks). */
    private static final By USERNAME_FIELD = By.cssSelector(
            "input[autocomplete~='username'], input[name='username'], input#username");
    private static final By PASSWORD_FIELD = By.cssSelector("input[type='password']");
    private static final By CODE_FIELD = By.cssSelector(
            "input[autocomplete='one-time-code'], input[name='code'], input#code, input#mfa-code");

    private static final BlockingQueue<URI> CALLBACKS = new LinkedBlockingQueue<>();
    private static Browser browser;
    private static TestTables tables;
    private static PrintStream log;
    private static LocalApi api;
    private static HttpServer client;
    private static String redirectUri;
    private static Http http;
    private static AuthenticatorApp ottosApp;

    @BeforeAll
    static void start(DynamoDbTestEndpoint dynamodb) throws Exception {
        browser = Browser.launch(CHROMIUM, CHROMEDRIVER, OUTPUT.resolve("chromedriver-oauth.log"), TIMEOUT);
        Files.createDirectories(OUTPUT);
        log = new PrintStream(new FileOutputStream(OUTPUT.resolve("api-oauth.log").toFile()), true, StandardCharsets.UTF_8);
        tables = TestTables.of(OAuthLoginBrowserIT.class, dynamodb);
        api = LocalApi.start(TEMPLATE, Optional.of(TEMPLATE), 0, LocalStore.DYNAMODB, Optional.of(tables.apiEndpoint()),
                Optional.empty(), Map.of(), true, tables.names(), log, Optional.empty());
        http = new Http(api.baseUri());
        client = callbackListener();
        redirectUri = "http://127.0.0.1:" + client.getAddress().getPort() + "/callback";
        AdminCli admin = new AdminCli(api);
        admin.addPublicClient(CLIENT, redirectUri, SCOPE);
        admin.addUser("pia", PASSWORD, "--role", "user");
        admin.addUser("otto", PASSWORD, "--role", "user");
        ottosApp = enrolTotp("otto");
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (client != null) {
                client.stop(0);
            }
            if (api != null) {
                api.close();
            }
            if (tables != null) {
                tables.close();
            }
            if (log != null) {
                log.close();
            }
        }
    }

    @BeforeEach
    void signedOut() {
        // Cookies are per host, not per port: on the callback listener's page (127.0.0.1) this
        // deletes the API's __Host-session too.
        browser.driver().get(redirectUri + "?signed-out");
        browser.driver().manage().deleteAllCookies();
        CALLBACKS.clear();
        browser.browserLog();
    }

    @Test
    void signsInOnTheHostedPageAfterAWrongPasswordAndLandsAtTheRedirectUriWithACodeThatExchangesForAnIdToken()
            throws Exception {
        // given a client's authorization request that asks for a fresh login, and no session
        AuthorizationRequest request = AuthorizationRequest.create(CLIENT, redirectUri, SCOPE);
        URI authorize = URI.create(request.url(api.baseUri()) + "&prompt=login");

        // when the browser follows it: the login page, as the contract has it
        browser.driver().get(authorize.toString());
        WebElement password = visible("the login page's password field", PASSWORD_FIELD);
        assertLoginPageResponse(authorize);
        // and its script ran (it focuses the username, and shows the passkey button where WebAuthn
        // reads JSON) and its style applied: the policy blocked neither
        assertThat(browser.text("document.title")).isEqualTo("Sign in");
        assertThat(browser.text("document.activeElement.id")).isEqualTo("username");
        assertThat(browser.evaluate("document.getElementById('passkey').hidden")).isEqualTo(false);
        assertThat(browser.text("getComputedStyle(document.querySelector('main')).maxWidth")).isEqualTo("352px");
        screenshot("oauth-login-page.png");

        // when pia mistypes her password
        visible("the login page's username field", USERNAME_FIELD).sendKeys("pia");
        password.sendKeys("not her password", Keys.ENTER);

        // then the page shows the login's problem detail, clears the password and stays
        browser.await("the refusal on the page", OAuthLoginBrowserIT::message,
                text -> text.equals("The username or password is wrong."));
        assertThat(browser.text("document.getElementById('password').value")).isEmpty();
        assertThat(browser.driver().getCurrentUrl()).startsWith(api.baseUri() + "/oauth2/authorize?");
        assertThat(CALLBACKS).as("no redirect after a wrong password").isEmpty();
        screenshot("oauth-login-refused.png");

        // when she types it right
        password.sendKeys(PASSWORD, Keys.ENTER);

        // then the browser ends at the redirect URI with code, state and iss, signed in
        Map<String, String> callback = callback(request);
        assertThat(browser.driver().manage().getCookieNamed(SESSION_COOKIE)).as("the session cookie").isNotNull();
        // by way of the authorization request as sent but for prompt=login, which now redirected
        String resumed = request.url(api.baseUri()).toString();
        assertThat(browser.responses()).filteredOn(response -> resumed.equals(response.getResponseData().getUrl()))
                .as("the responses to the authorization request without prompt=login")
                .extracting(response -> response.getResponseData().getStatus()).containsExactly(302);
        // and the code, with the verifier only the client has, is an ID token for pia's password login
        JWTClaimsSet idToken = exchange(request, callback.get("code"));
        assertThat(idToken.getStringClaim("preferred_username")).isEqualTo("pia");
        assertThat(idToken.getStringListClaim("amr")).containsExactly("pwd");
        assertNoCspViolationsOrScriptErrors();
    }

    @Test
    void aUserWithAnAuthenticatorAppTypesTheCodeOnTheSecondStep() throws Exception {
        // given a client's authorization request, and no session
        AuthorizationRequest request = AuthorizationRequest.create(CLIENT, redirectUri, SCOPE);
        browser.driver().get(request.url(api.baseUri()).toString());

        // when otto, who has an authenticator app, signs in with his password
        WebElement password = visible("the login page's password field", PASSWORD_FIELD);
        visible("the login page's username field", USERNAME_FIELD).sendKeys("otto");
        password.sendKeys(PASSWORD, Keys.ENTER);

        // then the page asks for the code in place of the password, and there is no session or redirect yet
        WebElement code = visible("the login page's code field", CODE_FIELD);
        assertThat(browser.evaluate("document.getElementById('password-form').hidden")).isEqualTo(true);
        assertThat(browser.text("document.activeElement.id")).isEqualTo("code");
        assertThat(browser.driver().manage().getCookieNamed(SESSION_COOKIE)).as("a session before the second factor")
                .isNull();
        assertThat(CALLBACKS).as("no redirect before the second factor").isEmpty();
        screenshot("oauth-login-code.png");

        // when he types a wrong code and presses the button (which the page disables while it checks)
        code.sendKeys(ottosApp.wrongCode());
        browser.driver().findElement(By.cssSelector("#code-form button")).click();

        // then the page shows the second step's problem detail, clears the field, focused again for
        // the next try, and stays
        browser.await("the refusal on the page", OAuthLoginBrowserIT::message, text -> text.equals(
                "The code is wrong or used, or the login attempt expired; try the next code, or log in again."));
        assertThat(browser.text("document.getElementById('code').value")).isEmpty();
        assertThat(browser.text("document.activeElement.id")).isEqualTo("code");
        assertThat(browser.driver().getCurrentUrl()).startsWith(api.baseUri() + "/oauth2/authorize?");
        assertThat(CALLBACKS).as("no redirect after a wrong code").isEmpty();

        // when he types the right one, the browser goes on to the client
        code.sendKeys(ottosApp.nextCode(), Keys.ENTER);
        Map<String, String> callback = callback(request);
        JWTClaimsSet idToken = exchange(request, callback.get("code"));
        assertThat(idToken.getStringClaim("preferred_username")).isEqualTo("otto");
        assertThat(idToken.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
        assertNoCspViolationsOrScriptErrors();
    }

    /** The first element {@code selector} finds, once it is displayed. */
    private static WebElement visible(String what, By selector) {
        return browser.await(what, () -> browser.driver().findElements(selector).stream()
                .filter(WebElement::isDisplayed).findFirst().orElse(null), Objects::nonNull);
    }

    /** What the page says in its status line. */
    private static String message() {
        return browser.text("document.getElementById('message').textContent");
    }

    /** The authorization endpoint answered the page: 200 text/html, its CSP and frame headers (§18.3). */
    private static void assertLoginPageResponse(URI authorize) {
        ResponseDetails page = browser.await("the response to the authorization request", () -> browser.responses()
                .stream().filter(response -> authorize.toString().equals(response.getResponseData().getUrl()))
                .findFirst().orElse(null), Objects::nonNull);
        assertThat(page.getResponseData().getStatus()).isEqualTo(200);
        assertThat(header(page, "Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(header(page, "Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "form-action 'none'", "frame-ancestors 'none'", "base-uri 'none'",
                        "connect-src 'self'")
                .doesNotContain("unsafe-inline", "unsafe-eval"));
        assertThat(header(page, "X-Frame-Options")).hasValue("DENY");
        assertThat(header(page, "Cache-Control")).hasValue("no-store");
        assertThat(header(page, "Referrer-Policy")).hasValue("no-referrer");
    }

    private static Optional<String> header(ResponseDetails response, String name) {
        return response.getResponseData().getHeaders().stream().filter(header -> header.getName().equalsIgnoreCase(name))
                .map(header -> header.getValue().getValue()).findFirst();
    }

    /** The redirect the listener received for {@code request}: the browser is there, with code, state and iss. */
    private static Map<String, String> callback(AuthorizationRequest request) throws InterruptedException {
        URI received = CALLBACKS.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(received).as("the browser reached the redirect URI within %s (it is at %s)", TIMEOUT,
                browser.driver().getCurrentUrl()).isNotNull();
        browser.await("the browser at the redirect URI", () -> browser.driver().getCurrentUrl(),
                url -> url.startsWith(redirectUri + "?"));
        Map<String, String> parameters = AuthorizationRequest.query(received);
        assertThat(parameters.keySet()).containsExactly("code", "state", "iss");
        assertThat(parameters.get("code")).matches("[A-Za-z0-9_-]{43}");
        assertThat(parameters).containsEntry("state", request.state()).containsEntry("iss", api.baseUri().toString());
        return parameters;
    }

    /** Exchanges the code as the client; the ID token's claims, its nonce the request's. */
    private static JWTClaimsSet exchange(AuthorizationRequest request, String code) throws Exception {
        Http.Response tokens = request.exchange(http, code);
        assertThat(tokens.status()).as("the code exchange: %s", tokens.status()).isEqualTo(200);
        assertThat(tokens.json()).containsKeys("access_token", "id_token", "refresh_token")
                .containsEntry("token_type", "Bearer");
        JWTClaimsSet claims = SignedJWT.parse((String) tokens.json().get("id_token")).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(api.baseUri().toString());
        assertThat(claims.getAudience()).containsExactly(CLIENT);
        assertThat(claims.getStringClaim("nonce")).isEqualTo(request.nonce());
        return claims;
    }

    /**
     * No Content-Security-Policy violation on the API's pages and no script error. The client's
     * callback page breaks its own policy on purpose (an inline style under {@code default-src
     * 'none'}): its violation must be in the log, which shows the log is read and would show one.
     */
    private static void assertNoCspViolationsOrScriptErrors() {
        List<String> violations = browser.browserLog().stream().filter(Browser::isCspViolation)
                .map(LogEntry::getMessage).toList();
        assertThat(violations).as("the callback page's own violation, logged by Chromium")
                .anyMatch(message -> message.startsWith(redirectUri + "?")
                        && !message.startsWith(redirectUri + "?signed-out"));
        assertThat(violations).filteredOn(message -> message.startsWith(api.baseUri() + "/"))
                .as("Content-Security-Policy violations on the API's pages").isEmpty();
        assertThat(browser.scriptErrors()).extracting(error -> error.getText()).as("uncaught script errors").isEmpty();
    }

    /** Enrols a TOTP factor for {@code username} through the API, the test being the authenticator app. */
    private static AuthenticatorApp enrolTotp(String username) {
        Login login = Login.json(http, username, PASSWORD, "oauth-browser-it");
        Http.Response begun = login.withCookieAndCsrf(http.post("/auth/mfa/totp")).send();
        assertThat(begun.status()).as("POST /auth/mfa/totp: %s", begun.status()).isEqualTo(200);
        AuthenticatorApp app = new AuthenticatorApp((String) begun.json().get("secret"));
        Http.Response confirmed = login.withCookieAndCsrf(http.post("/auth/mfa/totp/confirm"))
                .json(Map.of("code", app.nextCode())).send();
        assertThat(confirmed.status()).as("POST /auth/mfa/totp/confirm: %s", confirmed.status()).isEqualTo(200);
        assertThat(login.withCookieAndCsrf(http.post("/auth/logout")).send().status()).isEqualTo(204);
        return app;
    }

    /**
     * The client's redirect URI: records each request to {@code /callback} and answers a small
     * page, so that the browser's journey visibly ends at the client.
     */
    private static HttpServer callbackListener() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/callback", exchange -> {
            URI uri = exchange.getRequestURI();
            if (uri.getRawQuery() != null && !uri.getRawQuery().equals("signed-out")) {
                CALLBACKS.add(uri);
            }
            // The inline style breaks the page's own policy: the violation shows that Chromium's log is read.
            byte[] page = "<!doctype html><title>client</title><style>p { margin: 0 }</style><p>back at the client</p>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().add("Content-Security-Policy", "default-src 'none'");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
        });
        server.start();
        return server;
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(OUTPUT);
        Files.write(OUTPUT.resolve(name), browser.driver().getScreenshotAs(OutputType.BYTES));
    }
}
