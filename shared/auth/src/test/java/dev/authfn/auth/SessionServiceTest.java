package dev.authfn.auth;

import dev.authfn.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.auth.SessionService.Listed;
import dev.authfn.auth.SessionService.Refresh;
import dev.authfn.auth.SessionService.RefreshReason;
import dev.authfn.auth.SessionService.RefreshRefused;
import dev.authfn.auth.SessionService.Refreshed;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.jwt.AccessTokenClaims;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.token.SessionToken;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import dev.authfn.testkit.InMemorySessionStore;
import dev.authfn.testkit.InMemoryUserStore;
import dev.authfn.testkit.LaggingIndexSessionStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionServiceTest {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final KeySet KEYS = KeySet.generate(Clock.fixed(START, ZoneOffset.UTC));
    private static final SessionTimeouts TIMEOUTS = SessionTimeouts.DEFAULT;
    private static final CredentialCodecs.Settings SETTINGS = new CredentialCodecs.Settings(
            "https://auth.example.com", "authfn-api", "authfn-web",
            Duration.ofMinutes(5), Duration.ofSeconds(60), TIMEOUTS);

    private final MutableClock clock = new MutableClock(START);
    private final SecureRandom random = new SecureRandom();
    private final InMemorySessionStore sessions = new InMemorySessionStore();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final CredentialCodecs codecs = new CredentialCodecs(KEYS, SETTINGS, random, clock);
    private final SessionService service = service(users);

    // --- refresh ---

    @Test
    void refreshSlidesTheIdleExpiry() {
        givenUser(users, "alice", "u-alice", Set.of("user"), Set.of(), UserStatus.ACTIVE);
        Session session = givenSession("u-alice", "alice", Set.of("user"), Set.of());

        clock.advance(Duration.ofMinutes(10));
        Refresh refresh = service.refresh(cookiePrincipal(session));

        Session slid = refreshed(refresh).session();
        assertThat(slid.id()).isEqualTo(session.id());
        assertThat(slid.lastSeenAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
        assertThat(slid.idleExpiresAt()).isEqualTo(START.plus(Duration.ofMinutes(40)));
        assertThat(slid.absoluteExpiresAt()).isEqualTo(START.plus(Duration.ofHours(8)));
        assertThat(sessions.find(session.id(), clock.instant())).contains(slid);
    }

    @Test
    void refreshIssuesAnAccessTokenWithTheUsersCurrentGrantsAndACsrfTokenForTheSession() {
        givenUser(users, "alice", "u-alice", Set.of("user", "editor"), Set.of("posts:create"), UserStatus.ACTIVE);
        Session session = givenSession("u-alice", "alice", Set.of("user"), Set.of());

        clock.advance(Duration.ofMinutes(10));
        Refreshed refreshed = refreshed(service.refresh(cookiePrincipal(session)));

        AccessTokenClaims claims = verified(codecs.verifier().verify(refreshed.accessToken()));
        assertThat(claims.subject()).isEqualTo("u-alice");
        assertThat(claims.username()).isEqualTo("alice");
        assertThat(claims.sessionId()).isEqualTo(session.id());
        assertThat(claims.roles()).containsExactlyInAnyOrder("user", "editor");
        assertThat(claims.permissions()).containsExactly("posts:create");
        assertThat(claims.issuedAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
        assertThat(refreshed.accessTokenLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(codecs.csrf().verify(session.id(), refreshed.csrfToken())).isEmpty();
        assertThat(refreshed.session().roles()).containsExactlyInAnyOrder("user", "editor");
        assertThat(refreshed.session().permissions()).containsExactly("posts:create");
    }

    /**
     * A refresh proves nothing about the user, so the new token says what the session's login said:
     * the same methods and authentication time, however long ago, neither upgraded nor reset
     * (else refreshing would pass a max_age step-up rule the login no longer meets).
     */
    @Test
    void refreshKeepsTheSessionsAmrAndAuthTimeNeverResettingThem() {
        givenUser(users, "alice", "u-alice", Set.of("user"), Set.of(), UserStatus.ACTIVE);
        Session password = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        Session multiFactor = givenSession("u-alice", "alice", List.of("pwd", "otp", "mfa"), START.minusSeconds(20));

        clock.advance(Duration.ofMinutes(20));
        AccessTokenClaims passwordClaims = verified(codecs.verifier().verify(
                refreshed(service.refresh(cookiePrincipal(password))).accessToken()));
        Refreshed second = refreshed(service.refresh(cookiePrincipal(multiFactor)));
        AccessTokenClaims multiFactorClaims = verified(codecs.verifier().verify(second.accessToken()));

        assertThat(passwordClaims.amr()).containsExactly("pwd");
        assertThat(passwordClaims.authTime()).isEqualTo(START);
        assertThat(passwordClaims.acr()).isEqualTo("urn:authfn:acr:sfa");
        assertThat(multiFactorClaims.amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(multiFactorClaims.authTime()).isEqualTo(START.minusSeconds(20));
        assertThat(multiFactorClaims.issuedAt()).isEqualTo(START.plus(Duration.ofMinutes(20)));
        assertThat(second.session().amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(sessions.find(multiFactor.id(), clock.instant()).orElseThrow().authTime())
                .isEqualTo(START.minusSeconds(20));
    }

    @Test
    void refreshTakesARemovedRoleAwayFromTheSession() {
        Session session = givenSession("u-alice", "alice", Set.of("user", "admin"), Set.of("posts:create"));
        UserStore afterDemotion = new InMemoryUserStore();
        givenUser(afterDemotion, "alice", "u-alice", Set.of("user"), Set.of("posts:create"), UserStatus.ACTIVE);

        Refreshed refreshed = refreshed(service(afterDemotion).refresh(cookiePrincipal(session)));

        assertThat(sessions.find(session.id(), clock.instant()).orElseThrow().roles()).containsExactly("user");
        assertThat(refreshed.session().roles()).containsExactly("user");
        assertThat(verified(codecs.verifier().verify(refreshed.accessToken())).roles()).containsExactly("user");
    }

    @Test
    void refreshRefusesABearerPrincipal() {
        givenUser(users, "alice", "u-alice", Set.of("user"), Set.of(), UserStatus.ACTIVE);
        Session session = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        Principal bearer = new Principal("u-alice", "alice", Set.of("user"), Set.of(), session.id(), AuthType.BEARER);

        Refresh refresh = service.refresh(bearer);

        assertThat(refresh).isEqualTo(new RefreshRefused(RefreshReason.NOT_COOKIE));
        assertThat(sessions.find(session.id(), clock.instant())).contains(session);
    }

    @Test
    void refreshRefusesARevokedSession() {
        givenUser(users, "alice", "u-alice", Set.of("user"), Set.of(), UserStatus.ACTIVE);
        Session session = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        sessions.revoke(session.id(), "u-alice");

        Refresh refresh = service.refresh(cookiePrincipal(session));

        assertThat(refresh).isEqualTo(new RefreshRefused(RefreshReason.SESSION_ENDED));
    }

    @Test
    void refreshRefusesAnIdleExpiredSession() {
        givenUser(users, "alice", "u-alice", Set.of("user"), Set.of(), UserStatus.ACTIVE);
        Session session = givenSession("u-alice", "alice", Set.of("user"), Set.of());

        clock.advance(Duration.ofMinutes(30));
        Refresh refresh = service.refresh(cookiePrincipal(session));

        assertThat(refresh).isEqualTo(new RefreshRefused(RefreshReason.SESSION_ENDED));
    }

    @Test
    void refreshRefusesASessionOfAnotherUser() {
        givenUser(users, "alice", "u-alice", Set.of("user"), Set.of(), UserStatus.ACTIVE);
        Session bobs = givenSession("u-bob", "bob", Set.of("user"), Set.of());
        Principal aliceWithBobsSessionId =
                new Principal("u-alice", "alice", Set.of("user"), Set.of(), bobs.id(), AuthType.COOKIE);

        Refresh refresh = service.refresh(aliceWithBobsSessionId);

        assertThat(refresh).isEqualTo(new RefreshRefused(RefreshReason.SESSION_ENDED));
        assertThat(sessions.find(bobs.id(), clock.instant())).contains(bobs);
    }

    @Test
    void refreshOfADisabledUserRevokesAllTheirSessionsAndNoOneElses() {
        // Disabled by a path that had not yet revoked the sessions (the two writes are not atomic).
        givenUser(users, "alice", "u-alice", Set.of("user"), Set.of(), UserStatus.DISABLED);
        Session current = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        Session other = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        Session bobs = givenSession("u-bob", "bob", Set.of("user"), Set.of());

        Refresh refresh = service.refresh(cookiePrincipal(current));

        assertThat(refresh).isEqualTo(new RefreshRefused(RefreshReason.USER_INACTIVE));
        assertThat(sessions.find(current.id(), clock.instant())).isEmpty();
        assertThat(sessions.find(other.id(), clock.instant())).isEmpty();
        assertThat(sessions.find(bobs.id(), clock.instant())).contains(bobs);
    }

    @Test
    void refreshOfADeletedUserRevokesAllTheirSessions() {
        Session current = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        Session other = givenSession("u-alice", "alice", Set.of("user"), Set.of());

        Refresh refresh = service.refresh(cookiePrincipal(current));

        assertThat(refresh).isEqualTo(new RefreshRefused(RefreshReason.USER_INACTIVE));
        assertThat(sessions.listLive("u-alice", clock.instant())).isEmpty();
        assertThat(sessions.find(other.id(), clock.instant())).isEmpty();
    }

    @Test
    void refreshAfterTheUsernameWasGivenToSomeoneElseRevokesTheOldUsersSessions() {
        givenUser(users, "alice", "u-alice-2", Set.of("admin"), Set.of(), UserStatus.ACTIVE);
        Session oldAlices = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        Session newAlices = givenSession("u-alice-2", "alice", Set.of("admin"), Set.of());

        Refresh refresh = service.refresh(cookiePrincipal(oldAlices));

        assertThat(refresh).isEqualTo(new RefreshRefused(RefreshReason.USER_INACTIVE));
        assertThat(sessions.find(oldAlices.id(), clock.instant())).isEmpty();
        assertThat(sessions.find(newAlices.id(), clock.instant())).contains(newAlices);
    }

    @Test
    void refreshWritesAChangeOfPermissionsAloneToTheSession() {
        givenUser(users, "alice", "u-alice", Set.of("user"), Set.of("posts:create"), UserStatus.ACTIVE);
        Session session = givenSession("u-alice", "alice", Set.of("user"), Set.of());

        Refreshed refreshed = refreshed(service.refresh(cookiePrincipal(session)));

        assertThat(sessions.find(session.id(), clock.instant()).orElseThrow().permissions())
                .containsExactly("posts:create");
        assertThat(refreshed.session().permissions()).containsExactly("posts:create");
        assertThat(refreshed.session().roles()).containsExactly("user");
    }

    @Test
    void refreshRefusesASessionThatEndsBetweenItsReadAndItsSlide() {
        givenUser(users, "alice", "u-alice", Set.of("user"), Set.of(), UserStatus.ACTIVE);
        Session session = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        CountingSessionStore racing = new CountingSessionStore(sessions);
        racing.beforeTouch(() -> sessions.revoke(session.id(), "u-alice"));

        clock.advance(Duration.ofMinutes(10));
        Refresh refresh = new SessionService(racing, users, () -> codecs, TIMEOUTS, clock)
                .refresh(cookiePrincipal(session));

        assertThat(refresh).isEqualTo(new RefreshRefused(RefreshReason.SESSION_ENDED));
        assertThat(racing.touches()).isEqualTo(1);
        assertThat(sessions.find(session.id(), clock.instant())).isEmpty();
    }

    @Test
    void refreshRefusesASessionThatEndsBeforeItsNewGrantsAreWritten() {
        givenUser(users, "alice", "u-alice", Set.of("user", "editor"), Set.of(), UserStatus.ACTIVE);
        Session session = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        SessionStore racing = (SessionStore) Proxy.newProxyInstance(SessionStore.class.getClassLoader(),
                new Class<?>[] {SessionStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("updateGrants")) {
                        sessions.revoke(session.id(), "u-alice");
                    }
                    try {
                        return method.invoke(sessions, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        Refresh refresh = new SessionService(racing, users, () -> codecs, TIMEOUTS, clock).refresh(cookiePrincipal(session));

        assertThat(refresh).isEqualTo(new RefreshRefused(RefreshReason.SESSION_ENDED));
        assertThat(sessions.find(session.id(), clock.instant())).isEmpty();
    }

    @Test
    void aRefreshShowsItsSessionIdAndNeitherToken() {
        givenUser(users, "alice", "u-alice", Set.of("user"), Set.of(), UserStatus.ACTIVE);
        Session session = givenSession("u-alice", "alice", Set.of("user"), Set.of());

        Refreshed refreshed = refreshed(service.refresh(cookiePrincipal(session)));

        assertThat(refreshed.toString()).isEqualTo("Refreshed[sessionId=" + session.id() + "]");
    }

    // --- logout ---

    @Test
    void logoutRevokesOnlyThisSession() {
        Session current = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        Session other = givenSession("u-alice", "alice", Set.of("user"), Set.of());

        service.logout(cookiePrincipal(current));

        assertThat(sessions.find(current.id(), clock.instant())).isEmpty();
        assertThat(sessions.find(other.id(), clock.instant())).contains(other);
    }

    @Test
    void logoutOfAnEndedSessionIsNotAnError() {
        Session current = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        service.logout(cookiePrincipal(current));

        service.logout(cookiePrincipal(current));

        assertThat(sessions.find(current.id(), clock.instant())).isEmpty();
    }

    @Test
    void logoutAllRevokesEverySessionOfTheUserAndNoneOfAnother() {
        Session current = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        givenSession("u-alice", "alice", Set.of("user"), Set.of());
        givenSession("u-alice", "alice", Set.of("user"), Set.of());
        Session bobs = givenSession("u-bob", "bob", Set.of("user"), Set.of());

        OptionalInt revoked = service.logoutAll(cookiePrincipal(current));

        assertThat(revoked).hasValue(3);
        assertThat(sessions.listLive("u-alice", clock.instant())).isEmpty();
        assertThat(sessions.find(bobs.id(), clock.instant())).contains(bobs);
    }

    // --- list ---

    @Test
    void listShowsTheUsersLiveSessionsOldestFirstAndMarksTheCurrentOne() {
        Session expired = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        clock.advance(Duration.ofMinutes(20));
        Session second = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        clock.advance(Duration.ofMinutes(5));
        Session third = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        givenSession("u-bob", "bob", Set.of("user"), Set.of());
        clock.advance(Duration.ofMinutes(10)); // the first is now idle for 35 minutes

        List<Listed> listed = service.list(cookiePrincipal(third)).orElseThrow();

        assertThat(listed).containsExactly(new Listed(second, false), new Listed(third, true));
        assertThat(sessions.find(expired.id(), START)).isPresent();
    }

    @Test
    void listRefusesACallerWhoseSessionHasExpired() {
        Session current = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        clock.advance(Duration.ofHours(8));

        assertThat(service.list(cookiePrincipal(current))).isEmpty();
    }

    /**
     * With stateless bearer tokens the authorizer lets a token of a logged-out session through
     * until it expires; these routes act on sessions and must refuse it.
     */
    @Test
    void aCallerWhoseSessionHasEndedCanNeitherListNorRevokeNorLogOutAll() {
        Session loggedOut = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        Session sibling = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        sessions.revoke(loggedOut.id(), "u-alice");
        Principal stale = new Principal("u-alice", "alice", Set.of("user"), Set.of(), loggedOut.id(), AuthType.BEARER);

        assertThat(service.list(stale)).isEmpty();
        assertThat(service.revoke(stale, sibling.id())).isEqualTo(SessionService.Revocation.CALLER_SESSION_ENDED);
        assertThat(service.logoutAll(stale)).isEmpty();
        assertThat(sessions.find(sibling.id(), clock.instant())).contains(sibling);
    }

    @Test
    void aCallerClaimingAnotherUsersSessionIsRefused() {
        Session bobs = givenSession("u-bob", "bob", Set.of("user"), Set.of());
        Principal forged = new Principal("u-alice", "alice", Set.of("user"), Set.of(), bobs.id(), AuthType.BEARER);

        assertThat(service.logoutAll(forged)).isEmpty();
        assertThat(sessions.find(bobs.id(), clock.instant())).contains(bobs);
    }

    // --- revoke one ---

    @Test
    void revokeEndsAnotherOfTheUsersOwnSessions() {
        Session current = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        Session other = givenSession("u-alice", "alice", Set.of("user"), Set.of());

        assertThat(service.revoke(cookiePrincipal(current), other.id())).isEqualTo(SessionService.Revocation.REVOKED);
        assertThat(sessions.find(other.id(), clock.instant())).isEmpty();
        assertThat(sessions.find(current.id(), clock.instant())).contains(current);
    }

    @Test
    void revokeLeavesSomeoneElsesSessionAlone() {
        Session current = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        Session bobs = givenSession("u-bob", "bob", Set.of("user"), Set.of());

        assertThat(service.revoke(cookiePrincipal(current), bobs.id())).isEqualTo(SessionService.Revocation.NOT_FOUND);
        assertThat(sessions.find(bobs.id(), clock.instant())).contains(bobs);
    }

    @Test
    void revokeOfAnUnknownSessionIdIsFalse() {
        Session current = givenSession("u-alice", "alice", Set.of("user"), Set.of());

        assertThat(service.revoke(cookiePrincipal(current), SessionToken.generate(random).id()))
                .isEqualTo(SessionService.Revocation.NOT_FOUND);
    }

    @Test
    void revokeOfAMalformedSessionIdIsFalse() {
        Session current = givenSession("u-alice", "alice", Set.of("user"), Set.of());
        Principal alice = cookiePrincipal(current);

        assertThat(service.revoke(alice, null)).isEqualTo(SessionService.Revocation.NOT_FOUND);
        assertThat(service.revoke(alice, "")).isEqualTo(SessionService.Revocation.NOT_FOUND);
        assertThat(service.revoke(alice, "../" + current.id())).isEqualTo(SessionService.Revocation.NOT_FOUND);
        assertThat(service.revoke(alice, current.id() + "=")).isEqualTo(SessionService.Revocation.NOT_FOUND);
        assertThat(service.revoke(alice, current.id().substring(1))).isEqualTo(SessionService.Revocation.NOT_FOUND);
        assertThat(sessions.find(current.id(), clock.instant())).contains(current);
    }

    // --- the sessions index lags (issue 19, defect 5) ---

    @Test
    void logoutAllEndsASessionTheIndexDoesNotShowYet() {
        givenUser(users, "alice", "u-alice", Set.of("user"), Set.of(), UserStatus.ACTIVE);
        Session caller = givenLogin("alice");
        clock.advance(Duration.ofMinutes(1));
        Session fresh = givenLogin("alice");
        SessionService lagging = new SessionService(new LaggingIndexSessionStore(sessions, clock, Duration.ofSeconds(1)),
                users, () -> codecs, TIMEOUTS, clock);

        OptionalInt ended = lagging.logoutAll(cookiePrincipal(caller));

        assertThat(ended).hasValue(2);
        assertThat(sessions.find(fresh.id(), clock.instant())).isEmpty();
        assertThat(sessions.find(caller.id(), clock.instant())).isEmpty();
    }

    @Test
    void refreshOfADisabledUserEndsASessionTheIndexDoesNotShowYet() {
        givenUser(users, "alice", "u-alice", Set.of("user"), Set.of(), UserStatus.ACTIVE);
        Session caller = givenLogin("alice");
        clock.advance(Duration.ofMinutes(1));
        Session fresh = givenLogin("alice");
        users.disable("alice");
        SessionService lagging = new SessionService(new LaggingIndexSessionStore(sessions, clock, Duration.ofSeconds(1)),
                users, () -> codecs, TIMEOUTS, clock);

        Refresh refresh = lagging.refresh(cookiePrincipal(caller));

        assertThat(refresh).isEqualTo(new RefreshRefused(RefreshReason.USER_INACTIVE));
        assertThat(sessions.find(fresh.id(), clock.instant())).isEmpty();
    }

    /** A session started now and registered on the user, as the login starts one. */
    private Session givenLogin(String username) {
        User user = users.get(username).orElseThrow();
        Session session = givenSession(user.userId(), username, user.roles(), user.permissions());
        assertThat(users.registerSession(user, session.id(), session.absoluteExpiresAt(), clock.instant())).isTrue();
        return session;
    }

    // --- helpers ---

    private SessionService service(UserStore userStore) {
        return new SessionService(sessions, userStore, () -> codecs, TIMEOUTS, clock);
    }

    /** A user record as stored; the password plays no part here, so the hash is a placeholder. */
    private static void givenUser(
            UserStore store, String username, String userId, Set<String> roles, Set<String> permissions,
            UserStatus status) {
        assertThat(store.create(new User(username, userId, "$argon2id$unused", roles, permissions, status, 0, null)))
                .isTrue();
    }

    /** A session started now, as the login starts one. */
    private Session givenSession(String userId, String username, Set<String> roles, Set<String> permissions) {
        Instant now = clock.instant();
        SessionToken token = SessionToken.generate(random);
        Instant absolute = now.plus(TIMEOUTS.absolute());
        Session session = new Session(token.id(), token.secretHash(), userId, username, roles, permissions,
                now, now, TIMEOUTS.idleExpiry(now, absolute), absolute, "test-agent", "192.0.2.1");
        assertThat(sessions.create(session)).isTrue();
        return session;
    }

    /** A session started now whose user authenticated with {@code amr} at {@code authTime}. */
    private Session givenSession(String userId, String username, List<String> amr, Instant authTime) {
        Instant now = clock.instant();
        SessionToken token = SessionToken.generate(random);
        Instant absolute = now.plus(TIMEOUTS.absolute());
        Session session = new Session(token.id(), token.secretHash(), userId, username, Set.of("user"), Set.of(),
                now, now, TIMEOUTS.idleExpiry(now, absolute), absolute, "test-agent", "192.0.2.1", amr, authTime);
        assertThat(sessions.create(session)).isTrue();
        return session;
    }

    private static Principal cookiePrincipal(Session session) {
        return new Principal(session.userId(), session.username(), session.roles(), session.permissions(),
                session.id(), AuthType.COOKIE);
    }

    private static Refreshed refreshed(Refresh refresh) {
        assertThat(refresh).isInstanceOf(Refreshed.class);
        return (Refreshed) refresh;
    }

    private static AccessTokenClaims verified(AccessTokenResult result) {
        assertThat(result).isInstanceOf(AccessTokenResult.Verified.class);
        return ((AccessTokenResult.Verified) result).claims();
    }
}
