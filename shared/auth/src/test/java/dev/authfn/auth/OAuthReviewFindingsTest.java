package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.authz.Amr;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.csrf.OriginCheck;
import dev.authfn.core.jwt.AccessTokenClaims;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.oauth.AuthorizationCode;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.oauth.RefreshFamily;
import dev.authfn.core.session.Session;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.testkit.InMemorySessionStore;
import dev.authfn.testkit.InMemoryUserStore;
import dev.authfn.testkit.MutableClock;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The security review's findings on the OAuth provider (issue 17), kept as regression tests: each
 * failed on the code the review read and holds since its fix (docs/SECURITY.md, the OAuth section).
 */
class OAuthReviewFindingsTest {

    private static final Instant START = Instant.parse("2026-12-04T10:00:00Z");
    private static final String ISSUER = "https://auth.example.com";
    private static final CredentialCodecs.Settings SETTINGS = new CredentialCodecs.Settings(
            ISSUER, "authfn-api", "authfn-web", Duration.ofMinutes(5), Duration.ofSeconds(60), SessionTimeouts.DEFAULT);
    private static final String CALLBACK = "https://widget.example/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private final MutableClock clock = new MutableClock(START);
    private final SecureRandom random = new SecureRandom();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final InMemorySessionStore sessions = new InMemorySessionStore();
    private final KeySet keys = KeySet.generate(Clock.fixed(START, ZoneOffset.UTC));
    private final CredentialCodecs codecs = new CredentialCodecs(keys, SETTINGS, random, clock);
    private final RequestAuthenticator authorizer = new RequestAuthenticator(sessions, () -> codecs,
            new HttpCookies("__Host-session", "__Host-csrf"), new OriginCheck(Set.of()), RoutePolicy.DEFAULT,
            SessionTimeouts.DEFAULT, false, clock);

    OAuthReviewFindingsTest() {
        // An administrator who also holds posts:create.
        assertThat(users.create(new User("alice", "u-alice", "hash", Set.of("user", "admin"), Set.of("posts:create"),
                UserStatus.ACTIVE, 0, null, 0, "alice@example.com", true))).isTrue();
        // A third-party widget that may ask for nothing but the user's identity.
        users.oauth().addClient(new OAuthClient("widget", Optional.empty(), List.of(CALLBACK), Set.of("openid"), START));
        users.oauth().addClient(new OAuthClient("spa", Optional.empty(), List.of(CALLBACK),
                Set.of("openid", "offline_access"), START));
    }

    // --- H1: an OAuth client's access token is a full first-party credential ---

    /**
     * The widget was registered with scope "openid" and was granted only that; yet its access token
     * carries alice's roles, and authfn's own authorizer lets it through GET /admin
     * (RoutePolicy.DEFAULT: roles ["admin"]). Scopes restrict permissions only, roles pass unrestricted.
     */
    @Test
    void anOpenidOnlyClientTokenDoesNotGetTheUsersAdminRole() {
        String accessToken = exchangeForWidget(service(users.oauth()));
        AccessTokenClaims claims = ((AccessTokenResult.Verified) codecs.verifier().verify(accessToken)).claims();
        assertThat(claims.permissions()).containsExactly("openid");

        assertThat(authorizer.authorize(bearer("GET /admin", accessToken)))
                .as("GET /admin with the widget's openid-only token")
                .isNotInstanceOf(RequestAuthenticator.Allow.class);
        assertThat(claims.roles()).as("roles in a token whose grant was scope=openid").isEmpty();
    }

    /**
     * The same token passes the authorizer on authfn's own account-management routes: binding a
     * passkey (the OAuth login was just made, so "login within 5 minutes" holds with the grant's
     * copied auth_time), changing the password (the bearer answer is a first-party token body),
     * ending every session of the user, listing them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"POST /auth/passkeys/register/options", "POST /auth/passkeys/register",
        "POST /auth/mfa/totp", "POST /auth/password/change", "POST /auth/logout-all", "GET /auth/sessions"})
    void aThirdPartyClientTokenIsNotAcceptedOnAccountManagementRoutes(String route) {
        String accessToken = exchangeForWidget(service(users.oauth()));
        assertThat(authorizer.authorize(bearer(route, accessToken))).as(route)
                .isNotInstanceOf(RequestAuthenticator.Allow.class);
    }

    // --- L: a replay racing the first exchange does not end what the first exchange gives ---

    /**
     * RFC 6749 §4.1.2 / API.md §18.2: a second use of a code ends the session its first use started.
     * The first use records the grant's session id when it spends the code, but creates the session
     * only afterwards; a replay arriving in between revokes a session that does not exist yet, and
     * the first exchange then creates it and hands out working tokens.
     */
    @Test
    void aReplayBetweenTheSpendAndTheGrantSessionStillEndsTheGrant() {
        ReplayingStore racing = new ReplayingStore(users.oauth());
        OAuthService service = service(racing);
        racing.service = service;
        String code = code(service);
        racing.rawCode = code;

        OAuthService.TokenAnswer first = service.token(null, exchangeForm(code), "agent", "192.0.2.1");
        assertThat(racing.replay).isInstanceOf(OAuthService.TokenError.class);
        assertThat(((OAuthService.TokenError) racing.replay).reason()).isEqualTo("code_reused");

        assertThat(first).as("the first use, overtaken by the replay, gets nothing")
                .isEqualTo(OAuthService.TokenError.invalidGrant("session_ended"));
        assertThat(sessions.listLive("u-alice", clock.instant())).as("the browser's session alone: no grant")
                .hasSize(1);
    }

    // --- M: two refreshes racing with one token: the winner's new refresh token is thrown away ---

    /**
     * API.md §18.5: "Two refreshes racing with one token: one rotates; the other finds its token now
     * the previous one, and within the grace gets tokens too." The loser's grace rotation replaces the
     * winner's new current hash (OAuthService.java:508-510), so the refresh token the winner handed
     * out is neither current nor previous: when the client keeps that one (two tabs, or responses
     * arriving in the other order), its next refresh is taken for reuse and ends the family.
     */
    @Test
    void bothRacersOfOneRefreshTokenGetARefreshTokenThatWorks() {
        OAuthService service = service(users.oauth());
        Map<String, List<String>> request = form("response_type", "code", "client_id", "spa", "redirect_uri", CALLBACK,
                "scope", "openid offline_access", "code_challenge", CHALLENGE, "code_challenge_method", "S256");
        String code = query(((OAuthService.Redirect) service.authorize(request, Optional.of(login()))).location())
                .get("code");
        OAuthService.Tokens first = (OAuthService.Tokens) service.token(null, form("grant_type", "authorization_code",
                "client_id", "spa", "code", code, "redirect_uri", CALLBACK, "code_verifier", VERIFIER), "a", "b");
        String t1 = (String) first.body().get("refresh_token");

        OAuthService.TokenAnswer winner = service.token(null, refreshForm(t1), "a", "b");
        clock.advance(Duration.ofMillis(200));
        OAuthService.TokenAnswer loser = service.token(null, refreshForm(t1), "a", "b");
        assertThat(winner).isInstanceOf(OAuthService.Tokens.class);
        assertThat(loser).as("the racer within the grace").isInstanceOf(OAuthService.Tokens.class);

        clock.advance(Duration.ofMinutes(4));
        String winnersToken = (String) ((OAuthService.Tokens) winner).body().get("refresh_token");
        OAuthService.TokenAnswer next = service.token(null, refreshForm(winnersToken), "a", "b");
        assertThat(next).as("the next refresh with the token the first racer got")
                .isInstanceOf(OAuthService.Tokens.class);
    }

    private static Map<String, List<String>> refreshForm(String refreshToken) {
        return form("grant_type", "refresh_token", "client_id", "spa", "refresh_token", refreshToken);
    }

    // --- helpers ---

    private OAuthService service(OAuthStore store) {
        return new OAuthService(store, users, sessions, () -> codecs,
                new SessionStarter(users, sessions, () -> codecs, SessionTimeouts.DEFAULT, random), OAuthSettings.DEFAULT,
                ISSUER, "authfn-web", Duration.ofMinutes(5), random, clock);
    }

    private String exchangeForWidget(OAuthService service) {
        String code = code(service);
        OAuthService.TokenAnswer answer = service.token(null, exchangeForm(code), "agent", "192.0.2.1");
        assertThat(answer).isInstanceOf(OAuthService.Tokens.class);
        return (String) ((OAuthService.Tokens) answer).body().get("access_token");
    }

    private String code(OAuthService service) {
        Map<String, List<String>> request = form("response_type", "code", "client_id", "widget", "redirect_uri", CALLBACK,
                "scope", "openid", "state", "s", "code_challenge", CHALLENGE, "code_challenge_method", "S256");
        OAuthService.Authorization answer = service.authorize(request, Optional.of(login()));
        assertThat(answer).isInstanceOf(OAuthService.Redirect.class);
        return query(((OAuthService.Redirect) answer).location()).get("code");
    }

    private static Map<String, List<String>> exchangeForm(String code) {
        return form("grant_type", "authorization_code", "client_id", "widget", "code", code, "redirect_uri", CALLBACK,
                "code_verifier", VERIFIER);
    }

    private Principal login() {
        Session session = new SessionStarter(users, sessions, () -> codecs, SessionTimeouts.DEFAULT, random)
                .start(users.get("alice").orElseThrow(), Amr.PASSWORD, "agent", "192.0.2.1", clock.instant())
                .orElseThrow().session();
        return new Principal(session.userId(), session.username(), session.roles(), session.permissions(), session.id(),
                AuthType.COOKIE, session.amr(), Optional.of(session.authTime()));
    }

    private static RequestAuthenticator.Request bearer(String route, String accessToken) {
        return RequestAuthenticator.Request.builder().method(route.substring(0, route.indexOf(' '))).routeKey(route)
                .authorization("Bearer " + accessToken).build();
    }

    private static Map<String, List<String>> form(String... pairs) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], List.of(pairs[i + 1]));
        }
        return form;
    }

    private static Map<String, String> query(String location) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            query.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    /** A store where a replay of the code arrives right after the first spend, before the first exchange goes on. */
    private final class ReplayingStore implements OAuthStore {
        private final OAuthStore store;
        OAuthService service;
        String rawCode;
        OAuthService.TokenAnswer replay;
        private boolean replaying;

        ReplayingStore(OAuthStore store) {
            this.store = store;
        }

        @Override
        public CodeSpend spendCode(String codeHash, String grantSessionId, Instant now) {
            CodeSpend spend = store.spendCode(codeHash, grantSessionId, now);
            if (!replaying && replay == null && spend instanceof Spent) {
                // The replay: the same code, presented again while the first exchange is still under way.
                replaying = true;
                replay = service.token(null, exchangeForm(rawCode), "attacker", "203.0.113.9");
                replaying = false;
            }
            return spend;
        }

        @Override
        public boolean addClient(OAuthClient client) {
            return store.addClient(client);
        }

        @Override
        public Optional<OAuthClient> client(String clientId) {
            return store.client(clientId);
        }

        @Override
        public List<OAuthClient> clients() {
            return store.clients();
        }

        @Override
        public boolean removeClient(String clientId) {
            return store.removeClient(clientId);
        }

        @Override
        public boolean isCorsOrigin(String origin) {
            return store.isCorsOrigin(origin);
        }

        @Override
        public void saveCode(AuthorizationCode code) {
            store.saveCode(code);
        }

        @Override
        public boolean saveFamily(RefreshFamily family) {
            return store.saveFamily(family);
        }

        @Override
        public Optional<RefreshFamily> family(String familyId) {
            return store.family(familyId);
        }

        @Override
        public boolean rotate(RefreshFamily read, RefreshFamily next) {
            return store.rotate(read, next);
        }

        @Override
        public boolean removeFamily(String familyId) {
            return store.removeFamily(familyId);
        }
    }
}
