package dev.authfn.local.security;

import static dev.authfn.local.security.SecurityApi.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.cookie.SessionCookieCodec;
import dev.authfn.core.keys.HmacKey;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.keys.KeyStatus;
import dev.authfn.core.token.SessionToken;
import dev.authfn.dynamodb.internal.SessionItems;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;

/**
 * SECURITY.md "Attacks and bad inputs", Session cookie, over real HTTP. The API runs with a key
 * set whose first cookie key was rotated out and retired, so the test holds a retired key to sign
 * with. Time passing is simulated by writing the session item's expiry fields in moto.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class SessionCookieAttacksIT {

    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final Duration ABSOLUTE = Duration.ofHours(8);

    private static SecurityApi sut;
    private static Http http;
    private static HmacKey retiredCookieKey;
    private static HmacKey activeCookieKey;

    @BeforeAll
    static void start(DynamoDbTestEndpoint dynamodb) throws Exception {
        Clock clock = Clock.systemUTC();
        KeySet first = KeySet.generate(clock);
        HmacKey firstCookieKey = first.activeHmac(KeyPurpose.COOKIE);
        KeySet rotated = first.rotate(KeyPurpose.COOKIE, clock).retire(firstCookieKey.kid());
        retiredCookieKey = new HmacKey(firstCookieKey.kid(), firstCookieKey.secret(), KeyStatus.ACTIVE);
        activeCookieKey = rotated.activeHmac(KeyPurpose.COOKIE);
        assertThat(activeCookieKey.kid()).isNotEqualTo(retiredCookieKey.kid());
        sut = SecurityApi.start(SessionCookieAttacksIT.class, dynamodb, rotated);
        http = sut.http();
        sut.addUser("alice", Set.of("user"), Set.of());
    }

    @AfterAll
    static void stop() {
        if (sut != null) {
            sut.close();
        }
    }

    @Test
    void oneCharacterFlippedAnywhereInTheCookieIsDeniedAndWritesNothing() {
        Login login = sut.login("alice");
        Map<String, AttributeValue> itemBefore = sut.sessionItem(login.sessionId()).orElseThrow();
        String cookie = login.sessionCookie();
        String[] parts = cookie.split("\\.");
        // one position inside each part: kid, issued-at, id, secret, MAC
        int offset = 0;
        for (String part : parts) {
            int position = offset + part.length() / 2;
            String flipped = cookie.substring(0, position) + flip(cookie.charAt(position)) + cookie.substring(position + 1);
            Expect.deniedByTheAuthorizer(http.get("/protected").cookie(SESSION_COOKIE, flipped).send());
            offset += part.length() + 1;
        }
        // and the last character, where a MAC's unused low bits might hide a flip
        String lastFlipped = cookie.substring(0, cookie.length() - 1) + flip(cookie.charAt(cookie.length() - 1));
        Expect.deniedByTheAuthorizer(http.get("/protected").cookie(SESSION_COOKIE, lastFlipped).send());

        assertThat(sut.sessionItem(login.sessionId())).hasValue(itemBefore);
        assertThat(login.withCookie(http.get("/protected")).send().status()).as("the real cookie still works").isEqualTo(200);
    }

    @Test
    void truncatedEmptyExtraDotsAndBadBase64CookiesAreDenied() {
        Login login = sut.login("alice");
        String cookie = login.sessionCookie();
        List<String> bad = List.of(
                "",
                cookie.substring(0, cookie.length() - 1),
                cookie.substring(0, cookie.lastIndexOf('.')),
                cookie.substring(0, cookie.length() / 2),
                cookie + ".",
                "." + cookie,
                cookie.replaceFirst("\\.", ".."),
                cookie + "." + cookie.substring(cookie.lastIndexOf('.') + 1),
                cookie.replace('-', '+').replace('_', '/') + "==",
                cookie.substring(0, cookie.lastIndexOf('.') + 1) + "!!!!not*base64!!!!",
                "....",
                "a.b.c.d.e",
                "x".repeat(4096));
        for (String value : bad) {
            Expect.deniedByTheAuthorizer(http.get("/protected").cookie(SESSION_COOKIE, value).send());
        }
        assertThat(sut.sessionItem(login.sessionId())).isPresent();
    }

    @Test
    void cookieSignedWithARetiredOrAForeignKeyIsDenied() {
        Login login = sut.login("alice");
        SessionToken token = tokenOf(login.sessionCookie());
        Instant now = Instant.now();
        HmacKey foreign = KeySet.generate(Clock.systemUTC()).activeHmac(KeyPurpose.COOKIE);
        HmacKey foreignUnderOurKid = new HmacKey(activeCookieKey.kid(), foreign.secret(), KeyStatus.ACTIVE);

        String resignedWithActive = sign(activeCookieKey, token, now);
        String retired = sign(retiredCookieKey, token, now);
        String foreignOwnKid = sign(foreign, token, now);
        String foreignOurKid = sign(foreignUnderOurKid, token, now);

        assertThat(http.get("/protected").cookie(SESSION_COOKIE, resignedWithActive).send().status())
                .as("control: the same token signed with the active key passes").isEqualTo(200);
        Expect.deniedByTheAuthorizer(http.get("/protected").cookie(SESSION_COOKIE, retired).send());
        Expect.deniedByTheAuthorizer(http.get("/protected").cookie(SESSION_COOKIE, foreignOwnKid).send());
        Expect.deniedByTheAuthorizer(http.get("/protected").cookie(SESSION_COOKIE, foreignOurKid).send());
        assertThat(sut.logLines()).anyMatch(line -> line.contains("\"reason\":\"BAD_COOKIE/UNKNOWN_KEY\""))
                .anyMatch(line -> line.contains("\"reason\":\"BAD_COOKIE/BAD_SIGNATURE\""));
    }

    @Test
    void cookieReplayedAfterLogoutIsDenied() {
        Login login = sut.login("alice");
        Http.Response logout = login.withCookieAndCsrf(http.post("/auth/logout")).send();
        assertThat(logout.status()).as("%s", logout).isEqualTo(204);
        assertThat(sut.sessionItem(login.sessionId())).isEmpty();

        Expect.deniedByTheAuthorizer(login.withCookie(http.get("/protected")).send());
        Expect.deniedByTheAuthorizer(login.withCookieAndCsrf(http.post("/auth/refresh")).send());
        Expect.deniedByTheAuthorizer(login.withBearer(http.get("/protected")).send());
        assertThat(sut.sessionIds()).doesNotContain(login.sessionId());
    }

    @Test
    void idleTimeoutPassedWithTheItemStillInDynamoDbIsDenied() {
        Login login = sut.login("alice");
        assertThat(login.withCookie(http.get("/protected")).send().status()).isEqualTo(200);
        long now = Instant.now().toEpochMilli();
        // 31 minutes without a request: the idle expiry (30 minutes) passed a minute ago; TTL has not run.
        sut.setSessionNumbers(login.sessionId(), Map.of(
                SessionItems.LAST_SEEN_AT, now - Duration.ofMinutes(31).toMillis(),
                SessionItems.IDLE_EXPIRES_AT, now - Duration.ofMinutes(1).toMillis()));
        Map<String, AttributeValue> expired = sut.sessionItem(login.sessionId()).orElseThrow();

        Expect.deniedByTheAuthorizer(login.withCookie(http.get("/protected")).send());
        Expect.deniedByTheAuthorizer(login.withBearer(http.get("/protected")).send());
        Expect.deniedByTheAuthorizer(login.withCookieAndCsrf(http.post("/auth/refresh")).send());

        assertThat(sut.sessionItem(login.sessionId())).as("a denied request does not revive the session")
                .hasValue(expired);
    }

    @Test
    void absoluteTimeoutPassedWhileActiveIsDenied() {
        Login login = sut.login("alice");
        long now = Instant.now().toEpochMilli();
        // Active a second ago, idle expiry half an hour ahead, but created 8 hours ago.
        sut.setSessionNumbers(login.sessionId(), Map.of(
                SessionItems.CREATED_AT, now - ABSOLUTE.toMillis() - 1_000,
                SessionItems.LAST_SEEN_AT, now - 1_000,
                SessionItems.IDLE_EXPIRES_AT, now + Duration.ofMinutes(29).toMillis(),
                SessionItems.ABSOLUTE_EXPIRES_AT, now - 1_000));
        Map<String, AttributeValue> expired = sut.sessionItem(login.sessionId()).orElseThrow();

        Expect.deniedByTheAuthorizer(login.withCookie(http.get("/protected")).send());
        Expect.deniedByTheAuthorizer(login.withBearer(http.get("/protected")).send());
        Expect.deniedByTheAuthorizer(login.withCookieAndCsrf(http.post("/auth/refresh")).send());

        assertThat(sut.sessionItem(login.sessionId())).hasValue(expired);
    }

    @Test
    void cookieOlderThanTheAbsoluteTimeoutIsDeniedWithoutAnyRead() {
        Login login = sut.login("alice");
        String old = sign(activeCookieKey, tokenOf(login.sessionCookie()), Instant.now().minus(ABSOLUTE).minusSeconds(1));

        Expect.deniedByTheAuthorizer(http.get("/protected").cookie(SESSION_COOKIE, old).send());
        assertThat(sut.logLines()).anyMatch(line -> line.contains("\"reason\":\"BAD_COOKIE/EXPIRED\""));
    }

    @Test
    void sessionIdPresentedBeforeLoginIsNotTheOneIssued() {
        Login attacker = sut.login("alice");
        String planted = attacker.sessionCookie();

        Http.Response response = http.post("/auth/login").cookie(SESSION_COOKIE, planted)
                .cookie(SecurityApi.CSRF_COOKIE, attacker.csrfCookie())
                .json(Map.of("username", "alice", "password", SecurityApi.PASSWORD)).send();

        Login victim = Login.from(response);
        assertThat(victim.sessionId()).isNotEqualTo(attacker.sessionId());
        assertThat(victim.sessionCookie()).isNotEqualTo(planted);
        assertThat(tokenOf(victim.sessionCookie()).id()).isEqualTo(victim.sessionId());
        assertThat(victim.csrfToken()).isNotEqualTo(attacker.csrfToken());
        // The planted session is still only the attacker's own; the victim's is new in the table.
        assertThat(sut.sessionItem(victim.sessionId())).isPresent();
    }

    @Test
    void issuedSessionIdsAreDistinctAndOf128RandomBits() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Login login = sut.login("alice");
            assertThat(login.sessionId()).matches("[A-Za-z0-9_-]{22}");
            ids.add(login.sessionId());
        }
        assertThat(ids).hasSize(20);
        // The statistical 10,000-id check runs on the generator itself: SessionTokenTest.
    }

    private static SessionToken tokenOf(String cookie) {
        String[] parts = cookie.split("\\.");
        return SessionToken.parse(parts[2] + "." + parts[3]).orElseThrow();
    }

    private static String sign(HmacKey key, SessionToken token, Instant issuedAt) {
        return new SessionCookieCodec(key, List.of(key), ABSOLUTE, SKEW).sign(token, issuedAt);
    }

    private static char flip(char c) {
        return c == 'A' ? 'B' : 'A';
    }
}
