package dev.authfn.auth;

import dev.authfn.core.authz.Amr;
import dev.authfn.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.auth.RequestAuthenticator.Allow;
import dev.authfn.auth.RequestAuthenticator.Decision;
import dev.authfn.auth.RequestAuthenticator.Deny;
import dev.authfn.auth.RequestAuthenticator.StepUpRequired;
import dev.authfn.auth.RequestAuthenticator.DenyReason;
import dev.authfn.auth.RequestAuthenticator.Request;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.csrf.OriginCheck;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.session.Session;
import dev.authfn.core.token.SessionToken;
import dev.authfn.testkit.InMemorySessionStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestAuthenticatorTest {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final Clock KEY_CLOCK = Clock.fixed(START, ZoneOffset.UTC);
    private static final KeySet KEYS = KeySet.generate(KEY_CLOCK);
    private static final SessionTimeouts TIMEOUTS = SessionTimeouts.DEFAULT;
    private static final CredentialCodecs.Settings SETTINGS = settings(TIMEOUTS);
    private static final HttpCookies COOKIES = new HttpCookies("__Host-session", "__Host-csrf");
    private static final String SELF = "https://api.example.com";
    private static final String APP = "https://app.example.com";

    private final MutableClock clock = new MutableClock(START);
    private final SecureRandom random = new SecureRandom();
    private final InMemorySessionStore stored = new InMemorySessionStore();
    private final CountingSessionStore sessions = new CountingSessionStore(stored);
    private final AtomicReference<KeySet> keySet = new AtomicReference<>(KEYS);
    private final Supplier<CredentialCodecs> codecs =
            CredentialCodecs.following(keySet::get, SETTINGS, random, clock);
    private final RequestAuthenticator authenticator = authenticator(codecs, TIMEOUTS, false);

    // --- cookie authentication ---

    @Test
    void allowsACookieGetAsTheSessionsPrincipal() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of("posts:read"));

        Decision decision = authenticator.authorize(get("/protected").cookies(alice.sessionCookie()).build());

        assertThat(decision).isEqualTo(new Allow(new Principal(
                "u-alice", "alice", Set.of("user"), Set.of("posts:read"), alice.session().id(), AuthType.COOKIE,
                List.of("pwd"), Optional.of(alice.session().authTime()))));
        assertThat(sessions.reads()).isEqualTo(1);
    }

    /** The cookie path takes how and when the user authenticated from the session as stored. */
    @Test
    void aCookiePrincipalCarriesTheSessionsAmrAndAuthTime() {
        LoggedIn carol = login("u-carol", "carol", Set.of("user"), Set.of(), List.of("pwd", "otp", "mfa"),
                START.minusSeconds(90));

        Allow allow = (Allow) authenticator.authorize(get("/protected").cookies(carol.sessionCookie()).build());

        assertThat(allow.principal().amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(allow.principal().authTime()).contains(START.minusSeconds(90));
        assertThat(allow.principal().acr()).isEqualTo("urn:authfn:acr:mfa");
    }

    /** The bearer path takes them from the verified token, stateless or not. */
    @Test
    void aBearerPrincipalCarriesTheTokensAmrAndAuthTime() {
        LoggedIn carol = login("u-carol", "carol", Set.of("user"), Set.of(), List.of("pwd", "otp", "mfa"),
                START.minusSeconds(90));

        Allow stateful = (Allow) authenticator.authorize(get("/protected").bearer(carol.accessToken()).build());
        Allow stateless = (Allow) authenticator(codecs, TIMEOUTS, true)
                .authorize(get("/protected").bearer(carol.accessToken()).build());

        for (Allow allow : List.of(stateful, stateless)) {
            assertThat(allow.principal().amr()).containsExactly("pwd", "otp", "mfa");
            assertThat(allow.principal().authTime()).contains(START.minusSeconds(90));
            assertThat(allow.principal().authType()).isEqualTo(AuthType.BEARER);
        }
    }

    @Test
    void deniesARequestWithoutCredentials() {
        Decision decision = authenticator.authorize(get("/protected").cookies("theme=dark").build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.NO_CREDENTIALS));
        assertThat(sessions.reads()).isZero();
    }

    @Test
    void deniesARequestCarryingTheSessionCookieTwice() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        Decision decision = authenticator.authorize(
                get("/protected").cookies(alice.sessionCookie(), alice.sessionCookie()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.DUPLICATE_COOKIE));
        assertThat(sessions.reads()).isZero();
    }

    /** The cookie is {@code kid.issuedAt.id.secret.mac}; one character of one part changes. */
    @ParameterizedTest
    @CsvSource({"0, UNKNOWN_KEY", "1, BAD_SIGNATURE", "2, BAD_SIGNATURE", "3, BAD_SIGNATURE", "4, BAD_SIGNATURE"})
    void deniesACookieChangedInOneCharacterWithoutReadingTheStore(int part, String reason) {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        String[] parts = alice.cookie().split("\\.");
        parts[part] = otherChar(parts[part].charAt(0)) + parts[part].substring(1);
        String changed = String.join(".", parts);

        Decision decision = authenticator.authorize(get("/protected").cookies(sessionCookie(changed)).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.BAD_COOKIE, reason));
        assertThat(sessions.reads()).isZero();
    }

    @Test
    void deniesTruncatedEmptyAndGarbageCookiesAsMalformed() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        String cookie = alice.cookie();

        for (String presented : List.of(cookie.substring(0, cookie.lastIndexOf('.')), "", "a.b.c.d.e.f",
                cookie.replaceFirst("\\.", ""), cookie + ".")) {
            Decision decision = authenticator.authorize(get("/protected").cookies(sessionCookie(presented)).build());

            assertThat(decision).as(presented).isEqualTo(new Deny(DenyReason.BAD_COOKIE, "MALFORMED"));
        }
        assertThat(sessions.reads()).isZero();
    }

    @Test
    void allowsACookieSignedWithTheKeyThatWasActiveBeforeOneRotation() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        keySet.set(KEYS.rotate(KeyPurpose.COOKIE, KEY_CLOCK));
        Decision decision = authenticator.authorize(get("/protected").cookies(alice.sessionCookie()).build());

        assertThat(decision).isInstanceOf(Allow.class);
    }

    @Test
    void deniesACookieSignedWithARetiredKeyWithoutReadingTheStore() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        String oldKid = KEYS.activeHmac(KeyPurpose.COOKIE).kid();

        keySet.set(KEYS.rotate(KeyPurpose.COOKIE, KEY_CLOCK).rotate(KeyPurpose.COOKIE, KEY_CLOCK).retire(oldKid));
        Decision decision = authenticator.authorize(get("/protected").cookies(alice.sessionCookie()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.BAD_COOKIE, "UNKNOWN_KEY"));
        assertThat(sessions.reads()).isZero();
    }

    @Test
    void deniesACookieSignedWithAForeignKeySet() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        KeySet foreign = KEYS.rotate(KeyPurpose.COOKIE, KEY_CLOCK);
        String forged = new CredentialCodecs(foreign, SETTINGS, random, clock).cookies()
                .sign(new SessionToken(alice.session().id(), alice.token().secret()), START);

        Decision decision = authenticator.authorize(get("/protected").cookies(sessionCookie(forged)).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.BAD_COOKIE, "UNKNOWN_KEY"));
    }

    @Test
    void deniesTheCookieReplayedAfterLogout() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        stored.revoke(alice.session().id(), "u-alice");

        Decision decision = authenticator.authorize(get("/protected").cookies(alice.sessionCookie()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.SESSION_ENDED));
    }

    @Test
    void allowsARequestJustBeforeTheIdleTimeout() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        Decision decision = authenticator.authorize(get("/protected").cookies(alice.sessionCookie()).build());

        assertThat(decision).isInstanceOf(Allow.class);
    }

    @Test
    void deniesASessionIdleForTheIdleTimeoutWhileItsItemIsStillStored() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        clock.advance(Duration.ofMinutes(30));
        Decision decision = authenticator.authorize(get("/protected").cookies(alice.sessionCookie()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.SESSION_ENDED));
        // The item is still there (as in DynamoDB before TTL): it is only expiry checked in code that ends it.
        assertThat(stored.find(alice.session().id(), START)).isPresent();
    }

    @Test
    void endsASessionKeptActiveAtItsAbsoluteTimeout() {
        // The absolute timeout was raised to 12 h after this 8-hour session began: its cookie is
        // still young enough, so only the session's own absolute expiry can end it.
        SessionTimeouts raised = new SessionTimeouts(Duration.ofMinutes(30), Duration.ofHours(12));
        RequestAuthenticator afterRaise = authenticator(
                CredentialCodecs.following(keySet::get, settings(raised), random, clock), raised, false);
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        List<Decision> whileActive = new ArrayList<>();

        for (Duration at = Duration.ofMinutes(20); at.compareTo(Duration.ofHours(8)) < 0; at = at.plusMinutes(20)) {
            clock.set(START.plus(at));
            whileActive.add(afterRaise.authorize(get("/protected").cookies(alice.sessionCookie()).build()));
        }
        clock.set(START.plus(Duration.ofHours(8)));
        Decision atAbsoluteExpiry = afterRaise.authorize(get("/protected").cookies(alice.sessionCookie()).build());

        assertThat(whileActive).hasSize(23).allMatch(Allow.class::isInstance);
        assertThat(sessions.touches()).isEqualTo(23);
        assertThat(atAbsoluteExpiry).isEqualTo(new Deny(DenyReason.SESSION_ENDED));
    }

    @Test
    void refusesTheCookieItselfOnceItIsAsOldAsTheAbsoluteTimeout() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        for (Duration at = Duration.ofMinutes(20); at.compareTo(Duration.ofHours(8)) < 0; at = at.plusMinutes(20)) {
            clock.set(START.plus(at));
            authenticator.authorize(get("/protected").cookies(alice.sessionCookie()).build());
        }
        int readsWhileActive = sessions.reads();

        clock.set(START.plus(Duration.ofHours(8)));
        Decision decision = authenticator.authorize(get("/protected").cookies(alice.sessionCookie()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.BAD_COOKIE, "EXPIRED"));
        assertThat(sessions.reads()).isEqualTo(readsWhileActive);
    }

    @Test
    void deniesACookieOfOurSigningWhoseSecretDoesNotMatchTheSession() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        SessionToken sameIdOtherSecret =
                new SessionToken(alice.session().id(), SessionToken.generate(random).secret());
        String cookie = codecs.get().cookies().sign(sameIdOtherSecret, START);

        Decision decision = authenticator.authorize(get("/protected").cookies(sessionCookie(cookie)).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.SESSION_ENDED));
        assertThat(sessions.reads()).isEqualTo(1);
        assertThat(sessions.touches()).isZero();
    }

    @Test
    void slidesTheIdleExpiryAtMostOnceAMinute() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        Request request = get("/protected").cookies(alice.sessionCookie()).build();

        for (int seconds : new int[] {0, 30, 59, 60, 90, 119, 120}) {
            clock.set(START.plusSeconds(seconds));
            assertThat(authenticator.authorize(request)).as("at %d s", seconds).isInstanceOf(Allow.class);
        }

        assertThat(sessions.touches()).isEqualTo(2);
        Session after = stored.find(alice.session().id(), clock.instant()).orElseThrow();
        assertThat(after.lastSeenAt()).isEqualTo(START.plusSeconds(120));
        assertThat(after.idleExpiresAt()).isEqualTo(START.plusSeconds(120).plus(Duration.ofMinutes(30)));
    }

    @Test
    void aSessionWithATenSecondIdleTimeoutUsedEveryTwoSecondsStaysAlive() {
        SessionTimeouts shortIdle = new SessionTimeouts(Duration.ofSeconds(10), Duration.ofHours(8));
        RequestAuthenticator strict = authenticator(codecs, shortIdle, false);
        Instant now = clock.instant();
        SessionToken token = SessionToken.generate(random);
        Session session = new Session(token.id(), token.secretHash(), "u-alice", "alice", Set.of("user"), Set.of(),
                now, now, shortIdle.idleExpiry(now, now.plus(shortIdle.absolute())), now.plus(shortIdle.absolute()),
                "test-agent", "192.0.2.1");
        stored.create(session);
        Request request = get("/protected").cookies(sessionCookie(codecs.get().cookies().sign(token, now))).build();

        for (int seconds = 2; seconds <= 30; seconds += 2) {
            clock.set(START.plusSeconds(seconds));
            assertThat(strict.authorize(request)).as("at %d s", seconds).isInstanceOf(Allow.class);
        }

        assertThat(sessions.touches()).as("a slide every 6 s: half the timeout, rounded to the uses").isEqualTo(5);
    }

    @Test
    void deniesWhenTheSessionIsRevokedBetweenTheReadAndTheTouch() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        clock.advance(Duration.ofMinutes(5));
        sessions.beforeTouch(() -> stored.revoke(alice.session().id(), "u-alice"));

        Decision decision = authenticator.authorize(get("/protected").cookies(alice.sessionCookie()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.SESSION_ENDED));
        assertThat(sessions.touches()).isEqualTo(1);
    }

    // --- CSRF and origin, cookie-authenticated unsafe methods ---

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE", "post"})
    void deniesAnUnsafeCookieRequestWithoutTheCsrfHeaderWithoutReadingTheStore(String method) {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of("posts:create"));

        Decision decision = authenticator.authorize(request(method, "/auth/logout")
                .cookies(alice.sessionCookie(), alice.csrfCookie()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.CSRF, "MISSING"));
        assertThat(sessions.reads()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS"})
    void needsNoCsrfTokenForSafeMethods(String method) {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        Decision decision = authenticator.authorize(request(method, "/protected")
                .cookies(alice.sessionCookie()).secFetchSite("cross-site").origin("https://evil.example").build());

        assertThat(decision).isInstanceOf(Allow.class);
    }

    @Test
    void deniesACsrfTokenMintedForAnotherSession() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        LoggedIn mallory = login("u-mallory", "mallory", Set.of("user"), Set.of());

        Decision decision = authenticator.authorize(post("/auth/logout")
                .cookies(alice.sessionCookie(), csrfCookie(mallory.csrf())).csrfHeader(mallory.csrf()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.CSRF, "BAD_SIGNATURE"));
        assertThat(sessions.reads()).isZero();
    }

    @Test
    void deniesACsrfHeaderThatDiffersFromTheCsrfCookie() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        String otherValidToken = codecs.get().csrf().issue(alice.session().id());

        Decision decision = authenticator.authorize(post("/auth/logout")
                .cookies(alice.sessionCookie(), csrfCookie(otherValidToken)).csrfHeader(alice.csrf()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.CSRF, "COOKIE_MISMATCH"));
        assertThat(sessions.reads()).isZero();
    }

    @Test
    void deniesACrossSiteUnsafeRequestEvenWithAValidCsrfToken() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        Decision decision = authenticator.authorize(post("/auth/logout")
                .cookies(alice.sessionCookie(), alice.csrfCookie()).csrfHeader(alice.csrf())
                .secFetchSite("cross-site").build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.CROSS_SITE));
        assertThat(sessions.reads()).isZero();
    }

    @Test
    void deniesAnUnsafeRequestFromAForeignOriginEvenWithAValidCsrfToken() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        Decision decision = authenticator.authorize(post("/auth/logout")
                .cookies(alice.sessionCookie(), alice.csrfCookie()).csrfHeader(alice.csrf())
                .origin("https://evil.example").secFetchSite("same-site").build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.FOREIGN_ORIGIN));
        assertThat(sessions.reads()).isZero();
    }

    @Test
    void allowsAnUnsafeRequestFromAnAllowedOriginWithTheCsrfToken() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        Decision decision = authenticator.authorize(post("/auth/logout")
                .cookies(alice.sessionCookie(), alice.csrfCookie()).csrfHeader(alice.csrf())
                .origin(APP).secFetchSite("same-site").build());

        assertThat(decision).isEqualTo(new Allow(new Principal(
                "u-alice", "alice", Set.of("user"), Set.of(), alice.session().id(), AuthType.COOKIE,
                List.of("pwd"), Optional.of(alice.session().authTime()))));
        assertThat(sessions.reads()).isEqualTo(1);
    }

    @Test
    void allowsAnUnsafeRequestFromTheApisOwnOriginWithTheCsrfToken() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        Decision decision = authenticator.authorize(post("/auth/logout")
                .cookies(alice.sessionCookie(), alice.csrfCookie()).csrfHeader(alice.csrf())
                .origin(SELF).secFetchSite("same-origin").build());

        assertThat(decision).isInstanceOf(Allow.class);
    }

    @Test
    void allowsAnUnsafeRequestThatSendsTheCsrfTokenOnlyInTheHeader() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        Decision decision = authenticator.authorize(post("/auth/logout")
                .cookies(alice.sessionCookie()).csrfHeader(alice.csrf()).build());

        assertThat(decision).isInstanceOf(Allow.class);
    }

    @Test
    void treatsEveryMethodButGetHeadAndOptionsAsUnsafe() {
        assertThat(List.of("GET", "get", "HEAD", "OPTIONS"))
                .noneMatch(RequestAuthenticator::isUnsafe);
        assertThat(List.of("POST", "PUT", "PATCH", "DELETE", "TRACE", ""))
                .allMatch(RequestAuthenticator::isUnsafe);
        assertThat(RequestAuthenticator.isUnsafe(null)).isTrue();
    }

    // --- bearer tokens ---

    @Test
    void anOAuthClientsTokenActsOnTheApiButNotOnTheUsersOwnAccountRoutes() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of("posts:create"));
        String grant = codecs.get().issuer().issue("u-alice", "alice", alice.session().id(), Set.of("user"),
                Set.of("openid", "posts:create"), List.of("pwd"), alice.session().authTime(), "spa");

        assertThat(authenticator.authorize(get("/protected").bearer(grant).build())).isInstanceOf(Allow.class);
        assertThat(authenticator.authorize(post("/posts").bearer(grant).build())).isInstanceOf(Allow.class);
        assertThat(authenticator.authorize(post("/auth/logout").bearer(grant).build()))
                .as("ending its own grant").isInstanceOf(Allow.class);
        for (String route : List.of("POST /auth/logout-all", "GET /auth/sessions", "DELETE /auth/sessions/{id}",
                "POST /auth/password/change", "POST /auth/mfa/totp", "DELETE /auth/passkeys/{id}")) {
            Request request = Request.builder().method(route.substring(0, route.indexOf(' '))).routeKey(route)
                    .authorization("Bearer " + grant).build();
            assertThat(authenticator.authorize(request)).as(route)
                    .isEqualTo(new Deny(RequestAuthenticator.DenyReason.FORBIDDEN, "CLIENT_TOKEN_ON_ACCOUNT_ROUTE"));
        }
        assertThat(authenticator.authorize(post("/auth/logout-all").bearer(alice.accessToken()).build()))
                .as("authfn's own token").isInstanceOf(Allow.class);
        assertThat(RequestAuthenticator.isAccountRoute(null)).isFalse();
        assertThat(RequestAuthenticator.isAccountRoute("GET /authx/y")).isFalse();
        assertThat(RequestAuthenticator.isAccountRoute("/auth/x")).isFalse();
        assertThat(RequestAuthenticator.isAccountRoute("GET /protected/auth/x")).isFalse();
    }

    @Test
    void allowsAValidBearerTokenAsItsClaims() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of("posts:read"));

        Decision decision = authenticator.authorize(get("/protected").bearer(alice.accessToken()).build());

        assertThat(decision).isEqualTo(new Allow(new Principal(
                "u-alice", "alice", Set.of("user"), Set.of("posts:read"), alice.session().id(), AuthType.BEARER,
                List.of("pwd"), Optional.of(alice.session().authTime()))));
        assertThat(sessions.reads()).isEqualTo(1);
    }

    @Test
    void acceptsTheBearerSchemeInAnyCase() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        Decision decision = authenticator.authorize(
                get("/protected").authorization("bEARER " + alice.accessToken()).build());

        assertThat(decision).isInstanceOf(Allow.class);
    }

    @Test
    void deniesABearerTokenWhoseSessionWasRevoked() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        stored.revoke(alice.session().id(), "u-alice");

        Decision decision = authenticator.authorize(get("/protected").bearer(alice.accessToken()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.SESSION_ENDED));
    }

    @Test
    void allowsABearerTokenWhoseSessionWasRevokedWhenBearerTokensAreStateless() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        stored.revoke(alice.session().id(), "u-alice");
        RequestAuthenticator stateless = authenticator(codecs, TIMEOUTS, true);

        Decision decision = stateless.authorize(get("/protected").bearer(alice.accessToken()).build());

        assertThat(decision).isEqualTo(new Allow(new Principal(
                "u-alice", "alice", Set.of("user"), Set.of(), alice.session().id(), AuthType.BEARER,
                List.of("pwd"), Optional.of(alice.session().authTime()))));
        assertThat(sessions.reads()).isZero();
    }

    @Test
    void deniesARepeatedBearerTokenOnceItsSessionIsRevoked() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        Decision first = authenticator.authorize(get("/protected").bearer(alice.accessToken()).build());

        stored.revoke(alice.session().id(), "u-alice");
        Decision again = authenticator.authorize(get("/protected").bearer(alice.accessToken()).build());

        assertThat(first).isInstanceOf(Allow.class);
        assertThat(again).isEqualTo(new Deny(DenyReason.SESSION_ENDED));
        assertThat(sessions.reads()).isEqualTo(2);
    }

    @Test
    void deniesARepeatedStatelessBearerTokenOnceItsKeyIsRetired() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        RequestAuthenticator stateless = authenticator(codecs, TIMEOUTS, true);
        Decision first = stateless.authorize(get("/protected").bearer(alice.accessToken()).build());
        String oldKid = KEYS.activeJwtKey().kid();

        keySet.set(KEYS.rotate(KeyPurpose.JWT, KEY_CLOCK).retire(oldKid));
        Decision again = stateless.authorize(get("/protected").bearer(alice.accessToken()).build());

        assertThat(first).isInstanceOf(Allow.class);
        assertThat(again).isEqualTo(new Deny(DenyReason.BAD_TOKEN, "UNKNOWN_KID"));
    }

    @Test
    void deniesARepeatedStatelessBearerTokenOnceItExpires() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        RequestAuthenticator stateless = authenticator(codecs, TIMEOUTS, true);
        Decision first = stateless.authorize(get("/protected").bearer(alice.accessToken()).build());

        clock.advance(Duration.ofMinutes(6)); // 5 min lifetime + 60 s skew
        Decision again = stateless.authorize(get("/protected").bearer(alice.accessToken()).build());

        assertThat(first).isInstanceOf(Allow.class);
        assertThat(again).isEqualTo(new Deny(DenyReason.BAD_TOKEN, "EXPIRED"));
    }

    @Test
    void deniesAMalformedBearerTokenWithItsReason() {
        Decision decision = authenticator.authorize(get("/protected").bearer("not-a-jwt").build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.BAD_TOKEN, "MALFORMED"));
        assertThat(sessions.reads()).isZero();
    }

    @Test
    void deniesABearerTokenWithAlteredSignature() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        String token = alice.accessToken();
        int signatureStart = token.lastIndexOf('.') + 1;
        String altered = token.substring(0, signatureStart) + otherChar(token.charAt(signatureStart))
                + token.substring(signatureStart + 1);

        Decision decision = authenticator.authorize(get("/protected").bearer(altered).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.BAD_TOKEN, "BAD_SIGNATURE"));
        assertThat(sessions.reads()).isZero();
    }

    @Test
    void deniesAnExpiredBearerTokenWhileItsSessionLives() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        clock.advance(Duration.ofMinutes(6)); // 5 min lifetime + 60 s skew
        Decision decision = authenticator.authorize(get("/protected").bearer(alice.accessToken()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.BAD_TOKEN, "EXPIRED"));
        assertThat(sessions.reads()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic YWxpY2U6c2VjcmV0", "Bearer", "Bearer ", "Digest username=\"alice\"", "Bearerxyz"})
    void deniesOtherAuthorizationSchemesEvenBesideAValidCookie(String authorization) {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        Decision decision = authenticator.authorize(
                get("/protected").cookies(alice.sessionCookie()).authorization(authorization).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.UNSUPPORTED_AUTHORIZATION));
        assertThat(sessions.reads()).isZero();
    }

    @Test
    void allowsABearerPostWithoutCsrfTokenOrOriginChecks() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        Decision decision = authenticator.authorize(post("/auth/logout").bearer(alice.accessToken())
                .origin("https://other.example").secFetchSite("cross-site").build());

        assertThat(decision).isInstanceOf(Allow.class);
    }

    // --- route policy ---

    @Test
    void forbidsAUserWithoutTheAdminRoleOnTheAdminRoute() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of("posts:create"));

        Decision decision = authenticator.authorize(get("/admin").cookies(alice.sessionCookie()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.FORBIDDEN, "MISSING_ROLE"));
        assertThat(((Deny) decision).code()).isEqualTo("FORBIDDEN/MISSING_ROLE");
    }

    @Test
    void forbidsABearerUserWithoutTheAdminRoleOnTheAdminRoute() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        Decision decision = authenticator.authorize(get("/admin").bearer(alice.accessToken()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.FORBIDDEN, "MISSING_ROLE"));
    }

    @Test
    void forbidsAPostWithoutTheRequiredPermission() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of("posts:read"));

        Decision decision = authenticator.authorize(post("/posts")
                .cookies(alice.sessionCookie(), alice.csrfCookie()).csrfHeader(alice.csrf()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.FORBIDDEN, "MISSING_PERMISSION"));
    }

    @Test
    void allowsAnAdminOnTheAdminRoute() {
        LoggedIn root = login("u-root", "root", Set.of("admin"), Set.of());

        Decision decision = authenticator.authorize(get("/admin").cookies(root.sessionCookie()).build());

        assertThat(decision).isEqualTo(new Allow(new Principal(
                "u-root", "root", Set.of("admin"), Set.of(), root.session().id(), AuthType.COOKIE,
                List.of("pwd"), Optional.of(root.session().authTime()))));
    }

    @Test
    void allowsAPostWithTheRequiredPermission() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of("posts:create"));

        Decision decision = authenticator.authorize(post("/posts")
                .cookies(alice.sessionCookie(), alice.csrfCookie()).csrfHeader(alice.csrf()).build());

        assertThat(decision).isInstanceOf(Allow.class);
    }

    /** Roles and permissions hold but the login is too weak: not a denial but a challenge for the function to answer. */
    @Test
    void aPasswordSessionOnAStepUpRouteIsAStepUpWithTheRulesChallenge() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        Decision byCookie = authenticator.authorize(get("/protected/step-up").cookies(alice.sessionCookie()).build());
        Decision byBearer = authenticator.authorize(get("/protected/step-up").bearer(alice.accessToken()).build());

        assertThat(byCookie).isEqualTo(new StepUpRequired(((Allow) authenticator.authenticate(
                get("/protected/step-up").cookies(alice.sessionCookie()).build())).principal(),
                RoutePolicy.DEFAULT.rule("GET /protected/step-up").orElseThrow().challenge()));
        assertThat(((StepUpRequired) byBearer).challenge().wwwAuthenticate()).endsWith(
                "acr_values=\"urn:authfn:acr:mfa\", max_age=900");
    }

    @Test
    void aRecentMultiFactorSessionPassesTheStepUpRouteUntilItIsFifteenMinutesOld() {
        LoggedIn carol = login("u-carol", "carol", Set.of("user"), Set.of(), List.of("pwd", "otp", "mfa"), START);

        assertThat(authenticator.authorize(get("/protected/step-up").bearer(carol.accessToken()).build()))
                .isInstanceOf(Allow.class);
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(authenticator.authorize(get("/protected/step-up").cookies(carol.sessionCookie()).build()))
                .isInstanceOf(StepUpRequired.class);
    }

    @Test
    void identifyCallerChecksCredentialsButNotTheRoutePolicy() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());

        Decision decision = authenticator.authenticate(get("/admin").cookies(alice.sessionCookie()).build());

        assertThat(decision).isEqualTo(new Allow(new Principal(
                "u-alice", "alice", Set.of("user"), Set.of(), alice.session().id(), AuthType.COOKIE,
                List.of("pwd"), Optional.of(alice.session().authTime()))));
    }

    @Test
    void identifyCallerStillDeniesBadCredentials() {
        Decision decision = authenticator.authenticate(get("/admin").build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.NO_CREDENTIALS));
    }

    @Test
    void exposesItsRoutePolicy() {
        assertThat(authenticator.routePolicy()).isSameAs(RoutePolicy.DEFAULT);
    }

    @Test
    void deniesRatherThanThrowsWhenTheRequestHasNoRouteKey() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        Request noRoute = Request.builder().method("GET").cookies(List.of(alice.sessionCookie())).selfOrigin(SELF).build();

        Decision decision = authenticator.authorize(noRoute);

        assertThat(decision).isEqualTo(new Deny(DenyReason.INTERNAL_ERROR, "NullPointerException"));
    }

    // --- faults: fail closed ---

    @Test
    void deniesAsStoreUnavailableWhenTheSessionStoreCannotAnswer() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        sessions.failWith(new StoreUnavailableException("GetItem sessions: ThrottlingException", null));

        Decision decision = authenticator.authorize(get("/protected").cookies(alice.sessionCookie()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.STORE_UNAVAILABLE));
        assertThat(((Deny) decision).code()).isEqualTo("STORE_UNAVAILABLE");
    }

    @Test
    void deniesAsStoreUnavailableWhenTheBearerSessionCheckCannotAnswer() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        sessions.failWith(new StoreUnavailableException("GetItem sessions: timeout", null));

        Decision decision = authenticator.authorize(get("/protected").bearer(alice.accessToken()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.STORE_UNAVAILABLE));
    }

    @Test
    void deniesAsStoreUnavailableWhenTheTouchCannotBeWritten() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        clock.advance(Duration.ofMinutes(2));
        sessions.beforeTouch(() -> {
            throw new StoreUnavailableException("UpdateItem sessions: ThrottlingException", null);
        });

        Decision decision = authenticator.authorize(get("/protected").cookies(alice.sessionCookie()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.STORE_UNAVAILABLE));
        assertThat(sessions.touches()).isEqualTo(1);
    }

    @Test
    void deniesAsInternalErrorWhenTheStoreFailsUnexpectedly() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        sessions.failWith(new IllegalStateException("boom"));

        Decision decision = authenticator.authorize(get("/protected").cookies(alice.sessionCookie()).build());

        assertThat(decision).isEqualTo(new Deny(DenyReason.INTERNAL_ERROR, "IllegalStateException"));
        assertThat(((Deny) decision).code()).isEqualTo("INTERNAL_ERROR/IllegalStateException");
    }

    // --- values ---

    @Test
    void denyCodeIsTheReasonAloneOrTheReasonAndItsDetail() {
        assertThat(new Deny(DenyReason.NO_CREDENTIALS).code()).isEqualTo("NO_CREDENTIALS");
        assertThat(new Deny(DenyReason.NO_CREDENTIALS).detail()).isEqualTo("NO_CREDENTIALS");
        assertThat(new Deny(DenyReason.BAD_COOKIE, "BAD_SIGNATURE").code()).isEqualTo("BAD_COOKIE/BAD_SIGNATURE");
        assertThat(new Deny(DenyReason.CSRF, "MISSING").code()).isEqualTo("CSRF/MISSING");
    }

    @Test
    void requestToStringShowsTheRouteButNoCredential() {
        LoggedIn alice = login("u-alice", "alice", Set.of("user"), Set.of());
        Request request = post("/auth/logout").cookies(alice.sessionCookie(), alice.csrfCookie())
                .csrfHeader(alice.csrf()).bearer(alice.accessToken()).build();

        assertThat(request.toString()).isEqualTo("Request[POST /auth/logout]");
    }

    @Test
    void requestWithoutCookiesHasAnEmptyCookieList() {
        Request request = Request.builder().method("GET").routeKey("GET /protected").cookies(null).selfOrigin(SELF).build();

        assertThat(request.cookies()).isEmpty();
        assertThat(authenticator.authorize(request)).isEqualTo(new Deny(DenyReason.NO_CREDENTIALS));
    }

    // --- helpers ---

    private static CredentialCodecs.Settings settings(SessionTimeouts timeouts) {
        return new CredentialCodecs.Settings(
                "https://auth.example.com", "authfn-api", "authfn-web",
                Duration.ofMinutes(5), Duration.ofSeconds(60), timeouts);
    }

    private RequestAuthenticator authenticator(
            Supplier<CredentialCodecs> codecs, SessionTimeouts timeouts, boolean statelessBearer) {
        return new RequestAuthenticator(sessions, codecs, COOKIES, new OriginCheck(Set.of(APP)),
                RoutePolicy.DEFAULT, timeouts, statelessBearer, clock);
    }

    /** A session as the login would start it, without the password check (no hashing here). */
    private LoggedIn login(String userId, String username, Set<String> roles, Set<String> permissions) {
        return login(userId, username, roles, permissions, List.of("pwd"), clock.instant());
    }

    /** A session whose user authenticated with {@code amr} at {@code authTime}. */
    private LoggedIn login(String userId, String username, Set<String> roles, Set<String> permissions,
            List<String> amr, Instant authTime) {
        Instant now = clock.instant();
        SessionToken token = SessionToken.generate(random);
        Instant absolute = now.plus(TIMEOUTS.absolute());
        Session session = new Session(token.id(), token.secretHash(), userId, username, roles, permissions,
                now, now, TIMEOUTS.idleExpiry(now, absolute), absolute, "test-agent", "192.0.2.1", amr, authTime);
        assertThat(stored.create(session)).isTrue();
        CredentialCodecs current = codecs.get();
        return new LoggedIn(session, token, current.cookies().sign(token, now), current.csrf().issue(session.id()),
                current.issuer().issue(userId, username, session.id(), roles, permissions, session.amr(),
                        session.authTime()));
    }

    private record LoggedIn(Session session, SessionToken token, String cookie, String csrf, String accessToken) {
        String sessionCookie() {
            return RequestAuthenticatorTest.sessionCookie(cookie);
        }

        String csrfCookie() {
            return RequestAuthenticatorTest.csrfCookie(csrf);
        }
    }

    private static String sessionCookie(String value) {
        return COOKIES.sessionName() + "=" + value;
    }

    private static String csrfCookie(String value) {
        return COOKIES.csrfName() + "=" + value;
    }

    private static char otherChar(char c) {
        return c == 'A' ? 'B' : 'A';
    }

    private static RequestBuilder get(String path) {
        return request("GET", path);
    }

    private static RequestBuilder post(String path) {
        return request("POST", path);
    }

    private static RequestBuilder request(String method, String path) {
        return new RequestBuilder(method, path);
    }

    /** Builds a request as the authorizer sees it, from the API's own origin unless told otherwise. */
    private static final class RequestBuilder {
        private final String method;
        private final String path;
        private List<String> cookies = List.of();
        private String authorization;
        private String csrfHeader;
        private String origin;
        private String secFetchSite;

        RequestBuilder(String method, String path) {
            this.method = method;
            this.path = path;
        }

        RequestBuilder cookies(String... cookies) {
            this.cookies = List.of(cookies);
            return this;
        }

        RequestBuilder authorization(String authorization) {
            this.authorization = authorization;
            return this;
        }

        RequestBuilder bearer(String token) {
            return authorization("Bearer " + token);
        }

        RequestBuilder csrfHeader(String csrfHeader) {
            this.csrfHeader = csrfHeader;
            return this;
        }

        RequestBuilder origin(String origin) {
            this.origin = origin;
            return this;
        }

        RequestBuilder secFetchSite(String secFetchSite) {
            this.secFetchSite = secFetchSite;
            return this;
        }

        Request build() {
            return Request.builder()
                    .method(method)
                    .routeKey(method.toUpperCase(Locale.ROOT) + " " + path)
                    .cookies(cookies)
                    .authorization(authorization)
                    .csrfToken(csrfHeader)
                    .origin(origin)
                    .secFetchSite(secFetchSite)
                    .selfOrigin(SELF)
                    .build();
        }
    }
}
