package dev.authfn.local.security;

import static dev.authfn.local.security.SecurityApi.CSRF_COOKIE;
import static dev.authfn.local.security.SecurityApi.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;

/**
 * SECURITY.md "Attacks and bad inputs", CSRF, over real HTTP. Unsafe requests are {@code POST
 * /posts} (a resource write) and {@code POST /auth/logout} (a session write whose absence shows in
 * the table); each refusal is checked against a control request that passes.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class CsrfAttacksIT {

    private static SecurityApi sut;
    private static Http http;

    @BeforeAll
    static void start(DynamoDbTestEndpoint dynamodb) throws Exception {
        sut = SecurityApi.start(CsrfAttacksIT.class, dynamodb);
        http = sut.http();
        sut.addUser("alice", Set.of("user"), Set.of("posts:create"));
        sut.addUser("mallory", Set.of("user"), Set.of("posts:create"));
    }

    @AfterAll
    static void stop() {
        if (sut != null) {
            sut.close();
        }
    }

    @Test
    void cookieAuthenticatedPostWithoutTheCsrfHeaderIs403() {
        Login login = sut.login("alice");

        Expect.deniedByTheAuthorizer(http.post("/posts").cookie(SESSION_COOKIE, login.sessionCookie())
                .cookie(CSRF_COOKIE, login.csrfCookie()).send());
        Expect.deniedByTheAuthorizer(http.post("/auth/logout").cookie(SESSION_COOKIE, login.sessionCookie())
                .cookie(CSRF_COOKIE, login.csrfCookie()).send());
        Expect.deniedByTheAuthorizer(http.post("/auth/logout").cookie(SESSION_COOKIE, login.sessionCookie())
                .cookie(CSRF_COOKIE, login.csrfCookie()).csrf("").send());

        assertThat(sut.sessionItem(login.sessionId())).as("logout did not happen").isPresent();
        assertThat(login.withCookieAndCsrf(http.post("/posts")).send().status()).as("control").isEqualTo(201);
        assertThat(sut.logLines()).anyMatch(line -> line.contains("\"reason\":\"CSRF/MISSING\""));
    }

    @Test
    void csrfTokenOfAnotherSessionIs403() {
        Login victim = sut.login("alice");
        Login attacker = sut.login("mallory");

        // The attacker's own token, sent as header and cookie (a planted cookie, matching the header).
        Expect.deniedByTheAuthorizer(http.post("/auth/logout").cookie(SESSION_COOKIE, victim.sessionCookie())
                .cookie(CSRF_COOKIE, attacker.csrfCookie()).csrf(attacker.csrfToken()).send());
        // The attacker's token as header only.
        Expect.deniedByTheAuthorizer(http.post("/posts").cookie(SESSION_COOKIE, victim.sessionCookie())
                .csrf(attacker.csrfToken()).send());
        // The victim's own earlier session's token (same user, other session).
        Login victimElsewhere = sut.login("alice");
        Expect.deniedByTheAuthorizer(http.post("/posts").cookie(SESSION_COOKIE, victim.sessionCookie())
                .csrf(victimElsewhere.csrfToken()).send());

        assertThat(sut.sessionItem(victim.sessionId())).isPresent();
        assertThat(sut.logLines()).anyMatch(line -> line.contains("\"reason\":\"CSRF/BAD_SIGNATURE\""));
    }

    @Test
    void secFetchSiteCrossSiteOnAnUnsafeMethodIs403EvenWithAValidToken() {
        Login login = sut.login("alice");

        Expect.deniedByTheAuthorizer(login.withCookieAndCsrf(http.post("/auth/logout"))
                .header("Sec-Fetch-Site", "cross-site").send());
        Expect.deniedByTheAuthorizer(login.withCookieAndCsrf(http.post("/posts"))
                .header("Sec-Fetch-Site", "Cross-Site").send());

        assertThat(sut.sessionItem(login.sessionId())).isPresent();
        assertThat(login.withCookieAndCsrf(http.post("/posts")).header("Sec-Fetch-Site", "same-origin").send().status())
                .as("control").isEqualTo(201);
        assertThat(login.withCookie(http.get("/protected")).header("Sec-Fetch-Site", "cross-site").send().status())
                .as("a safe method is not refused for being cross-site").isEqualTo(200);
    }

    @Test
    void foreignOriginOnAnUnsafeMethodIs403EvenWithAValidToken() {
        Login login = sut.login("alice");

        Expect.deniedByTheAuthorizer(login.withCookieAndCsrf(http.post("/auth/logout"))
                .header("Origin", "https://evil.example").send());
        Expect.deniedByTheAuthorizer(login.withCookieAndCsrf(http.post("/posts"))
                .header("Origin", "null").send());
        Expect.deniedByTheAuthorizer(login.withCookieAndCsrf(http.post("/posts"))
                .header("Origin", http.base() + ".evil.example").send());

        assertThat(sut.sessionItem(login.sessionId())).isPresent();
        assertThat(login.withCookieAndCsrf(http.post("/posts")).header("Origin", http.base().toString()).send().status())
                .as("control: the API's own origin").isEqualTo(201);
        assertThat(sut.logLines()).anyMatch(line -> line.contains("\"reason\":\"FOREIGN_ORIGIN\""));
    }

    @Test
    void bearerAuthenticatedPostWithoutACsrfTokenIsAllowed() {
        Login login = sut.login("alice");

        Http.Response response = login.withBearer(http.post("/posts")).send();

        assertThat(response.status()).as("%s", response).isEqualTo(201);
        assertThat(response.json()).containsEntry("author", "alice");
    }

    @Test
    void stateNeverChangesOnGet() {
        Login login = sut.login("alice");

        Http.Response getLogout = login.withCookie(http.get("/auth/logout")).send();
        Http.Response getLogoutAll = login.withCookie(http.get("/auth/logout-all")).send();
        Http.Response getPosts = login.withCookie(http.get("/posts")).send();

        for (Http.Response response : new Http.Response[] {getLogout, getLogoutAll, getPosts}) {
            assertThat(response.status()).as("%s", response).isEqualTo(404);
            assertThat(response.json()).isEqualTo(Map.of("message", "Not Found"));
        }
        assertThat(sut.sessionItem(login.sessionId())).isPresent();
        assertThat(login.withCookie(http.get("/protected")).send().status()).isEqualTo(200);
    }
}
