package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.authfn.core.authz.Amr;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.csrf.OriginCheck;
import dev.authfn.core.internal.Base64Url;
import dev.authfn.core.jwt.AccessTokenClaims;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.OAuthCredential;
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
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
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
 * The OAuth provider's flows over the in-memory stores (docs/API.md §18): each refusal of the
 * authorization and token endpoints, the code exchange, refresh rotation with reuse detection and
 * grace, client credentials, revocation and userinfo; and the security review's findings on the
 * provider (issue 17), kept as regression tests.
 */
class OAuthServiceTest {

    private static final Instant START = Instant.parse("2026-12-04T10:00:00Z");
    private static final String ISSUER = "https://auth.example.com";
    private static final CredentialCodecs.Settings SETTINGS = new CredentialCodecs.Settings(
            ISSUER, "authfn-api", "authfn-web", Duration.ofMinutes(5), Duration.ofSeconds(60), SessionTimeouts.DEFAULT);
    private static final String SPA = "https://app.example/callback";
    private static final String WIDGET = "https://widget.example/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private final MutableClock clock = new MutableClock(START);
    private final SecureRandom random = new SecureRandom();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final InMemorySessionStore sessions = new InMemorySessionStore();
    private final OAuthStore store = users.oauth();
    private final KeySet keys = KeySet.generate(Clock.fixed(START, ZoneOffset.UTC));
    private final CredentialCodecs codecs = new CredentialCodecs(keys, SETTINGS, random, clock);
    private final OAuthService service = new OAuthService(store, users, sessions, () -> codecs,
            new SessionStarter(users, sessions, () -> codecs, SessionTimeouts.DEFAULT, random), OAuthSettings.DEFAULT,
            ISSUER, "authfn-web", Duration.ofMinutes(5), random, clock);
    /** authfn's own authorizer, as the Lambda authorizer runs it in front of the first-party routes. */
    private final RequestAuthenticator authorizer = new RequestAuthenticator(sessions, () -> codecs,
            new HttpCookies("__Host-session", "__Host-csrf"), new OriginCheck(Set.of()), RoutePolicy.DEFAULT,
            SessionTimeouts.DEFAULT, false, clock);
    private final String billingSecret = OAuthCredential.generate(random);
    private final User alice = givenUser("alice", Set.of("user"), Set.of("posts:create"));

    OAuthServiceTest() {
        store.addClient(new OAuthClient("spa", Optional.empty(), List.of(SPA, "http://127.0.0.1/cb"),
                Set.of("openid", "profile", "email", "offline_access", "posts:create", "posts:delete"), START));
        store.addClient(new OAuthClient("billing", Optional.of(OAuthCredential.hash(billingSecret)),
                List.of("https://billing.example/cb"), Set.of("openid", "posts:create", "reports:read"), START));
    }

    // --- authorize: who may be sent back ---

    @Test
    void anUnknownOrMissingClientGetsAnErrorPageAndIsNeverRedirected() {
        assertThat(service.authorize(request("client_id", "nobody"), Optional.empty()))
                .isEqualTo(new OAuthService.ErrorPage("unknown_client", "The application that sent you here is not registered."));
        Map<String, List<String>> missing = request();
        missing.remove("client_id");
        assertThat(service.authorize(missing, Optional.empty())).isInstanceOf(OAuthService.ErrorPage.class);
        assertThat(service.authorize(request("client_id", "spa\n"), Optional.empty())).isInstanceOf(OAuthService.ErrorPage.class);
    }

    @Test
    void authfnsOwnClientIdIsNoOAuthClientEvenIfRegistered() {
        store.addClient(new OAuthClient("authfn-web", Optional.empty(), List.of(SPA), Set.of("openid"), START));
        assertThat(service.authorize(request("client_id", "authfn-web"), Optional.of(login())).reason())
                .isEqualTo("unknown_client");
        assertThat(token(form("grant_type", "refresh_token", "client_id", "authfn-web", "refresh_token", "x")).reason())
                .isEqualTo("invalid_client");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example/callback/", "https://app.example/callback?x=1", "https://app.example/callbacK",
        "https://App.example/callback", "https://evil.example/callback", "https://app.example/callback#f",
        "https://app.example.evil.example/callback", "http://localhost/cb", "http://127.0.0.1/cb/"})
    void aRedirectUriThatDiffersInAnyWayGetsAnErrorPage(String redirectUri) {
        OAuthService.Authorization answer = service.authorize(request("redirect_uri", redirectUri), Optional.of(login()));
        assertThat(answer).isInstanceOf(OAuthService.ErrorPage.class);
        assertThat(answer.reason()).isEqualTo("bad_redirect_uri");
    }

    @Test
    void aMissingRedirectUriGetsAnErrorPage() {
        Map<String, List<String>> request = request();
        request.remove("redirect_uri");
        assertThat(service.authorize(request, Optional.of(login())).reason()).isEqualTo("bad_redirect_uri");
    }

    @Test
    void aLoopbackRedirectUriMayUseAnyPort() {
        OAuthService.Authorization answer = service.authorize(request("redirect_uri", "http://127.0.0.1:51234/cb"),
                Optional.of(login()));
        assertThat(((OAuthService.Redirect) answer).location()).startsWith("http://127.0.0.1:51234/cb?code=");
    }

    // --- authorize: errors back to the client ---

    @Test
    void errorsAfterTheRedirectUriGoBackWithStateAndIss() {
        assertRedirectError(request("code_challenge", null), "invalid_request");
        assertRedirectError(request("code_challenge_method", "plain"), "invalid_request");
        assertRedirectError(request("code_challenge_method", null), "invalid_request");
        assertRedirectError(request("code_challenge", "too-short"), "invalid_request");
        assertRedirectError(request("response_type", "token"), "unsupported_response_type");
        assertRedirectError(request("response_type", null), "unsupported_response_type");
        assertRedirectError(request("scope", "openid admin:everything"), "invalid_scope");
        assertRedirectError(request("scope", "openid  profile"), "invalid_scope");
        assertRedirectError(request("prompt", "consent"), "invalid_request");
        assertRedirectError(request("max_age", "-1"), "invalid_request");
        assertRedirectError(request("nonce", "n".repeat(513)), "invalid_request");
        assertRedirectError(request("request", "eyJ..."), "request_not_supported");
        assertRedirectError(request("request_uri", "https://x"), "request_uri_not_supported");
    }

    @Test
    void aRepeatedParameterIsRefused() {
        Map<String, List<String>> request = request();
        request.put("scope", List.of("openid", "openid profile"));
        assertRedirectError(request, "invalid_request");
    }

    @Test
    void anOverlongStateIsRefusedWithoutBeingEchoed() {
        OAuthService.Redirect answer = (OAuthService.Redirect) service.authorize(request("state", "s".repeat(513)),
                Optional.of(login()));
        assertThat(query(answer.location())).containsEntry("error", "invalid_request").doesNotContainKey("state");
    }

    // --- authorize: the session ---

    @Test
    void withoutASessionTheLoginPageIsShownOrLoginRequiredSentBack() {
        assertThat(service.authorize(request(), Optional.empty())).isEqualTo(new OAuthService.LoginPage("login_required"));
        assertRedirectError(request("prompt", "none"), Optional.empty(), "login_required");
    }

    @Test
    void promptLoginAndATooOldLoginShowTheLoginPage() {
        Principal caller = login();
        assertThat(service.authorize(request("prompt", "login"), Optional.of(caller)))
                .isEqualTo(new OAuthService.LoginPage("login_requested"));
        clock.advance(Duration.ofSeconds(301));
        assertThat(service.authorize(request("max_age", "300"), Optional.of(caller)))
                .isEqualTo(new OAuthService.LoginPage("login_too_old"));
        assertRedirectError(with(request("max_age", "300"), "prompt", "none"), Optional.of(caller), "login_required");
        assertThat(service.authorize(request("max_age", "301"), Optional.of(caller))).isInstanceOf(OAuthService.Redirect.class);
    }

    @Test
    void aLiveSessionGetsACodeWithStateAndIss() {
        OAuthService.Redirect answer = (OAuthService.Redirect) service.authorize(request(), Optional.of(login()));
        Map<String, String> query = query(answer.location());
        assertThat(answer.location()).startsWith(SPA + "?code=");
        assertThat(query.get("code")).matches("[A-Za-z0-9_-]{43}");
        assertThat(query).containsEntry("state", "xyz state").containsEntry("iss", ISSUER);
        assertThat(answer.reason()).isEqualTo("issued");
        assertThat(answer.userId()).contains(alice.userId());
    }

    // --- the code exchange ---

    @Test
    void aCodeIsExchangedOnceForTokensBoundToANewGrantSession() throws Exception {
        Principal browser = login();
        String code = code(request("nonce", "n-0S6_WzA2Mj"), browser);
        OAuthService.Tokens tokens = (OAuthService.Tokens) exchange(code);

        Map<String, Object> body = tokens.body();
        assertThat(body).containsEntry("token_type", "Bearer").containsEntry("expires_in", 300L)
                .containsEntry("scope", "email offline_access openid posts:create profile");
        assertThat((String) body.get("refresh_token")).hasSize(87).contains(".");
        AccessTokenClaims access = verified((String) body.get("access_token"));
        assertThat(access.clientId()).isEqualTo("spa");
        assertThat(access.roles()).as("scopes, not the user's roles, say what a client may do").isEmpty();
        assertThat(access.subject()).isEqualTo(alice.userId());
        assertThat(access.permissions()).containsExactlyInAnyOrder("openid", "profile", "email", "offline_access",
                "posts:create");
        assertThat(access.sessionId()).isNotEqualTo(browser.sessionId());
        Session grant = sessions.find(access.sessionId(), clock.instant()).orElseThrow();
        assertThat(grant.amr()).isEqualTo(browser.amr());
        assertThat(grant.authTime()).isEqualTo(browser.authTime().orElseThrow());
        assertThat(grant.absoluteExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
        assertThat(grant.idleExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(14)));

        SignedJWT idToken = SignedJWT.parse((String) body.get("id_token"));
        assertThat(idToken.getHeader().getType().getType()).isEqualTo("JWT");
        JWTClaimsSet claims = idToken.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(ISSUER);
        assertThat(claims.getAudience()).containsExactly("spa");
        assertThat(claims.getSubject()).isEqualTo(alice.userId());
        assertThat(claims.getStringClaim("nonce")).isEqualTo("n-0S6_WzA2Mj");
        assertThat(claims.getStringClaim("azp")).isEqualTo("spa");
        assertThat(claims.getStringClaim("preferred_username")).isEqualTo("alice");
        assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
        assertThat(claims.getBooleanClaim("email_verified")).isTrue();
        assertThat(claims.getStringListClaim("amr")).isEqualTo(Amr.PASSWORD);
        assertThat(claims.getLongClaim("auth_time")).isEqualTo(START.getEpochSecond());
        assertThat(claims.getStringClaim("at_hash")).isEqualTo(atHash((String) body.get("access_token")));
        assertThat(claims.getStringClaim("sid")).isEqualTo(access.sessionId());
        assertThat(idToken.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(
                keys.activeJwtKey().jwk().toRSAKey()))).isTrue();
    }

    @Test
    void aSecondUseOfACodeIsRefusedAndEndsWhatTheFirstGave() {
        String code = code(request(), login());
        String accessToken = (String) ((OAuthService.Tokens) exchange(code)).body().get("access_token");
        String grantSession = verified(accessToken).sessionId();

        assertThat(exchange(code)).isEqualTo(OAuthService.TokenError.invalidGrant("code_reused"));
        assertThat(sessions.find(grantSession, clock.instant())).isEmpty();
    }

    @Test
    void eachMismatchOfTheCodeIsInvalidGrant() {
        assertThat(exchange(code(request(), login()), "spa", SPA, VERIFIER.replace('d', 'e')).reason()).isEqualTo("pkce_failed");
        assertThat(exchange(code(request(), login()), "spa", SPA + "/", VERIFIER).reason()).isEqualTo("code_mismatch");
        assertThat(exchange(code(request(), login()), "spa", SPA, "short").reason()).isEqualTo("pkce_failed");
        String other = code(request(), login());
        assertThat(tokenAsBilling(form("grant_type", "authorization_code", "code", other, "redirect_uri", SPA,
                "code_verifier", VERIFIER)).reason()).isEqualTo("code_mismatch");
        assertThat(exchange("A".repeat(43)).reason()).isEqualTo("code_unknown");
        assertThat(exchange("not a code").reason()).isEqualTo("code_unknown");
        String late = code(request(), login());
        clock.advance(Duration.ofSeconds(60));
        assertThat(exchange(late).reason()).isEqualTo("code_expired");
    }

    @Test
    void aCodeWhoseBrowserSessionEndedOrWhoseUserWasDisabledIsRefused() {
        Principal browser = login();
        String code = code(request(), browser);
        sessions.revoke(browser.sessionId(), alice.userId());
        assertThat(exchange(code).reason()).isEqualTo("session_ended");

        String second = code(request(), login());
        users.disable("alice");
        assertThat(exchange(second).reason()).isEqualTo("user_inactive");
    }

    @Test
    void missingParametersAreInvalidRequest() {
        assertThat(token(form("grant_type", "authorization_code", "client_id", "spa", "code", "x")))
                .isEqualTo(OAuthService.TokenError.invalidRequest("code, redirect_uri and code_verifier are required."));
        assertThat(token(form("client_id", "spa")))
                .isEqualTo(OAuthService.TokenError.invalidRequest("grant_type is required."));
        assertThat(token(form("grant_type", "password", "client_id", "spa")).reason()).isEqualTo("unsupported_grant_type");
        Map<String, List<String>> repeated = form("grant_type", "refresh_token", "client_id", "spa");
        repeated.put("refresh_token", List.of("a", "b"));
        assertThat(token(repeated)).isEqualTo(OAuthService.TokenError.invalidRequest("A parameter was given more than once."));
    }

    @Test
    void withoutOfflineAccessThereIsNoRefreshTokenAndTheGrantLivesAsLongAsItsAccessToken() {
        String code = code(request("scope", "openid"), login());
        Map<String, Object> body = ((OAuthService.Tokens) exchange(code)).body();
        assertThat(body).doesNotContainKey("refresh_token").containsEntry("scope", "openid");
        Session grant = sessions.find(verified((String) body.get("access_token")).sessionId(), clock.instant()).orElseThrow();
        assertThat(grant.absoluteExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    }

    @Test
    void anApiScopeTheUserDoesNotHoldIsLeftOut() {
        String code = code(request("scope", "openid posts:delete posts:create"), login());
        assertThat(((OAuthService.Tokens) exchange(code)).body()).containsEntry("scope", "openid posts:create")
                .doesNotContainKey("refresh_token");
        String plain = code(request("scope", "posts:create"), login());
        assertThat(((OAuthService.Tokens) exchange(plain)).body()).doesNotContainKey("id_token");
    }

    // --- client authentication ---

    @Test
    void clientAuthenticationFailuresAreInvalidClient() {
        Map<String, List<String>> grant = form("grant_type", "client_credentials");
        assertThat(service.token(basic("billing", "wrong"), grant, "", ""))
                .isEqualTo(new OAuthService.TokenError("invalid_client", 401, "invalid_client", "Client authentication failed.", true));
        assertThat(service.token(basic("nobody", billingSecret), grant, "", "").reason()).isEqualTo("invalid_client");
        assertThat(service.token("Bearer abc", grant, "", "")).isEqualTo(
                new OAuthService.TokenError("invalid_client", 401, "invalid_client", "Client authentication failed.", true));
        assertThat(service.token("Basic !!!", grant, "", "").reason()).isEqualTo("invalid_client");
        assertThat(service.token("Basic " + b64("no-colon"), grant, "", "").reason()).isEqualTo("invalid_client");
        assertThat(token(with(with(grant, "client_id", "billing"), "client_secret", "wrong")))
                .isEqualTo(new OAuthService.TokenError("invalid_client", 401, "invalid_client", "Client authentication failed.", false));
        assertThat(token(with(grant, "client_id", "billing")).reason()).as("a confidential client without its secret")
                .isEqualTo("invalid_client");
        assertThat(token(with(with(grant, "client_id", "spa"), "client_secret", billingSecret)).reason())
                .as("a public client has no secret to send").isEqualTo("invalid_client");
        assertThat(token(grant).reason()).as("no client at all").isEqualTo("invalid_client");
        assertThat(service.token(basic("billing", billingSecret), with(grant, "client_secret", billingSecret), "", ""))
                .isEqualTo(OAuthService.TokenError.invalidRequest("Use one client authentication method, not two."));
        assertThat(service.token(basic("billing", billingSecret), with(grant, "client_id", "spa"), "", "").reason())
                .isEqualTo("invalid_request");
    }

    @Test
    void aConfidentialClientAuthenticatesWithBasicOrPost() {
        assertThat(service.token(basic("billing", billingSecret), form("grant_type", "client_credentials"), "", ""))
                .isInstanceOf(OAuthService.Tokens.class);
        assertThat(token(form("grant_type", "client_credentials", "client_id", "billing", "client_secret", billingSecret)))
                .isInstanceOf(OAuthService.Tokens.class);
    }

    // --- refresh tokens ---

    @Test
    void aRefreshRotatesTheTokenAndSlidesTheGrant() {
        Map<String, Object> first = ((OAuthService.Tokens) exchange(code(request(), login()))).body();
        String firstRefresh = (String) first.get("refresh_token");
        String grantSession = verified((String) first.get("access_token")).sessionId();
        clock.advance(Duration.ofDays(1));

        OAuthService.Tokens second = (OAuthService.Tokens) refresh(firstRefresh);
        String secondRefresh = (String) second.body().get("refresh_token");
        assertThat(secondRefresh).isNotEqualTo(firstRefresh).startsWith(firstRefresh.substring(0, 44));
        assertThat(second.body()).containsKey("id_token").containsEntry("scope", "email offline_access openid posts:create profile");
        AccessTokenClaims access = verified((String) second.body().get("access_token"));
        assertThat(access.sessionId()).isEqualTo(grantSession);
        assertThat(sessions.find(access.sessionId(), clock.instant()).orElseThrow().idleExpiresAt())
                .isEqualTo(clock.instant().plus(Duration.ofDays(14)));
        assertThat(second.reason()).isEqualTo("refreshed");
    }

    @Test
    void theRotatedOutTokenIsGoodAgainWithinTheGraceWhichDoesNotStretch() {
        String first = (String) ((OAuthService.Tokens) exchange(code(request(), login()))).body().get("refresh_token");
        String second = (String) ((OAuthService.Tokens) refresh(first)).body().get("refresh_token");
        clock.advance(Duration.ofSeconds(9));

        OAuthService.TokenAnswer retried = refresh(first);
        assertThat(retried).as("a client retrying a lost response").isInstanceOf(OAuthService.Tokens.class);
        String third = (String) ((OAuthService.Tokens) retried).body().get("refresh_token");
        assertThat(third).isNotEqualTo(second);
        clock.advance(Duration.ofSeconds(1));
        assertThat(refresh(first).reason()).as("the grace is counted from the rotation, not the retry")
                .isEqualTo("refresh_reused");
        assertThat(refresh(third).reason()).as("the family has ended").isEqualTo("refresh_unknown");
        assertThat(refresh(second).reason()).isEqualTo("refresh_unknown");
    }

    @Test
    void aRetryWithinTheGraceKeepsTheTokenTheFirstRefreshReturnedGoodUntilOneOfThemIsUsed() {
        String first = (String) ((OAuthService.Tokens) exchange(code(request(), login()))).body().get("refresh_token");
        String winner = (String) ((OAuthService.Tokens) refresh(first)).body().get("refresh_token");
        String loser = (String) ((OAuthService.Tokens) refresh(first)).body().get("refresh_token");
        clock.advance(Duration.ofMinutes(5));

        OAuthService.TokenAnswer kept = refresh(winner);
        assertThat(kept).as("the client kept the first answer after all").isInstanceOf(OAuthService.Tokens.class);
        assertThat(refresh(loser).reason()).as("once one was used, the other is reuse").isEqualTo("refresh_reused");
    }

    @Test
    void eitherAnswerOfARaceMayBeKept() {
        String first = (String) ((OAuthService.Tokens) exchange(code(request(), login()))).body().get("refresh_token");
        refresh(first);
        String second = (String) ((OAuthService.Tokens) refresh(first)).body().get("refresh_token");
        clock.advance(Duration.ofMinutes(5));
        assertThat(refresh(second)).isInstanceOf(OAuthService.Tokens.class);
    }

    @Test
    void aPreviousTokenGetsAtMostFiveAnswersWithinItsGrace() {
        String first = (String) ((OAuthService.Tokens) exchange(code(request(), login()))).body().get("refresh_token");
        refresh(first);
        for (int retry = 0; retry < 5; retry++) {
            assertThat(refresh(first)).as("retry " + retry).isInstanceOf(OAuthService.Tokens.class);
        }
        assertThat(refresh(first).reason()).isEqualTo("refresh_reused");
    }

    @Test
    void reuseAfterTheGraceEndsTheFamilyAndItsSession() {
        Map<String, Object> body = ((OAuthService.Tokens) exchange(code(request(), login()))).body();
        String first = (String) body.get("refresh_token");
        String second = (String) ((OAuthService.Tokens) refresh(first)).body().get("refresh_token");
        clock.advance(Duration.ofSeconds(10));

        assertThat(refresh(first)).isEqualTo(OAuthService.TokenError.invalidGrant("refresh_reused"));
        assertThat(refresh(second).reason()).isEqualTo("refresh_unknown");
        assertThat(sessions.find(verified((String) body.get("access_token")).sessionId(), clock.instant())).isEmpty();
    }

    @Test
    void aTokenTwoRotationsOldIsReuseEvenWithinTheGrace() {
        String first = (String) ((OAuthService.Tokens) exchange(code(request(), login()))).body().get("refresh_token");
        String second = (String) ((OAuthService.Tokens) refresh(first)).body().get("refresh_token");
        refresh(second);
        assertThat(refresh(first).reason()).isEqualTo("refresh_reused");
    }

    @Test
    void aRefreshTokenIsBoundToItsClient() {
        String first = (String) ((OAuthService.Tokens) exchange(code(request(), login()))).body().get("refresh_token");
        assertThat(tokenAsBilling(form("grant_type", "refresh_token", "refresh_token", first)).reason())
                .isEqualTo("wrong_client");
        assertThat(refresh(first).reason()).as("the stolen family ended").isEqualTo("refresh_unknown");
    }

    @Test
    void endingTheUsersSessionsOrDisablingThemEndsTheirRefreshTokens() {
        String first = (String) ((OAuthService.Tokens) exchange(code(request(), login()))).body().get("refresh_token");
        AllSessions.end(users, sessions, "alice", alice.userId(), clock.instant());
        assertThat(refresh(first).reason()).isEqualTo("session_ended");

        String other = (String) ((OAuthService.Tokens) exchange(code(request(), login()))).body().get("refresh_token");
        users.disable("alice");
        assertThat(refresh(other).reason()).isIn("user_inactive", "session_ended");
    }

    @Test
    void aLogoutWithTheGrantsAccessTokenOrTheUserEndingItsSessionEndsItsRefreshTokens() {
        Map<String, Object> body = ((OAuthService.Tokens) exchange(code(request(), login()))).body();
        AccessTokenClaims access = verified((String) body.get("access_token"));
        SessionService sessionService = new SessionService(sessions, users, () -> codecs, SessionTimeouts.DEFAULT, clock);
        sessionService.logout(new Principal(access.subject(), access.username(), access.roles(), access.permissions(),
                access.sessionId(), AuthType.BEARER, access.amr(), Optional.of(access.authTime())));
        assertThat(refresh((String) body.get("refresh_token")).reason()).isEqualTo("session_ended");

        Map<String, Object> other = ((OAuthService.Tokens) exchange(code(request(), login()))).body();
        Principal browser = login();
        assertThat(sessionService.revoke(browser, verified((String) other.get("access_token")).sessionId()))
                .as("DELETE /auth/sessions/{id} from the user's browser").isEqualTo(SessionService.Revocation.REVOKED);
        assertThat(refresh((String) other.get("refresh_token")).reason()).isEqualTo("session_ended");
    }

    @Test
    void aGrantEndsAfterItsIdleAndAbsoluteLifetimes() {
        String idle = (String) ((OAuthService.Tokens) exchange(code(request(), login()))).body().get("refresh_token");
        clock.advance(Duration.ofDays(14));
        assertThat(refresh(idle).reason()).isEqualTo("session_ended");

        String token = (String) ((OAuthService.Tokens) exchange(code(request(), login()))).body().get("refresh_token");
        for (int day = 0; day < 2; day++) {
            clock.advance(Duration.ofDays(10));
            token = (String) ((OAuthService.Tokens) refresh(token)).body().get("refresh_token");
        }
        clock.advance(Duration.ofDays(10));
        assertThat(refresh(token).reason()).isEqualTo("refresh_expired");
    }

    @Test
    void aRefreshMayNarrowTheScopeButNeverWidenIt() {
        String first = (String) ((OAuthService.Tokens) exchange(code(request("scope", "openid offline_access"), login())))
                .body().get("refresh_token");
        assertThat(token(form("grant_type", "refresh_token", "client_id", "spa", "refresh_token", first,
                "scope", "openid posts:create")).reason()).isEqualTo("invalid_scope");
        OAuthService.Tokens narrowed = (OAuthService.Tokens) token(form("grant_type", "refresh_token", "client_id", "spa",
                "refresh_token", first, "scope", "offline_access"));
        assertThat(narrowed.body()).containsEntry("scope", "offline_access").doesNotContainKey("id_token");
        assertThat(refresh("not-a-token").reason()).isEqualTo("refresh_unknown");
        assertThat(refresh(first.substring(0, 44) + "A".repeat(43)).reason()).as("another secret under the family's id")
                .isEqualTo("refresh_reused");
        assertThat(refresh("A".repeat(43) + "." + "A".repeat(43)).reason()).isEqualTo("refresh_unknown");
    }

    @Test
    void aRefreshGrantsNoMoreThanTheClientMayAskForNow() {
        String first = (String) ((OAuthService.Tokens) exchange(code(request(), login()))).body().get("refresh_token");
        store.removeClient("spa");
        store.addClient(new OAuthClient("spa", Optional.empty(), List.of(SPA), Set.of("openid", "offline_access"), START));
        assertThat(((OAuthService.Tokens) refresh(first)).body()).containsEntry("scope", "offline_access openid");
    }

    @Test
    void ofTwoRefreshesRacingWithOneTokenBothGetTokensWithinTheGrace() {
        String first = (String) ((OAuthService.Tokens) exchange(code(request(), login()))).body().get("refresh_token");
        OAuthService racing = serviceOver(new RacingStore(store, 1));

        OAuthService.TokenAnswer answer = racing.token(null, form("grant_type", "refresh_token", "client_id", "spa",
                "refresh_token", first), "agent", "198.51.100.7");
        assertThat(answer).as("the loser reads again and finds its token the previous one").isInstanceOf(OAuthService.Tokens.class);

        String other = (String) ((OAuthService.Tokens) exchange(code(request(), login()))).body().get("refresh_token");
        OAuthService.TokenAnswer starved = serviceOver(new RacingStore(store, 2)).token(null, form("grant_type",
                "refresh_token", "client_id", "spa", "refresh_token", other), "agent", "198.51.100.7");
        assertThat(starved).as("two lost races in a row").isEqualTo(OAuthService.TokenError.invalidGrant("refresh_raced"));
    }

    // --- client credentials ---

    @Test
    void clientCredentialsGivesAConfidentialClientATokenOfItsOwn() throws Exception {
        OAuthService.Tokens tokens = (OAuthService.Tokens) service.token(basic("billing", billingSecret),
                form("grant_type", "client_credentials", "scope", "reports:read"), "", "");
        JWTClaimsSet claims = SignedJWT.parse((String) tokens.body().get("access_token")).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("billing");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("billing");
        assertThat(claims.getStringClaim("scope")).isEqualTo("reports:read");
        assertThat(claims.getClaim("sid")).isNull();
        assertThat(tokens.body()).doesNotContainKey("refresh_token").doesNotContainKey("id_token");
        assertThat(codecs.verifier().verify((String) tokens.body().get("access_token")))
                .as("the Lambda authorizer's verifier refuses a token without a session")
                .isInstanceOf(AccessTokenResult.Rejected.class);

        OAuthService.Tokens all = (OAuthService.Tokens) service.token(basic("billing", billingSecret),
                form("grant_type", "client_credentials"), "", "");
        assertThat(all.body()).containsEntry("scope", "posts:create reports:read");
        assertThat(service.token(basic("billing", billingSecret), form("grant_type", "client_credentials", "scope", "openid"),
                "", "").reason()).isEqualTo("invalid_scope");
        assertThat(token(form("grant_type", "client_credentials", "client_id", "spa")).reason())
                .isEqualTo("unauthorized_client");
        String signInOnly = OAuthCredential.generate(random);
        store.addClient(new OAuthClient("portal", Optional.of(OAuthCredential.hash(signInOnly)),
                List.of("https://portal.example/cb"), Set.of("openid", "profile"), START));
        assertThat(service.token(basic("portal", signInOnly), form("grant_type", "client_credentials"), "", ""))
                .as("a client with no API scope gets no token with none").isEqualTo(new OAuthService.TokenError(
                        "invalid_scope", 400, "invalid_scope",
                        "This client may ask for no API scope, so client_credentials gives it nothing.", false));
    }

    // --- revocation ---

    @Test
    void revokingARefreshTokenEndsTheGrant() {
        Map<String, Object> body = ((OAuthService.Tokens) exchange(code(request(), login()))).body();
        String refresh = (String) body.get("refresh_token");
        assertThat(revoke("spa", refresh)).isEqualTo(new OAuthService.Revoked("refresh_revoked"));
        assertThat(refresh(refresh).reason()).isEqualTo("refresh_unknown");
        assertThat(sessions.find(verified((String) body.get("access_token")).sessionId(), clock.instant())).isEmpty();
    }

    @Test
    void revokingAnAccessTokenEndsItsGrantSession() {
        Map<String, Object> body = ((OAuthService.Tokens) exchange(code(request("scope", "openid"), login()))).body();
        String accessToken = (String) body.get("access_token");
        assertThat(revoke("spa", accessToken)).isEqualTo(new OAuthService.Revoked("access_revoked"));
        assertThat(sessions.find(verified(accessToken).sessionId(), clock.instant())).isEmpty();
    }

    @Test
    void revokingSomethingUnknownOrAnotherClientsTokenChangesNothing() {
        Map<String, Object> body = ((OAuthService.Tokens) exchange(code(request(), login()))).body();
        String refresh = (String) body.get("refresh_token");
        assertThat(service.revoke(basic("billing", billingSecret), form("token", refresh)))
                .isEqualTo(new OAuthService.Revoked("unknown_token"));
        assertThat(service.revoke(basic("billing", billingSecret), form("token", (String) body.get("access_token"))))
                .isEqualTo(new OAuthService.Revoked("unknown_token"));
        assertThat(revoke("spa", "garbage")).isEqualTo(new OAuthService.Revoked("unknown_token"));
        assertThat(refresh(refresh)).isInstanceOf(OAuthService.Tokens.class);
        assertThat(service.revoke(null, form("client_id", "spa"))).isEqualTo(OAuthService.TokenError.invalidRequest("token is required."));
        assertThat(service.revoke(null, form("token", refresh)).reason()).isEqualTo("invalid_client");
    }

    // --- userinfo ---

    @Test
    void userinfoAnswersTheClaimsTheScopesAllow() {
        assertThat(service.userinfo(bearer(Set.of("openid", "profile", "email"))))
                .isEqualTo(new OAuthService.Claims(Map.of("sub", alice.userId(), "preferred_username", "alice",
                        "email", "alice@example.com", "email_verified", true)));
        assertThat(service.userinfo(bearer(Set.of("openid")))).isEqualTo(new OAuthService.Claims(Map.of("sub", alice.userId())));
        assertThat(service.userinfo(bearer(Set.of("posts:create")))).isEqualTo(new OAuthService.InsufficientScope("no_openid_scope"));
        users.disable("alice");
        assertThat(service.userinfo(bearer(Set.of("openid")))).isEqualTo(new OAuthService.InvalidToken("user_inactive"));
    }

    // --- discovery and CORS ---

    @Test
    void discoveryListsWhatIsSupportedAndNothingElse() {
        Map<String, Object> document = service.discovery();
        assertThat(document).containsEntry("issuer", ISSUER)
                .containsEntry("authorization_endpoint", ISSUER + "/oauth2/authorize")
                .containsEntry("token_endpoint", ISSUER + "/oauth2/token")
                .containsEntry("response_types_supported", List.of("code"))
                .containsEntry("code_challenge_methods_supported", List.of("S256"))
                .containsEntry("id_token_signing_alg_values_supported", List.of("RS256"))
                .containsEntry("authorization_response_iss_parameter_supported", true)
                .doesNotContainKey("token_endpoint_auth_signing_alg_values_supported")
                .doesNotContainKey("registration_endpoint");
    }

    @Test
    void onlyAPublicClientsOriginsMayReadAnswersFromABrowser() {
        assertThat(service.isCorsOrigin("https://app.example")).isTrue();
        assertThat(service.isCorsOrigin("https://billing.example")).as("a confidential client's").isFalse();
        assertThat(service.isCorsOrigin("https://evil.example")).isFalse();
        assertThat(service.isCorsOrigin(null)).isFalse();
        assertThat(service.isCorsOrigin("null")).isFalse();
    }

    // --- the security review's findings (issue 17): each failed on the code the review read and holds
    // since its fix (docs/SECURITY.md, the OAuth section) ---

    // H1: an OAuth client's access token is a full first-party credential

    /**
     * The widget was registered with scope "openid" and was granted only that; yet its access token
     * carries the administrator's roles, and authfn's own authorizer lets it through GET /admin
     * (RoutePolicy.DEFAULT: roles ["admin"]). Scopes restrict permissions only, roles pass unrestricted.
     */
    @Test
    void anOpenidOnlyClientTokenDoesNotGetTheUsersAdminRole() {
        String accessToken = widgetAccessTokenOfAnAdmin();
        AccessTokenClaims claims = verified(accessToken);
        assertThat(claims.permissions()).containsExactly("openid");

        assertThat(authorizer.authorize(bearerRequest("GET /admin", accessToken)))
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
        String accessToken = widgetAccessTokenOfAnAdmin();
        assertThat(authorizer.authorize(bearerRequest(route, accessToken))).as(route)
                .isNotInstanceOf(RequestAuthenticator.Allow.class);
    }

    // L: a replay racing the first exchange does not end what the first exchange gives

    /**
     * RFC 6749 §4.1.2 / API.md §18.2: a second use of a code ends the session its first use started.
     * The first use records the grant's session id when it spends the code, but creates the session
     * only afterwards; a replay arriving in between revokes a session that does not exist yet, and
     * the first exchange then creates it and hands out working tokens.
     */
    @Test
    void aReplayBetweenTheSpendAndTheGrantSessionStillEndsTheGrant() {
        ReplayingStore replaying = new ReplayingStore(store);
        OAuthService racing = serviceOver(replaying);
        replaying.service = racing;
        String code = code(request("scope", "openid"), login());
        replaying.rawCode = code;

        OAuthService.TokenAnswer first = racing.token(null, exchangeForm(code, "spa", SPA, VERIFIER), "agent",
                "198.51.100.7");
        assertThat(replaying.replay).isInstanceOf(OAuthService.TokenError.class);
        assertThat(((OAuthService.TokenError) replaying.replay).reason()).isEqualTo("code_reused");

        assertThat(first).as("the first use, overtaken by the replay, gets nothing")
                .isEqualTo(OAuthService.TokenError.invalidGrant("session_ended"));
        assertThat(sessions.listLive(alice.userId(), clock.instant())).as("the browser's session alone: no grant")
                .hasSize(1);
    }

    // M: two refreshes racing with one token: the winner's new refresh token is thrown away

    /**
     * API.md §18.5: "Two refreshes racing with one token: one rotates; the other finds its token now
     * the previous one, and within the grace gets tokens too." The loser's grace rotation replaced the
     * winner's new current hash (OAuthService.java:508-510 as the review read it), so the refresh token
     * the winner handed out was neither current nor previous: when the client keeps that one (two tabs,
     * or responses arriving in the other order), its next refresh is taken for reuse and ends the family.
     */
    @Test
    void bothRacersOfOneRefreshTokenGetARefreshTokenThatWorks() {
        String t1 = (String) ((OAuthService.Tokens) exchange(code(request("scope", "openid offline_access"), login())))
                .body().get("refresh_token");

        OAuthService.TokenAnswer winner = refresh(t1);
        clock.advance(Duration.ofMillis(200));
        OAuthService.TokenAnswer loser = refresh(t1);
        assertThat(winner).isInstanceOf(OAuthService.Tokens.class);
        assertThat(loser).as("the racer within the grace").isInstanceOf(OAuthService.Tokens.class);

        clock.advance(Duration.ofMinutes(4));
        String winnersToken = (String) ((OAuthService.Tokens) winner).body().get("refresh_token");
        assertThat(refresh(winnersToken)).as("the next refresh with the token the first racer got")
                .isInstanceOf(OAuthService.Tokens.class);
    }

    // --- helpers ---

    private OAuthService serviceOver(OAuthStore over) {
        return new OAuthService(over, users, sessions, () -> codecs,
                new SessionStarter(users, sessions, () -> codecs, SessionTimeouts.DEFAULT, random), OAuthSettings.DEFAULT,
                ISSUER, "authfn-web", Duration.ofMinutes(5), random, clock);
    }

    /** A store where, {@code races} times, another refresh of the same family rotates it just before this one. */
    private final class RacingStore extends DelegatingOAuthStore {
        private int races;

        RacingStore(OAuthStore store, int races) {
            super(store);
            this.races = races;
        }

        @Override
        public boolean rotate(RefreshFamily read, RefreshFamily next) {
            if (races-- > 0) {
                RefreshFamily now = delegate.family(read.familyId()).orElseThrow();
                delegate.rotate(now, now.rotated(now.currentHash(), OAuthCredential.hash(OAuthCredential.generate(random)),
                        clock.instant()));
            }
            return delegate.rotate(read, next);
        }
    }

    /** A store where a replay of the code arrives right after the first spend, before the first exchange goes on. */
    private final class ReplayingStore extends DelegatingOAuthStore {
        OAuthService service;
        String rawCode;
        OAuthService.TokenAnswer replay;
        private boolean replaying;

        ReplayingStore(OAuthStore store) {
            super(store);
        }

        @Override
        public CodeSpend spendCode(String codeHash, String grantSessionId, Instant now) {
            CodeSpend spend = delegate.spendCode(codeHash, grantSessionId, now);
            if (!replaying && replay == null && spend instanceof Spent) {
                // The replay: the same code, presented again while the first exchange is still under way.
                replaying = true;
                replay = service.token(null, exchangeForm(rawCode, "spa", SPA, VERIFIER), "attacker", "203.0.113.9");
                replaying = false;
            }
            return spend;
        }
    }

    private void assertRedirectError(Map<String, List<String>> request, String error) {
        assertRedirectError(request, Optional.of(login()), error);
    }

    private void assertRedirectError(Map<String, List<String>> request, Optional<Principal> caller, String error) {
        OAuthService.Authorization answer = service.authorize(request, caller);
        assertThat(answer).as(request.toString()).isInstanceOf(OAuthService.Redirect.class);
        OAuthService.Redirect redirect = (OAuthService.Redirect) answer;
        Map<String, String> query = query(redirect.location());
        assertThat(query).as(request.toString()).containsEntry("error", error).containsEntry("iss", ISSUER)
                .containsKey("error_description").doesNotContainKey("code");
        if (request.containsKey("state") && request.get("state").size() == 1 && request.get("state").get(0).length() < 100) {
            assertThat(query).containsEntry("state", request.get("state").get(0));
        }
        assertThat(redirect.reason()).isEqualTo(error);
    }

    /** A valid authorization request of the SPA, with {@code name} set to {@code value} (null: removed). */
    private static Map<String, List<String>> request(String... overrides) {
        Map<String, List<String>> request = form("response_type", "code", "client_id", "spa", "redirect_uri", SPA,
                "scope", "openid profile email offline_access posts:create", "state", "xyz state",
                "code_challenge", CHALLENGE, "code_challenge_method", "S256");
        for (int i = 0; i < overrides.length; i += 2) {
            request = with(request, overrides[i], overrides[i + 1]);
        }
        return request;
    }

    private static Map<String, List<String>> with(Map<String, List<String>> parameters, String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(parameters);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, List.of(value));
        }
        return copy;
    }

    private static Map<String, List<String>> form(String... pairs) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], List.of(pairs[i + 1]));
        }
        return form;
    }

    private String code(Map<String, List<String>> request, Principal caller) {
        OAuthService.Authorization answer = service.authorize(request, Optional.of(caller));
        assertThat(answer).as(request.toString()).isInstanceOf(OAuthService.Redirect.class);
        return query(((OAuthService.Redirect) answer).location()).get("code");
    }

    /**
     * The access token a third-party widget, registered for nothing but the user's identity
     * ("openid"), gets from the code flow of ada, an administrator who also holds posts:create.
     */
    private String widgetAccessTokenOfAnAdmin() {
        givenUser("ada", Set.of("user", "admin"), Set.of("posts:create"));
        store.addClient(new OAuthClient("widget", Optional.empty(), List.of(WIDGET), Set.of("openid"), START));
        String code = code(request("client_id", "widget", "redirect_uri", WIDGET, "scope", "openid"), login("ada"));
        OAuthService.TokenAnswer answer = exchange(code, "widget", WIDGET, VERIFIER);
        assertThat(answer).isInstanceOf(OAuthService.Tokens.class);
        return (String) ((OAuthService.Tokens) answer).body().get("access_token");
    }

    private OAuthService.TokenAnswer exchange(String code) {
        return exchange(code, "spa", SPA, VERIFIER);
    }

    private OAuthService.TokenAnswer exchange(String code, String clientId, String redirectUri, String verifier) {
        return token(exchangeForm(code, clientId, redirectUri, verifier));
    }

    private static Map<String, List<String>> exchangeForm(String code, String clientId, String redirectUri,
            String verifier) {
        return form("grant_type", "authorization_code", "client_id", clientId, "code", code,
                "redirect_uri", redirectUri, "code_verifier", verifier);
    }

    private OAuthService.TokenAnswer refresh(String refreshToken) {
        return token(form("grant_type", "refresh_token", "client_id", "spa", "refresh_token", refreshToken));
    }

    private OAuthService.TokenAnswer token(Map<String, List<String>> form) {
        return service.token(null, form, "agent", "198.51.100.7");
    }

    private OAuthService.TokenAnswer tokenAsBilling(Map<String, List<String>> form) {
        return service.token(basic("billing", billingSecret), form, "agent", "198.51.100.7");
    }

    private OAuthService.TokenAnswer revoke(String clientId, String token) {
        return service.revoke(null, form("client_id", clientId, "token", token));
    }

    private static String basic(String id, String secret) {
        return "Basic " + b64(id + ":" + secret);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private AccessTokenClaims verified(String accessToken) {
        AccessTokenResult result = codecs.verifier().verify(accessToken);
        assertThat(result).isInstanceOf(AccessTokenResult.Verified.class);
        return ((AccessTokenResult.Verified) result).claims();
    }

    private static String atHash(String accessToken) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Base64Url.encode(Arrays.copyOf(hash, 16));
    }

    private static Map<String, String> query(String location) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            query.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    /** A password login of alice now: her browser session, as the authorizer reads the cookie. */
    private Principal login() {
        return login("alice");
    }

    /** A password login of {@code username} now: the browser session, as the authorizer reads the cookie. */
    private Principal login(String username) {
        Session session = new SessionStarter(users, sessions, () -> codecs, SessionTimeouts.DEFAULT, random)
                .start(users.get(username).orElseThrow(), Amr.PASSWORD, "agent", "198.51.100.7", clock.instant())
                .orElseThrow().session();
        return new Principal(session.userId(), session.username(), session.roles(), session.permissions(), session.id(),
                AuthType.COOKIE, session.amr(), Optional.of(session.authTime()));
    }

    /** A request with {@code accessToken} as its bearer token to {@code route} ("METHOD /path"). */
    private static RequestAuthenticator.Request bearerRequest(String route, String accessToken) {
        return RequestAuthenticator.Request.builder().method(route.substring(0, route.indexOf(' '))).routeKey(route)
                .authorization("Bearer " + accessToken).build();
    }

    private Principal bearer(Set<String> scopes) {
        return new Principal(alice.userId(), "alice", Set.of("user"), scopes, "sid", AuthType.BEARER, Amr.PASSWORD,
                Optional.of(START));
    }

    private User givenUser(String name, Set<String> roles, Set<String> permissions) {
        User user = new User(name, "u-" + name, "hash", roles, permissions, UserStatus.ACTIVE, 0, null, 0,
                name + "@example.com", true);
        assertThat(users.create(user)).isTrue();
        return user;
    }
}
