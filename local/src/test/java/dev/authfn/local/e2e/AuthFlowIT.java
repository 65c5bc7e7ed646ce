package dev.authfn.local.e2e;

import static dev.authfn.local.testing.Login.CSRF_COOKIE;
import static dev.authfn.local.testing.Login.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;

/**
 * docs/API.md §2–§5 end to end: the repository's template served by {@link dev.authfn.local.LocalApi} on a
 * free port, the real handlers, a moto server of its own, real HTTP. Each test logs in its own
 * sessions; tests that end every session of a user, or count failed logins, have a user to
 * themselves.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class AuthFlowIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final Duration ABSOLUTE_TIMEOUT = Duration.ofHours(8);
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(5);
    private static final List<String> SESSION_COOKIE_ATTRIBUTES =
            List.of("Max-Age=" + ABSOLUTE_TIMEOUT.toSeconds(), "Path=/", "Secure", "HttpOnly", "SameSite=Lax");
    private static final List<String> CSRF_COOKIE_ATTRIBUTES =
            List.of("Max-Age=" + ABSOLUTE_TIMEOUT.toSeconds(), "Path=/", "Secure", "SameSite=Strict");
    private static final Map<String, Object> FORBIDDEN = Map.of("message", "Forbidden");
    private static final Path STATE_FILE = E2eApi.TEMPLATE.toAbsolutePath().getParent().resolve(".authfn/local-api.json");

    private static Optional<String> stateFileBefore;
    private static E2eApi e2e;
    private static Http http;
    private static String aliceId;

    @BeforeAll
    static void startTheApi(DynamoDbTestEndpoint dynamodb) throws Exception {
        stateFileBefore = readStateFile();
        e2e = E2eApi.start(AuthFlowIT.class, dynamodb);
        http = new Http(e2e.api().baseUri());
        aliceId = e2e.addUser("alice", PASSWORD, Set.of("user"), Set.of("posts:create"));
        e2e.addUser("root", PASSWORD, Set.of("admin"), Set.of());
        e2e.addUser("bob", PASSWORD, Set.of("user"), Set.of());
        e2e.addUser("dave", PASSWORD, Set.of("user"), Set.of());
        e2e.addUser("erin", PASSWORD, Set.of("user"), Set.of());
        e2e.addUser("mallory", PASSWORD, Set.of("user"), Set.of());
    }

    @AfterAll
    static void stopTheApi() {
        if (e2e != null) {
            e2e.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonLoginSetsBothCookiesAndAnswersTheTokens() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS); // the functions' clock ticks in milliseconds

        Http.Response response = http.post("/auth/login")
                .json(Map.of("username", "alice", "password", PASSWORD))
                .send();

        Instant after = Instant.now();
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValue("application/json");
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        assertThat(response.header("X-Content-Type-Options")).hasValue("nosniff");
        Map<String, Object> body = response.json();
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "csrf_token", "session");
        assertThat(body).containsEntry("token_type", "Bearer")
                .containsEntry("expires_in", ACCESS_TOKEN_LIFETIME.toSeconds());
        Map<String, Object> session = (Map<String, Object>) body.get("session");
        assertThat(session).containsOnlyKeys("id", "expires_at", "idle_expires_at");
        String sessionId = (String) session.get("id");
        assertThat(sessionId).matches("[A-Za-z0-9_-]{22,}");
        assertThat(Instant.parse((String) session.get("expires_at")))
                .isBetween(before.plus(ABSOLUTE_TIMEOUT), after.plus(ABSOLUTE_TIMEOUT));
        assertThat(Instant.parse((String) session.get("idle_expires_at")))
                .isBetween(before.plus(IDLE_TIMEOUT), after.plus(IDLE_TIMEOUT));

        List<Http.SetCookie> cookies = response.setCookies();
        assertThat(cookies).extracting(Http.SetCookie::name).containsExactly(SESSION_COOKIE, CSRF_COOKIE);
        Http.SetCookie sessionCookie = cookies.get(0);
        assertThat(sessionCookie.value()).matches("[A-Za-z0-9._-]{64,}");
        assertThat(sessionCookie.attributes()).containsExactlyElementsOf(SESSION_COOKIE_ATTRIBUTES);
        Http.SetCookie csrfCookie = cookies.get(1);
        assertThat(csrfCookie.value()).isEqualTo(body.get("csrf_token"));
        assertThat(csrfCookie.attributes()).containsExactlyElementsOf(CSRF_COOKIE_ATTRIBUTES);

        SignedJWT token = SignedJWT.parse((String) body.get("access_token"));
        assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(token.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(token.getHeader().getKeyID()).isNotBlank();
        JWTClaimsSet claims = token.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(http.base().toString());
        assertThat(claims.getAudience()).containsExactly("authfn-api");
        assertThat(claims.getSubject()).isEqualTo(aliceId);
        assertThat(claims.getStringClaim("sid")).isEqualTo(sessionId);
        assertThat(claims.getStringListClaim("roles")).containsExactly("user");
        assertThat(claims.getStringClaim("scope")).isEqualTo("posts:create");
        assertThat(claims.getStringClaim("client_id")).isNotBlank();
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(ACCESS_TOKEN_LIFETIME);
        assertThat(claims.getIssueTime().toInstant()).isCloseTo(after, within(5, ChronoUnit.SECONDS));
        assertThat(claims.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(claims.getDateClaim("auth_time").toInstant()).as("the login, a moment before the token")
                .isBetween(claims.getIssueTime().toInstant().minusSeconds(1), claims.getIssueTime().toInstant());
        assertThat(claims.getStringClaim("acr")).isEqualTo("urn:authfn:acr:sfa");
    }

    @Test
    void basicLoginAnswersLikeJsonLogin() {
        Http.Response response = http.post("/auth/login").basic("alice", PASSWORD).send();

        Login login = Login.from(response);
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        assertThat(response.json()).containsEntry("token_type", "Bearer");
        assertThat(response.setCookie(SESSION_COOKIE).attributes()).containsExactlyElementsOf(SESSION_COOKIE_ATTRIBUTES);
        assertThat(response.setCookie(CSRF_COOKIE).attributes()).containsExactlyElementsOf(CSRF_COOKIE_ATTRIBUTES);
        assertThat(login.csrfCookie()).isEqualTo(login.csrfToken());
        assertThat(Login.json(http, "alice", PASSWORD, "e2e").sessionId())
                .as("every login starts a new session").isNotEqualTo(login.sessionId());
    }

    @Test
    void loginRefusesCrossSiteMalformedAndOversizedRequestsWithProblems() {
        Map<String, String> credentials = Map.of("username", "alice", "password", PASSWORD);
        Http.Response crossSite = http.post("/auth/login").header("Sec-Fetch-Site", "cross-site").json(credentials).send();
        Http.Response foreignOrigin = http.post("/auth/login").header("Origin", "https://evil.example").json(credentials).send();
        Http.Response notJson = http.post("/auth/login").header("Content-Type", "text/plain")
                .body("username=alice&password=x").send();
        Http.Response brokenJson = http.post("/auth/login").header("Content-Type", "application/json")
                .body("{\"username\":").send();
        Http.Response oneMegabyte = http.post("/auth/login").header("Content-Type", "application/json")
                .body("{\"username\":\"alice\",\"password\":\"" + "x".repeat(1024 * 1024) + "\"}").send();

        assertProblem(crossSite, 403, "cross-site-request");
        assertProblem(foreignOrigin, 403, "cross-site-request");
        assertProblem(notJson, 415, "unsupported-media-type");
        assertProblem(brokenJson, 400, "malformed-request");
        assertProblem(oneMegabyte, 413, "payload-too-large");
    }

    @Test
    void requestsWithTwoSessionCookiesAreForbidden() {
        Login login = Login.json(http, "alice", PASSWORD, "e2e");
        Login other = Login.json(http, "alice", PASSWORD, "e2e");

        Http.Response response = http.get("/protected")
                .cookie(SESSION_COOKIE, login.sessionCookie()).cookie(SESSION_COOKIE, other.sessionCookie()).send();

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json()).isEqualTo(FORBIDDEN);
    }

    @Test
    void protectedAnswersTheCookieAndTheBearerTokenWithTheSamePrincipal() {
        Login login = Login.json(http, "alice", PASSWORD, "e2e");

        Http.Response withCookie = login.withCookie(http.get("/protected")).send();
        Http.Response withBearer = login.withBearer(http.get("/protected")).send();

        for (Http.Response response : List.of(withCookie, withBearer)) {
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            assertThat(response.header("Content-Type")).hasValue("application/json");
            assertThat(response.header("Cache-Control")).hasValue("no-store");
            assertThat(response.json()).containsOnlyKeys(
                    "message", "sub", "username", "roles", "permissions", "session_id", "auth_type", "amr", "auth_time",
                    "acr")
                    .containsEntry("message", "You are authenticated.")
                    .containsEntry("sub", aliceId)
                    .containsEntry("username", "alice")
                    .containsEntry("roles", List.of("user"))
                    .containsEntry("permissions", List.of("posts:create"))
                    .containsEntry("session_id", login.sessionId())
                    .containsEntry("amr", List.of("pwd"))
                    .containsEntry("acr", "urn:authfn:acr:sfa");
        }
        // The token's auth_time is the login's in whole seconds; the session's keeps the milliseconds.
        assertThat(Instant.parse((String) withBearer.json().get("auth_time")))
                .isEqualTo(Instant.parse((String) withCookie.json().get("auth_time")).truncatedTo(ChronoUnit.SECONDS));
        assertThat(withCookie.json()).containsEntry("auth_type", "cookie");
        assertThat(withBearer.json()).containsEntry("auth_type", "bearer");
    }

    @Test
    void requestsWithoutCredentialsAreForbidden() {
        Http.Response response = http.get("/protected").send();

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Content-Type")).hasValue("application/json");
        assertThat(response.json()).isEqualTo(FORBIDDEN);
    }

    @Test
    void adminRouteNeedsTheAdminRole() {
        Login user = Login.json(http, "alice", PASSWORD, "e2e");
        Login admin = Login.json(http, "root", PASSWORD, "e2e");

        Http.Response userWithBearer = user.withBearer(http.get("/admin")).send();
        Http.Response userWithCookie = user.withCookie(http.get("/admin")).send();
        Http.Response adminWithBearer = admin.withBearer(http.get("/admin")).send();

        assertThat(userWithBearer.status()).isEqualTo(403);
        assertThat(userWithBearer.json()).isEqualTo(FORBIDDEN);
        assertThat(userWithCookie.status()).isEqualTo(403);
        assertThat(userWithCookie.json()).isEqualTo(FORBIDDEN);
        assertThat(adminWithBearer.status()).as("%s", adminWithBearer).isEqualTo(200);
        assertThat(adminWithBearer.json())
                .containsEntry("message", "You are an administrator.")
                .containsEntry("username", "root")
                .containsEntry("roles", List.of("admin"))
                .containsEntry("auth_type", "bearer");
    }

    @Test
    void cookiePostNeedsTheCsrfTokenAndBearerPostDoesNot() {
        Login login = Login.json(http, "alice", PASSWORD, "e2e");

        Http.Response cookieWithoutCsrf = login.withCookie(http.post("/posts")).send();
        Http.Response cookieWithCsrf = login.withCookieAndCsrf(http.post("/posts")).send();
        Http.Response bearerWithoutCsrf = login.withBearer(http.post("/posts")).send();

        assertThat(cookieWithoutCsrf.status()).isEqualTo(403);
        assertThat(cookieWithoutCsrf.json()).isEqualTo(FORBIDDEN);
        for (Http.Response created : List.of(cookieWithCsrf, bearerWithoutCsrf)) {
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            assertThat(created.header("Cache-Control")).hasValue("no-store");
            assertThat(created.json()).containsOnlyKeys("id", "author", "message")
                    .containsEntry("author", "alice")
                    .containsEntry("message", "Post created.");
        }
        assertThat(cookieWithCsrf.json().get("id")).isNotEqualTo(bearerWithoutCsrf.json().get("id"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void refreshIssuesANewAccessTokenAndCsrfTokenForTheSameSession() throws Exception {
        Login login = Login.json(http, "alice", PASSWORD, "e2e");

        Http.Response response = login.withCookieAndCsrf(http.post("/auth/refresh")).send();

        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValue("application/json");
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        Map<String, Object> body = response.json();
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "csrf_token", "session")
                .containsEntry("token_type", "Bearer")
                .containsEntry("expires_in", ACCESS_TOKEN_LIFETIME.toSeconds());
        assertThat((Map<String, Object>) body.get("session")).containsEntry("id", login.sessionId());
        String accessToken = (String) body.get("access_token");
        assertThat(accessToken).isNotEqualTo(login.accessToken());
        JWTClaimsSet claims = SignedJWT.parse(accessToken).getJWTClaimsSet();
        assertThat(claims.getStringClaim("sid")).isEqualTo(login.sessionId());
        assertThat(claims.getJWTID()).isNotEqualTo(SignedJWT.parse(login.accessToken()).getJWTClaimsSet().getJWTID());
        assertThat(response.setCookies()).extracting(Http.SetCookie::name).containsExactly(CSRF_COOKIE);
        assertThat(response.setCookie(CSRF_COOKIE).value()).isEqualTo(body.get("csrf_token"));
        // The CSRF cookie lives as long as the session has left: the seconds since login are gone.
        List<String> attributes = response.setCookie(CSRF_COOKIE).attributes();
        assertThat(attributes).hasSize(CSRF_COOKIE_ATTRIBUTES.size());
        assertThat(Long.parseLong(attributes.get(0).substring("Max-Age=".length())))
                .isBetween(ABSOLUTE_TIMEOUT.toSeconds() - 60, ABSOLUTE_TIMEOUT.toSeconds());
        assertThat(attributes.subList(1, attributes.size())).containsExactlyElementsOf(
                CSRF_COOKIE_ATTRIBUTES.subList(1, CSRF_COOKIE_ATTRIBUTES.size()));

        Http.Response withNewToken = http.get("/protected").bearer(accessToken).send();
        assertThat(withNewToken.status()).isEqualTo(200);
        assertThat(withNewToken.json()).containsEntry("session_id", login.sessionId());
        String newCsrf = (String) body.get("csrf_token");
        Http.Response postWithNewCsrf = login.withCookie(http.post("/posts"))
                .cookie(CSRF_COOKIE, newCsrf).csrf(newCsrf).send();
        assertThat(postWithNewCsrf.status()).as("%s", postWithNewCsrf).isEqualTo(201);
    }

    @Test
    void refreshRefusesABearerToken() {
        Login login = Login.json(http, "alice", PASSWORD, "e2e");

        Http.Response response = login.withBearer(http.post("/auth/refresh")).send();

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Content-Type")).hasValue("application/problem+json");
        assertThat(response.json()).isEqualTo(Map.of(
                "type", "urn:authfn:problem:forbidden", "title", "Forbidden", "status", 403L,
                "detail", "Refresh needs the session cookie, not a bearer token."));
    }

    @Test
    @SuppressWarnings("unchecked")
    void sessionsListsTheUsersLiveSessionsAndMarksTheCurrentOne() {
        Login deviceA = Login.json(http, "erin", PASSWORD, "e2e-device-a");
        Login deviceB = Login.json(http, "erin", PASSWORD, "e2e-device-b");

        Http.Response fromA = deviceA.withCookie(http.get("/auth/sessions")).send();
        Http.Response fromB = deviceB.withBearer(http.get("/auth/sessions")).send();

        assertThat(fromA.status()).as("%s", fromA).isEqualTo(200);
        assertThat(fromA.header("Content-Type")).hasValue("application/json");
        assertThat(fromA.header("Cache-Control")).hasValue("no-store");
        assertThat(fromA.json()).containsOnlyKeys("sessions");
        List<Map<String, Object>> seenFromA = (List<Map<String, Object>>) fromA.json().get("sessions");
        assertThat(seenFromA).extracting(s -> s.get("id")).as("oldest first")
                .containsExactly(deviceA.sessionId(), deviceB.sessionId());
        Map<String, Object> a = seenFromA.get(0);
        Map<String, Object> b = seenFromA.get(1);
        for (Map<String, Object> session : seenFromA) {
            assertThat(session).containsOnlyKeys(
                    "id", "created_at", "amr", "auth_time", "last_seen_at", "expires_at", "user_agent", "source_ip",
                    "current");
            assertThat(session).containsEntry("amr", List.of("pwd")).containsEntry("auth_time", session.get("created_at"));
            assertThat(session).containsEntry("source_ip", "127.0.0.1");
            assertThat(Instant.parse((String) session.get("expires_at")))
                    .isAfter(Instant.parse((String) session.get("created_at")));
        }
        assertThat(a).containsEntry("id", deviceA.sessionId()).containsEntry("user_agent", "e2e-device-a")
                .containsEntry("current", true);
        assertThat(b).containsEntry("id", deviceB.sessionId()).containsEntry("user_agent", "e2e-device-b")
                .containsEntry("current", false);

        assertThat(fromB.status()).isEqualTo(200);
        List<Map<String, Object>> seenFromB = (List<Map<String, Object>>) fromB.json().get("sessions");
        assertThat(seenFromB).extracting(s -> s.get("id"), s -> s.get("current")).containsExactly(
                tuple(deviceA.sessionId(), false),
                tuple(deviceB.sessionId(), true));
    }

    @Test
    void logoutRevokesTheSessionAndClearsBothCookies() {
        Login login = Login.json(http, "alice", PASSWORD, "e2e");
        Http.Response withoutCsrf = login.withCookie(http.post("/auth/logout")).send();
        assertThat(withoutCsrf.status()).as("a cookie logout needs the CSRF token").isEqualTo(403);

        Http.Response response = login.withCookieAndCsrf(http.post("/auth/logout")).send();

        assertThat(response.status()).as("%s", response).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        assertThat(response.setCookies()).containsExactly(
                new Http.SetCookie(SESSION_COOKIE, "", List.of("Max-Age=0", "Path=/", "Secure", "HttpOnly", "SameSite=Lax")),
                new Http.SetCookie(CSRF_COOKIE, "", List.of("Max-Age=0", "Path=/", "Secure", "SameSite=Strict")));
        Http.Response oldCookie = login.withCookie(http.get("/protected")).send();
        Http.Response oldBearer = login.withBearer(http.get("/protected")).send();
        assertThat(oldCookie.status()).isEqualTo(403);
        assertThat(oldCookie.json()).isEqualTo(FORBIDDEN);
        assertThat(oldBearer.status()).isEqualTo(403);
        assertThat(oldBearer.json()).isEqualTo(FORBIDDEN);
        assertThat(login.withCookieAndCsrf(http.post("/auth/refresh")).send().status())
                .as("refresh after logout").isEqualTo(403);
    }

    @Test
    void bearerLogoutEndsTheSessionToo() {
        Login login = Login.json(http, "alice", PASSWORD, "e2e");

        Http.Response response = login.withBearer(http.post("/auth/logout")).send();

        assertThat(response.status()).as("%s", response).isEqualTo(204);
        assertThat(login.withBearer(http.get("/protected")).send().status()).isEqualTo(403);
        assertThat(login.withCookie(http.get("/protected")).send().status()).isEqualTo(403);
    }

    @Test
    void logoutAllEndsTheSessionsOfEveryDevice() {
        Login deviceA = Login.json(http, "dave", PASSWORD, "e2e-device-a");
        Login deviceB = Login.json(http, "dave", PASSWORD, "e2e-device-b");
        assertThat(deviceB.withCookie(http.get("/protected")).send().status()).isEqualTo(200);

        Http.Response response = deviceA.withCookieAndCsrf(http.post("/auth/logout-all")).send();

        assertThat(response.status()).as("%s", response).isEqualTo(204);
        assertThat(response.setCookies()).extracting(Http.SetCookie::name, Http.SetCookie::value)
                .containsExactly(tuple(SESSION_COOKIE, ""),
                        tuple(CSRF_COOKIE, ""));
        assertThat(response.setCookies()).allSatisfy(cookie -> assertThat(cookie.attributes()).contains("Max-Age=0"));
        assertThat(deviceB.withCookie(http.get("/protected")).send().status()).isEqualTo(403);
        assertThat(deviceB.withBearer(http.get("/protected")).send().status()).isEqualTo(403);
        assertThat(deviceA.withCookie(http.get("/protected")).send().status()).isEqualTo(403);
    }

    @Test
    void revokingAnotherUsersSessionAnswersNotFoundAndLeavesItAlive() {
        Login alice = Login.json(http, "alice", PASSWORD, "e2e");
        Login aliceElsewhere = Login.json(http, "alice", PASSWORD, "e2e-elsewhere");
        Login mallory = Login.json(http, "mallory", PASSWORD, "e2e");

        Http.Response someoneElses = alice.withBearer(http.delete("/auth/sessions/" + mallory.sessionId())).send();
        Http.Response noSuchSession = alice.withBearer(http.delete("/auth/sessions/AAAAAAAAAAAAAAAAAAAAAA")).send();
        Http.Response ownOther = alice.withBearer(http.delete("/auth/sessions/" + aliceElsewhere.sessionId())).send();

        assertThat(someoneElses.status()).isEqualTo(404);
        assertThat(someoneElses.header("Content-Type")).hasValue("application/problem+json");
        assertThat(someoneElses.json()).isEqualTo(Map.of(
                "type", "urn:authfn:problem:not-found", "title", "Not found", "status", 404L,
                "detail", "No such session."));
        assertThat(noSuchSession.status()).isEqualTo(404);
        assertThat(noSuchSession.body()).as("someone else's session looks like none").isEqualTo(someoneElses.body());
        assertThat(mallory.withCookie(http.get("/protected")).send().status()).isEqualTo(200);
        assertThat(ownOther.status()).as("%s", ownOther).isEqualTo(204);
        assertThat(aliceElsewhere.withCookie(http.get("/protected")).send().status()).isEqualTo(403);
    }

    @Test
    void unknownUserAndWrongPasswordGetIdenticalAnswers() {
        Http.Response wrongPassword = http.post("/auth/login")
                .json(Map.of("username", "bob", "password", "not the password")).send();
        Http.Response unknownUser = http.post("/auth/login")
                .json(Map.of("username", "nobody-here", "password", "not the password")).send();
        Http.Response wrongPasswordBasic = http.post("/auth/login").basic("bob", "not the password").send();
        Http.Response unknownUserBasic = http.post("/auth/login").basic("nobody-here", "not the password").send();

        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(wrongPassword.header("Content-Type")).hasValue("application/problem+json");
        assertThat(wrongPassword.header("Cache-Control")).hasValue("no-store");
        assertThat(wrongPassword.json()).isEqualTo(Map.of(
                "type", "urn:authfn:problem:invalid-credentials", "title", "Invalid credentials", "status", 401L,
                "detail", "The username or password is wrong."));
        assertThat(wrongPassword.setCookies()).isEmpty();
        assertThat(unknownUser.status()).isEqualTo(wrongPassword.status());
        assertThat(unknownUser.headersWithoutDate()).isEqualTo(wrongPassword.headersWithoutDate());
        assertThat(unknownUser.body()).isEqualTo(wrongPassword.body());

        assertThat(wrongPasswordBasic.status()).isEqualTo(401);
        assertThat(wrongPasswordBasic.header("WWW-Authenticate")).hasValue("Basic realm=\"authfn\", charset=\"UTF-8\"");
        assertThat(wrongPasswordBasic.body()).isEqualTo(wrongPassword.body());
        assertThat(unknownUserBasic.status()).isEqualTo(401);
        assertThat(unknownUserBasic.headersWithoutDate()).isEqualTo(wrongPasswordBasic.headersWithoutDate());
        assertThat(unknownUserBasic.body()).isEqualTo(wrongPasswordBasic.body());
    }

    @Test
    void jwksVerifiesTheAccessTokensSignature() throws Exception {
        Login login = Login.json(http, "alice", PASSWORD, "e2e");
        SignedJWT token = SignedJWT.parse(login.accessToken());

        Http.Response response = http.get("/.well-known/jwks.json").send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValue("application/json");
        assertThat(response.header("Cache-Control")).hasValue("public, max-age=300");
        JWKSet jwks = JWKSet.parse(response.body());
        assertThat(jwks.getKeys()).isNotEmpty().noneMatch(JWK::isPrivate);
        JWK key = jwks.getKeyByKeyId(token.getHeader().getKeyID());
        assertThat(key).as("the token's kid is in the JWKS").isInstanceOf(RSAKey.class);
        assertThat(token.verify(new RSASSAVerifier((RSAKey) key))).isTrue();

        SignedJWT tampered = SignedJWT.parse(login.accessToken().substring(0, login.accessToken().length() - 4)
                + (login.accessToken().endsWith("AAAA") ? "BBBB" : "AAAA"));
        assertThat(tampered.verify(new RSASSAVerifier((RSAKey) key))).isFalse();
    }

    @Test
    void openIdConfigurationNamesTheIssuerAndTheJwks() {
        Http.Response response = http.get("/.well-known/openid-configuration").send();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValue("application/json");
        assertThat(response.header("Cache-Control")).hasValue("public, max-age=300");
        assertThat(response.json())
                .containsEntry("issuer", http.base().toString())
                .containsEntry("jwks_uri", http.base() + "/.well-known/jwks.json")
                .containsEntry("id_token_signing_alg_values_supported", List.of("RS256"));
        Http.Response jwks = http.get((String) response.json().get("jwks_uri")).send();
        assertThat(jwks.status()).as("jwks_uri answers").isEqualTo(200);
    }

    @Test
    void leavesTheAdminCliStateFileAlone() throws Exception {
        assertThat(readStateFile()).as(STATE_FILE + " is start-api's, not LocalApi's").isEqualTo(stateFileBefore);
    }

    /** An RFC 9457 problem with the given status and type, and no cookie set. */
    private static void assertProblem(Http.Response response, int status, String type) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValue("application/problem+json");
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        assertThat(response.json()).containsOnlyKeys("type", "title", "status", "detail")
                .containsEntry("type", "urn:authfn:problem:" + type)
                .containsEntry("status", (long) status);
        assertThat(response.setCookies()).isEmpty();
    }

    private static Optional<String> readStateFile() throws IOException {
        return Files.isRegularFile(STATE_FILE) ? Optional.of(Files.readString(STATE_FILE)) : Optional.empty();
    }
}
