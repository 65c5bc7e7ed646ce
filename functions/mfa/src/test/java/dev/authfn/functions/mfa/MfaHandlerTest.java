package dev.authfn.functions.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.Components;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.MfaProof;
import dev.authfn.auth.MfaService;
import dev.authfn.core.authz.Acr;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.StepUpChallenge;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.cookie.SessionCookieCodec;
import dev.authfn.core.json.Json;
import dev.authfn.core.jwt.AccessTokenClaims;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.mfa.MfaToken;
import dev.authfn.core.mfa.Totp;
import dev.authfn.core.session.Session;
import dev.authfn.core.user.User;
import dev.authfn.lambda.AuthorizerContext;
import dev.authfn.testkit.InMemoryStores;
import dev.authfn.testkit.UnavailableSessionStore;
import dev.authfn.testkit.lambda.Events;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.testkit.lambda.World;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

/**
 * The second-factor routes over the in-memory stores, with the sample events of {@code events/}
 * as API Gateway sends them (the authorizer's context replaced by the test's caller). Codes are
 * computed from the secret the enrolment showed, as an authenticator app would; the world's clock
 * stands still unless a test moves it, one TOTP step at a time so that each code is fresh.
 */
class MfaHandlerTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String IP = "203.0.113.10";
    private static final Duration STEP = Totp.STEP;
    private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json",
            "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff");
    private static final Map<String, String> PROBLEM_HEADERS = Map.of("Content-Type", "application/problem+json",
            "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff");
    private static final Map<String, String> NO_CONTENT_HEADERS = Map.of("Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff");
    private static final String SESSION_COOKIE_ATTRIBUTES = "; Max-Age=28800; Path=/; Secure; HttpOnly; SameSite=Lax";
    private static final String CSRF_COOKIE_ATTRIBUTES = "; Max-Age=28800; Path=/; Secure; SameSite=Strict";
    /** What {@code StepUp.recentLogin(5 min)} answers, exactly as RFC 9470 §3 writes it. */
    private static final String RECENT_LOGIN_CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"A more recent login is required\", max_age=300";

    private static final String MFA_FAILED = problem("mfa-failed", "Second factor failed", 401,
            "The code is wrong or used, or the login attempt expired; try the next code, or log in again.");
    private static final String LOCKED = problem("account-locked", "Too many failed logins", 429,
            "Too many failed logins; try again later.");
    private static final String NOT_AUTHENTICATED = problem("not-authenticated", "Not authenticated", 401,
            "The session has ended; log in again.");
    private static final String STEP_UP_REQUIRED = problem("step-up-required", "Step-up authentication required", 401,
            "This route needs a stronger or more recent login; the WWW-Authenticate header says which.");
    private static final String ONE_PROOF = problem("malformed-request", "Malformed request", 400,
            "Send \"code\" or \"recovery_code\", exactly one, as a string.");

    private final World world = new World();
    private final RecordingContext context = new RecordingContext();
    private final MfaHandler handler = new MfaHandler(world.components);
    private final MfaService mfa = world.components.mfaService();
    private final Totp totp = new Totp();
    private final User alice = world.addUser("alice", PASSWORD, Set.of("user"), Set.of("posts:create"));

    /** Alice's factor as her app holds it, and the recovery codes its confirmation showed once. */
    private record Factor(byte[] secret, List<String> recoveryCodes) {
    }

    // --- POST /auth/mfa/verify ---

    @Test
    void theRightCodeAnswersTheLoginBodyWithBothCookiesAndASessionOfPasswordOtpAndMfa() {
        Factor factor = givenFactor();
        world.clock.advance(STEP);
        String mfaToken = mfaToken();

        APIGatewayV2HTTPResponse response = call(verify(Map.of("mfa_token", mfaToken, "code", codeNow(factor))));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        Map<String, Object> body = body(response);
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "csrf_token", "session")
                .containsEntry("token_type", "Bearer").containsEntry("expires_in", 300L);
        @SuppressWarnings("unchecked")
        Map<String, Object> sessionView = (Map<String, Object>) body.get("session");
        String sessionId = (String) sessionView.get("id");
        Instant now = world.clock.instant();
        assertThat(sessionView).containsExactly(Map.entry("id", sessionId),
                Map.entry("expires_at", now.plus(Duration.ofHours(8)).toString()),
                Map.entry("idle_expires_at", now.plus(Duration.ofMinutes(30)).toString()));
        assertCookiesOf(response, sessionId, (String) body.get("csrf_token"));
        Session session = world.sessions.find(sessionId, now).orElseThrow();
        assertThat(session.amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(session.authTime()).isEqualTo(now);
        AccessTokenClaims claims = ((AccessTokenResult.Verified) world.codecs.get().verifier()
                .verify((String) body.get("access_token"))).claims();
        assertThat(claims.sessionId()).isEqualTo(sessionId);
        assertThat(claims.amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(world.users.get("alice").orElseThrow().failedLogins()).isZero();
        assertThat(context.lines()).containsExactly(
                "INFO mfa-verify outcome=success ip=" + IP + " user=alice sid=" + sessionId);
    }

    @Test
    void theSampleEventGetsTheOneRefusalAsATokenOfAnotherKey() {
        APIGatewayV2HTTPResponse response = call(Events.http("mfa-verify.json"));

        assertMfaFailed(response);
        assertThat(context.lines()).containsExactly("WARN mfa-verify outcome=refused reason=MFA_TOKEN_INVALID ip=" + IP);
    }

    @Test
    void aTamperedExpiredForeignOrMalformedTokenGetsTheOneRefusalAndCountsNothing() {
        Factor factor = givenFactor();
        world.clock.advance(STEP);
        String issued = mfaToken();
        String timely = mfaToken();
        int dot = issued.indexOf('.');
        String otherMac = issued.substring(0, dot + 1) + flip(issued.charAt(dot + 1)) + issued.substring(dot + 2);
        String otherPayload = flip(issued.charAt(0)) + issued.substring(1);
        String cookie = Events.http("mfa-totp-enrol.json").getCookies().get(0);
        String cookieValue = cookie.substring(cookie.indexOf('=') + 1);
        int failuresBefore = world.users.get("alice").orElseThrow().failedLogins();

        List<APIGatewayV2HTTPResponse> refused = new ArrayList<>();
        for (String token : List.of(otherMac, otherPayload, cookieValue, "not a token", "", issued + "A")) {
            refused.add(call(verify(Map.of("mfa_token", token, "code", codeNow(factor)))));
        }
        world.clock.advance(MfaToken.LIFETIME.minusSeconds(1));
        APIGatewayV2HTTPResponse lastSecond = call(verify(Map.of("mfa_token", timely, "code", codeNow(factor))));
        world.clock.advance(Duration.ofSeconds(1));
        refused.add(call(verify(Map.of("mfa_token", issued, "code", codeNow(factor)))));

        assertThat(refused).hasSize(7).allSatisfy(MfaHandlerTest::assertMfaFailed);
        assertThat(lastSecond.getStatusCode()).as("a token is good until its fifth minute ends").isEqualTo(200);
        assertThat(context.lines()).filteredOn(line -> line.startsWith("WARN"))
                .hasSize(7).allMatch(line -> line.equals("WARN mfa-verify outcome=refused reason=MFA_TOKEN_INVALID ip=" + IP));
        assertThat(failuresBefore).isEqualTo(2);
        assertThat(world.users.get("alice").orElseThrow().failedLogins()).as("the one success reset the count").isZero();
    }

    @Test
    void aCodeIsGoodOnceEvenWithAFreshTokenAndATokenMakesOneSession() {
        Factor factor = givenFactor();
        world.clock.advance(STEP);
        String code = codeNow(factor);
        String token = mfaToken();
        APIGatewayV2HTTPResponse first = call(verify(Map.of("mfa_token", token, "code", code)));

        APIGatewayV2HTTPResponse replayed = call(verify(Map.of("mfa_token", mfaToken(), "code", code)));
        world.clock.advance(STEP);
        APIGatewayV2HTTPResponse spentToken = call(verify(Map.of("mfa_token", token, "code", codeNow(factor))));

        assertThat(first.getStatusCode()).isEqualTo(200);
        assertMfaFailed(replayed);
        assertMfaFailed(spentToken);
        assertThat(world.sessions.listLive(alice.userId(), world.clock.instant())).hasSize(2);
        assertThat(context.lines()).containsExactly(
                "INFO mfa-verify outcome=success ip=" + IP + " user=alice sid=" + sessionIdOf(first),
                "WARN mfa-verify outcome=refused reason=CODE_REPLAYED ip=" + IP,
                "WARN mfa-verify outcome=refused reason=MFA_TOKEN_SPENT ip=" + IP);
    }

    @Test
    void aRecoveryCodeLogsInOnceInAnySpellingAndItsSecondUseGetsTheOneRefusal() {
        Factor factor = givenFactor();
        String recoveryCode = factor.recoveryCodes().get(4);

        APIGatewayV2HTTPResponse first = call(verify(Map.of("mfa_token", mfaToken(),
                "recovery_code", recoveryCode.toUpperCase(java.util.Locale.ROOT).replace('-', ' '))));
        APIGatewayV2HTTPResponse again = call(verify(Map.of("mfa_token", mfaToken(), "recovery_code", recoveryCode)));
        APIGatewayV2HTTPResponse made = call(verify(Map.of("mfa_token", mfaToken(), "recovery_code", "aaaaa-aaaaa")));

        assertThat(first.getStatusCode()).isEqualTo(200);
        assertThat(first.getHeaders()).isEqualTo(JSON_HEADERS);
        assertCookiesOf(first, sessionIdOf(first), (String) body(first).get("csrf_token"));
        assertThat(world.sessions.find(sessionIdOf(first), world.clock.instant()).orElseThrow().amr())
                .containsExactly("pwd", "otp", "mfa");
        assertMfaFailed(again);
        assertMfaFailed(made);
        assertThat(world.users.mfa().totp("alice").orElseThrow().recoveryCodesLeft()).isEqualTo(9);
        assertThat(context.lines()).containsExactly(
                "INFO mfa-verify outcome=success ip=" + IP + " user=alice sid=" + sessionIdOf(first),
                "WARN mfa-verify outcome=refused reason=WRONG_RECOVERY_CODE ip=" + IP,
                "WARN mfa-verify outcome=refused reason=WRONG_RECOVERY_CODE ip=" + IP);
    }

    @Test
    void wrongCodesCountTowardTheLockoutAndThenEvenTheRightCodeGets429WithRetryAfter() {
        Factor factor = givenFactor();
        world.clock.advance(STEP);
        String token = mfaToken();
        String wrong = otherCode(codeNow(factor));

        // The password step counted one failure; three wrong codes are free, the fourth locks.
        List<APIGatewayV2HTTPResponse> free = List.of(call(verify(Map.of("mfa_token", token, "code", wrong))),
                call(verify(Map.of("mfa_token", token, "code", wrong))),
                call(verify(Map.of("mfa_token", token, "code", wrong))));
        APIGatewayV2HTTPResponse locking = call(verify(Map.of("mfa_token", token, "code", wrong)));
        APIGatewayV2HTTPResponse rightWhileLocked = call(verify(Map.of("mfa_token", token, "code", codeNow(factor))));
        world.clock.advance(Duration.ofSeconds(1));
        APIGatewayV2HTTPResponse afterTheLock = call(verify(Map.of("mfa_token", token, "code", codeNow(factor))));

        assertThat(free).allSatisfy(MfaHandlerTest::assertMfaFailed);
        for (APIGatewayV2HTTPResponse locked : List.of(locking, rightWhileLocked)) {
            assertThat(locked.getStatusCode()).isEqualTo(429);
            assertThat(locked.getHeaders()).isEqualTo(withHeader(PROBLEM_HEADERS, "Retry-After", "1"));
            assertThat(locked.getBody()).isEqualTo(LOCKED);
            assertThat(locked.getCookies()).isNull();
        }
        assertThat(afterTheLock.getStatusCode()).as("the code was not spent while locked").isEqualTo(200);
        assertThat(context.lines()).containsExactly(
                "WARN mfa-verify outcome=refused reason=WRONG_CODE ip=" + IP,
                "WARN mfa-verify outcome=refused reason=WRONG_CODE ip=" + IP,
                "WARN mfa-verify outcome=refused reason=WRONG_CODE ip=" + IP,
                "WARN mfa-verify outcome=locked ip=" + IP + " retry_after=1",
                "WARN mfa-verify outcome=locked ip=" + IP + " retry_after=1",
                "INFO mfa-verify outcome=success ip=" + IP + " user=alice sid=" + sessionIdOf(afterTheLock));
    }

    @Test
    void takesExactlyOneOfCodeAndRecoveryCodeAsStringsBesideTheToken() {
        givenFactor();
        String token = mfaToken();

        APIGatewayV2HTTPResponse both = call(verify(Map.of("mfa_token", token, "code", "123456",
                "recovery_code", "aaaaa-bbbbb-ccccc-ddddd-eeeee-f")));
        APIGatewayV2HTTPResponse neither = call(verify(Map.of("mfa_token", token)));
        APIGatewayV2HTTPResponse number = call(verify(Map.of("mfa_token", token, "code", 123456L)));
        APIGatewayV2HTTPResponse noToken = call(verify(Map.of("code", "123456")));
        APIGatewayV2HTTPEvent notJson = verify(Map.of());
        notJson.setBody("{\"mfa_token\":");
        APIGatewayV2HTTPResponse truncated = call(notJson);

        for (APIGatewayV2HTTPResponse oneProof : List.of(both, neither)) {
            assertThat(oneProof.getStatusCode()).isEqualTo(400);
            assertThat(oneProof.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(oneProof.getBody()).isEqualTo(ONE_PROOF);
        }
        assertThat(number.getBody()).isEqualTo(problem("malformed-request", "Malformed request", 400,
                "\"code\" must be a string."));
        assertThat(noToken.getBody()).isEqualTo(problem("malformed-request", "Malformed request", 400,
                "\"mfa_token\" must be a string."));
        assertThat(truncated.getBody()).isEqualTo(problem("malformed-request", "Malformed request", 400,
                "The body is not a JSON object."));
        assertThat(world.users.get("alice").orElseThrow().failedLogins()).as("only the password step counted").isOne();
        assertThat(context.lines()).hasSize(5)
                .allMatch(line -> line.equals("WARN mfa-verify outcome=refused reason=MALFORMED_REQUEST ip=" + IP));
    }

    @Test
    void refusesACrossSiteSecondStepBeforeReadingIt() {
        Factor factor = givenFactor();
        world.clock.advance(STEP);
        APIGatewayV2HTTPEvent event = verify(Map.of("mfa_token", mfaToken(), "code", codeNow(factor)));
        event.getHeaders().put("origin", "https://evil.example");
        event.getHeaders().put("sec-fetch-site", "cross-site");

        APIGatewayV2HTTPResponse response = call(event);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo(problem("cross-site-request", "Cross-site request refused", 403,
                "Logins from other sites are refused."));
        assertThat(response.getCookies()).isNull();
        assertThat(world.users.mfa().totp("alice").orElseThrow().lastStep())
                .as("the code was not spent").isEqualTo(totp.step(world.clock.instant()) - 1);
        assertThat(context.lines()).containsExactly("WARN mfa-verify outcome=refused reason=CROSS_SITE ip=" + IP);
    }

    @Test
    void refusesOtherContentTypesAndBodiesOverFourKibibytes() {
        givenFactor();
        APIGatewayV2HTTPEvent text = verify(Map.of("mfa_token", mfaToken(), "code", "123456"));
        text.getHeaders().put("content-type", "text/plain");
        String padding = "x".repeat(MfaHandler.MAX_BODY_BYTES - "{\"mfa_token\":\"\",\"code\":\"123456\"}".length());
        APIGatewayV2HTTPEvent atTheLimit = verify(Map.of());
        atTheLimit.setBody("{\"mfa_token\":\"" + padding + "\",\"code\":\"123456\"}");
        APIGatewayV2HTTPEvent overIt = verify(Map.of());
        overIt.setBody("{\"mfa_token\":\"" + padding + "x\",\"code\":\"123456\"}");

        APIGatewayV2HTTPResponse unsupported = call(text);
        APIGatewayV2HTTPResponse limit = call(atTheLimit);
        APIGatewayV2HTTPResponse tooLarge = call(overIt);

        assertThat(unsupported.getStatusCode()).isEqualTo(415);
        assertThat(unsupported.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(unsupported.getBody()).isEqualTo(problem("unsupported-media-type", "Unsupported media type", 415,
                "Send application/json."));
        assertThat(atTheLimit.getBody()).hasSize(MfaHandler.MAX_BODY_BYTES);
        assertMfaFailed(limit);
        assertThat(tooLarge.getStatusCode()).isEqualTo(413);
        assertThat(tooLarge.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(tooLarge.getBody()).isEqualTo(problem("payload-too-large", "Payload too large", 413,
                "The body is too large."));
        assertThat(context.lines()).containsExactly(
                "WARN mfa-verify outcome=refused reason=UNSUPPORTED_MEDIA_TYPE ip=" + IP,
                "WARN mfa-verify outcome=refused reason=MFA_TOKEN_INVALID ip=" + IP,
                "WARN mfa-verify outcome=refused reason=BODY_TOO_LARGE ip=" + IP);
    }

    @Test
    void aSessionsTableThatCannotAnswerIs503WithoutTheCause() {
        Factor factor = givenFactor();
        world.clock.advance(STEP);
        MfaHandler down = new MfaHandler(world.components(new InMemoryStores(new UnavailableSessionStore(), world.users)));

        APIGatewayV2HTTPResponse response = call(down, verify(Map.of("mfa_token", mfaToken(), "code", codeNow(factor))));

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo(problem("store-unavailable", "Service unavailable", 503,
                "The second factor is unavailable; try again shortly."));
        assertThat(response.getCookies()).isNull();
        assertThat(context.lines()).containsExactly("ERROR mfa-verify outcome=error reason=STORE_UNAVAILABLE ip=" + IP);
    }

    // --- POST /auth/mfa/totp ---

    @Test
    void enrolmentAnswersTheSecretAndItsOtpauthUriAndLeavesTheFactorPending() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        APIGatewayV2HTTPResponse response = call(enrol(principal(login, AuthType.COOKIE)));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        assertThat(response.getCookies()).isNull();
        String secret = (String) body(response).get("secret");
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(response.getBody()).isEqualTo("{\"secret\":\"" + secret + "\",\"otpauth_uri\":\"otpauth://totp/authfn:alice?secret="
                + secret + "&issuer=authfn&algorithm=SHA1&digits=6&period=30\"}");
        assertThat(world.users.get("alice").orElseThrow().mfaEnrolled()).isFalse();
        assertThat(world.users.mfa().totp("alice").orElseThrow().confirmed()).isFalse();
        assertThat(world.users.mfa().totp("alice").orElseThrow().sealedSecret()).doesNotContain(secret);
        assertThat(context.lines()).containsExactly("INFO mfa-enrol outcome=pending ip=" + IP + " user=alice");
    }

    @Test
    void enrolmentAndConfirmationAnswer409OnceTheFactorIsOn() {
        Factor factor = givenFactor();
        Principal caller = principal(secondStep(factor), AuthType.COOKIE);

        APIGatewayV2HTTPResponse enrolAgain = call(enrol(caller));
        APIGatewayV2HTTPResponse confirmAgain = call(confirm(caller, Map.of("code", "123456")));

        assertThat(enrolAgain.getStatusCode()).isEqualTo(409);
        assertThat(enrolAgain.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(enrolAgain.getBody()).isEqualTo(problem("mfa-already-enrolled", "Second factor already enrolled", 409,
                "This account has a second factor already; remove it first."));
        assertThat(confirmAgain.getStatusCode()).isEqualTo(409);
        assertThat(confirmAgain.getBody()).isEqualTo(problem("mfa-already-enrolled", "Second factor already enrolled", 409,
                "This account has a second factor already."));
        assertThat(context.lines()).containsExactly(
                "WARN mfa-enrol outcome=refused reason=ALREADY_ENROLLED ip=" + IP + " user=alice",
                "WARN mfa-confirm outcome=refused reason=ALREADY_ENROLLED ip=" + IP + " user=alice");
    }

    @Test
    void aKeySetWithoutAnMfaKeyAnswers503MfaUnavailable() {
        KeySet withoutMfa = KeySet.parse(world.keys.toJson()
                .replaceAll("\\{[^{}]*\"purpose\":\"mfa\"[^{}]*\\},?", "").replace(",]", "]"));
        MfaHandler plain = new MfaHandler(Components.of(AuthfnConfig.fromEnvironment(world.environment()),
                new InMemoryStores(world.sessions, world.users), () -> withoutMfa, world.clock));
        Principal caller = principal(world.login("alice", PASSWORD), AuthType.COOKIE);

        APIGatewayV2HTTPResponse response = call(plain, enrol(caller));

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo(problem("mfa-unavailable", "Second factor unavailable", 503,
                "Second factors are not set up here (the key set has no mfa key)."));
        assertThat(world.users.mfa().totp("alice")).isEmpty();
        assertThat(context.lines()).containsExactly("ERROR mfa-enrol outcome=error reason=NO_MFA_KEY ip=" + IP);
    }

    // --- the authorized routes' checks ---

    @Test
    void aLoginOlderThanFiveMinutesGetsTheRecentLoginChallengeOnEveryAuthorizedRoute() {
        Principal caller = principal(world.login("alice", PASSWORD), AuthType.COOKIE);
        world.clock.advance(MfaHandler.RECENT_LOGIN);
        APIGatewayV2HTTPResponse justInTime = call(enrol(caller));
        world.clock.advance(Duration.ofSeconds(1));
        Principal noAuthTime = new Principal(caller.userId(), caller.username(), caller.roles(), caller.permissions(),
                caller.sessionId(), AuthType.COOKIE, caller.amr(), Optional.empty());

        List<APIGatewayV2HTTPResponse> stale = List.of(call(enrol(caller)),
                call(confirm(caller, Map.of("code", "123456"))), call(remove(caller, Map.of("code", "123456"))),
                call(enrol(noAuthTime)));

        assertThat(justInTime.getStatusCode()).as("a login exactly five minutes old passes").isEqualTo(200);
        for (APIGatewayV2HTTPResponse response : stale) {
            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(response.getHeaders()).isEqualTo(withHeader(PROBLEM_HEADERS, "WWW-Authenticate", RECENT_LOGIN_CHALLENGE));
            assertThat(response.getBody()).isEqualTo(STEP_UP_REQUIRED);
            assertThat(response.getCookies()).isNull();
        }
        String sid = " user=alice sid=" + caller.sessionId();
        assertThat(context.lines()).containsExactly("INFO mfa-enrol outcome=pending ip=" + IP + " user=alice",
                "WARN mfa outcome=refused reason=STEP_UP_REQUIRED route=POST_/auth/mfa/totp" + sid,
                "WARN mfa outcome=refused reason=STEP_UP_REQUIRED route=POST_/auth/mfa/totp/confirm" + sid,
                "WARN mfa outcome=refused reason=STEP_UP_REQUIRED route=DELETE_/auth/mfa/totp" + sid,
                "WARN mfa outcome=refused reason=STEP_UP_REQUIRED route=POST_/auth/mfa/totp" + sid);
    }

    @Test
    void theAuthorizersChallengeOnlyContextIsAnswered401WithItsChallenge() {
        String challenge = new StepUpChallenge(List.of(Acr.MFA), Optional.of(Duration.ofMinutes(15))).wwwAuthenticate();
        APIGatewayV2HTTPEvent event = Events.http("mfa-totp-enrol.json");
        event.getRequestContext().getAuthorizer().setLambda(new LinkedHashMap<>(
                AuthorizerContext.stepUpOnly(new StepUpChallenge(List.of(Acr.MFA), Optional.of(Duration.ofMinutes(15))))));

        APIGatewayV2HTTPResponse response = call(event);

        assertThat(challenge).isEqualTo("Bearer error=\"insufficient_user_authentication\", error_description="
                + "\"A recent multi-factor login is required\", acr_values=\"urn:authfn:acr:mfa\", max_age=900");
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).isEqualTo(withHeader(PROBLEM_HEADERS, "WWW-Authenticate", challenge));
        assertThat(response.getBody()).isEqualTo(STEP_UP_REQUIRED);
        assertThat(world.users.mfa().totp("alice")).isEmpty();
        assertThat(context.lines()).containsExactly(
                "WARN mfa outcome=refused reason=STEP_UP_REQUIRED route=POST_/auth/mfa/totp");
    }

    @Test
    void anAuthorizedRouteReachedWithoutTheAuthorizersContextIs401() {
        APIGatewayV2HTTPEvent event = Events.http("mfa-totp-remove.json");
        event.getRequestContext().setAuthorizer(null);

        APIGatewayV2HTTPResponse response = call(event);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo(problem("not-authenticated", "Not authenticated", 401,
                "This route needs an authenticated session."));
        assertThat(context.lines()).containsExactly(
                "WARN mfa outcome=refused reason=NO_AUTHORIZER_CONTEXT route=DELETE_/auth/mfa/totp");
    }

    @Test
    void theRoutePolicyIsCheckedAgainBehindTheAuthorizer() {
        MfaHandler adminsOnly = new MfaHandler(world.components(
                Map.of(AuthfnConfig.ENV_ROUTE_POLICY, "{\"POST /auth/mfa/totp\":{\"roles\":[\"admin\"]}}")));

        APIGatewayV2HTTPResponse response = call(adminsOnly, enrol(principal(world.login("alice", PASSWORD),
                AuthType.COOKIE)));

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo(problem("forbidden", "Forbidden", 403, "You may not use this route."));
        assertThat(context.lines()).containsExactly(
                "WARN mfa outcome=forbidden reason=MISSING_ROLE route=POST_/auth/mfa/totp user=alice");
    }

    @Test
    void aDisabledCallerIs401NotAuthenticatedOnEveryAuthorizedRoute() {
        Principal caller = principal(world.login("alice", PASSWORD), AuthType.COOKIE);
        world.users.disable("alice");

        List<APIGatewayV2HTTPResponse> responses = List.of(call(enrol(caller)),
                call(confirm(caller, Map.of("code", "123456"))), call(remove(caller, Map.of("code", "123456"))));

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(response.getBody()).isEqualTo(NOT_AUTHENTICATED);
        });
        String ended = " ip=" + IP + " user=alice sid=" + caller.sessionId();
        assertThat(context.lines()).containsExactly("WARN mfa-enrol outcome=refused reason=SESSION_ENDED" + ended,
                "WARN mfa-confirm outcome=refused reason=SESSION_ENDED" + ended,
                "WARN mfa-remove outcome=refused reason=SESSION_ENDED" + ended);
    }

    @Test
    void aBearerTokenOfALoggedOutSessionChangesNoFactorAndStartsNoSession() {
        // What a stateless-bearer authorizer (AUTHFN_STATELESS_BEARER=true) passes on for the five
        // minutes an access token outlives its session.
        Factor factor = givenFactor();
        world.clock.advance(STEP);
        LoginService.LoggedIn login = secondStep(factor);
        Principal caller = principal(login, AuthType.BEARER);
        world.sessions.revoke(login.session().id(), alice.userId());
        world.clock.advance(STEP);

        APIGatewayV2HTTPResponse removeAttempt = call(remove(caller, Map.of("code", codeNow(factor))));
        APIGatewayV2HTTPResponse enrolAttempt = call(enrol(caller));
        APIGatewayV2HTTPResponse confirmAttempt = call(confirm(caller, Map.of("code", codeNow(factor))));

        for (APIGatewayV2HTTPResponse response : List.of(removeAttempt, enrolAttempt, confirmAttempt)) {
            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(response.getBody()).isEqualTo(NOT_AUTHENTICATED);
            assertThat(response.getCookies()).isNull();
        }
        assertThat(world.users.get("alice").orElseThrow().mfaEnrolled()).isTrue();
        assertThat(world.users.mfa().totp("alice").orElseThrow().confirmed()).isTrue();
        assertThat(world.sessions.listLive(alice.userId(), world.clock.instant()))
                .as("only the session of the factor's set-up").hasSize(1);
    }

    // --- POST /auth/mfa/totp/confirm ---

    @Test
    void confirmingWithTheAppsFirstCodeAnswersTenRecoveryCodesShownOnce() {
        Principal caller = principal(world.login("alice", PASSWORD), AuthType.COOKIE);
        String secret = (String) body(call(enrol(caller))).get("secret");

        APIGatewayV2HTTPResponse response = call(confirm(caller, Map.of("code", codeNow(new Base32().decode(secret)))));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        assertThat(response.getCookies()).isNull();
        Map<String, Object> body = body(response);
        assertThat(body).containsOnlyKeys("recovery_codes");
        @SuppressWarnings("unchecked")
        List<String> codes = (List<String>) body.get("recovery_codes");
        assertThat(codes).hasSize(10).doesNotHaveDuplicates()
                .allSatisfy(code -> assertThat(code).matches("([a-z2-7]{5}-){5}[a-z2-7]"));
        assertThat(world.users.get("alice").orElseThrow().mfaEnrolled()).isTrue();
        assertThat(world.users.mfa().totp("alice").orElseThrow().recoveryCodesLeft()).isEqualTo(10);
        assertThat(context.lines()).containsExactly("INFO mfa-enrol outcome=pending ip=" + IP + " user=alice",
                "INFO mfa-confirm outcome=success ip=" + IP + " user=alice");
    }

    @Test
    void aWrongOrReplayedConfirmationCodeIs401AndKeepsTheFactorPending() {
        Principal caller = principal(world.login("alice", PASSWORD), AuthType.COOKIE);
        byte[] secret = new Base32().decode((String) body(call(enrol(caller))).get("secret"));

        APIGatewayV2HTTPResponse wrong = call(confirm(caller, Map.of("code", otherCode(codeNow(secret)))));
        APIGatewayV2HTTPResponse malformed = call(confirm(caller, Map.of("code", 123456L)));
        APIGatewayV2HTTPResponse right = call(confirm(caller, Map.of("code", codeNow(secret))));

        assertThat(wrong.getStatusCode()).isEqualTo(401);
        assertThat(wrong.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(wrong.getBody()).isEqualTo(problem("mfa-failed", "Second factor failed", 401,
                "The code does not fit the new secret; try the next code."));
        assertThat(malformed.getStatusCode()).isEqualTo(400);
        assertThat(malformed.getBody()).isEqualTo(problem("malformed-request", "Malformed request", 400,
                "\"code\" must be a string."));
        assertThat(right.getStatusCode()).isEqualTo(200);
        assertThat(context.lines()).containsExactly("INFO mfa-enrol outcome=pending ip=" + IP + " user=alice",
                "WARN mfa-confirm outcome=refused reason=WRONG_CODE ip=" + IP + " user=alice",
                "WARN mfa-confirm outcome=refused reason=MALFORMED_REQUEST ip=" + IP,
                "INFO mfa-confirm outcome=success ip=" + IP + " user=alice");
    }

    @Test
    void confirmingWithNothingPendingIs404() {
        Principal caller = principal(world.login("alice", PASSWORD), AuthType.COOKIE);

        APIGatewayV2HTTPResponse response = call(confirm(caller, Map.of("code", "123456")));

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo(problem("mfa-not-enrolled", "No second factor", 404,
                "There is no new secret to confirm; start again with POST /auth/mfa/totp."));
        assertThat(context.lines()).containsExactly(
                "WARN mfa-confirm outcome=refused reason=NOTHING_PENDING ip=" + IP + " user=alice");
    }

    // --- DELETE /auth/mfa/totp ---

    @Test
    void aCookieCallerRemovesTheFactorWithACodeAndGets204WithNewCookiesWhileEveryOtherSessionEnds() {
        Factor factor = givenFactor();
        world.clock.advance(STEP);
        LoginService.LoggedIn caller = secondStep(factor);
        world.clock.advance(STEP);

        APIGatewayV2HTTPResponse response = call(remove(principal(caller, AuthType.COOKIE),
                Map.of("code", codeNow(factor))));

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getHeaders()).isEqualTo(NO_CONTENT_HEADERS);
        assertThat(response.getBody()).isNull();
        List<Session> live = world.sessions.listLive(alice.userId(), world.clock.instant());
        assertThat(live).hasSize(1);
        Session fresh = live.get(0);
        assertThat(fresh.id()).isNotEqualTo(caller.session().id());
        assertThat(fresh.amr()).as("the methods of the session it replaces").containsExactly("pwd", "otp", "mfa");
        assertThat(response.getCookies()).hasSize(2);
        assertThat(sessionIdOfCookie(response.getCookies().get(0))).isEqualTo(fresh.id());
        assertThat(response.getCookies().get(0)).endsWith(SESSION_COOKIE_ATTRIBUTES);
        assertThat(response.getCookies().get(1)).matches("__Host-csrf=[^;]+" + java.util.regex.Pattern.quote(CSRF_COOKIE_ATTRIBUTES));
        assertThat(world.users.get("alice").orElseThrow().mfaEnrolled()).isFalse();
        assertThat(world.users.mfa().totp("alice")).isEmpty();
        assertThat(world.loginService().login(attempt())).as("the password alone logs in again")
                .isInstanceOf(LoginService.LoggedIn.class);
        assertThat(context.lines()).containsExactly(
                "INFO mfa-remove outcome=success ip=" + IP + " user=alice sid=" + fresh.id() + " sessions=2");
    }

    @Test
    void aBearerCallerRemovesTheFactorWithARecoveryCodeAndGets200WithTheNewTokens() {
        Factor factor = givenFactor();
        world.clock.advance(STEP);
        LoginService.LoggedIn caller = secondStep(factor);
        APIGatewayV2HTTPEvent event = remove(principal(caller, AuthType.BEARER),
                Map.of("recovery_code", factor.recoveryCodes().get(0)));
        event.setCookies(null);
        event.getHeaders().remove("x-csrf-token");
        event.getHeaders().put("authorization", "Bearer " + caller.accessToken());

        APIGatewayV2HTTPResponse response = call(event);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        Map<String, Object> body = body(response);
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "csrf_token", "session")
                .containsEntry("token_type", "Bearer").containsEntry("expires_in", 300L);
        String newId = sessionIdOf(response);
        assertThat(newId).isNotEqualTo(caller.session().id());
        assertThat(world.sessions.find(caller.session().id(), world.clock.instant())).isEmpty();
        assertThat(world.sessions.listLive(alice.userId(), world.clock.instant())).extracting(Session::id)
                .containsExactly(newId);
        assertCookiesOf(response, newId, (String) body.get("csrf_token"));
        assertThat(world.users.mfa().totp("alice")).isEmpty();
    }

    @Test
    void aWrongRemovalCodeIs401AndWrongCodesLockTo429WithRetryAfter() {
        Factor factor = givenFactor();
        world.clock.advance(STEP);
        Principal caller = principal(secondStep(factor), AuthType.COOKIE);
        world.clock.advance(STEP);
        String wrong = otherCode(codeNow(factor));

        List<APIGatewayV2HTTPResponse> free = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            free.add(call(remove(caller, Map.of("code", wrong))));
        }
        APIGatewayV2HTTPResponse locking = call(remove(caller, Map.of("code", wrong)));
        APIGatewayV2HTTPResponse rightWhileLocked = call(remove(caller, Map.of("code", codeNow(factor))));

        assertThat(free).allSatisfy(response -> {
            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(response.getBody()).isEqualTo(problem("mfa-failed", "Second factor failed", 401,
                    "The code is wrong or used."));
            assertThat(response.getCookies()).isNull();
        });
        for (APIGatewayV2HTTPResponse locked : List.of(locking, rightWhileLocked)) {
            assertThat(locked.getStatusCode()).isEqualTo(429);
            assertThat(locked.getHeaders()).isEqualTo(withHeader(PROBLEM_HEADERS, "Retry-After", "1"));
            assertThat(locked.getBody()).isEqualTo(LOCKED);
        }
        assertThat(world.users.get("alice").orElseThrow().mfaEnrolled()).isTrue();
        assertThat(context.lines()).hasSize(6).startsWith(
                "WARN mfa-remove outcome=refused reason=WRONG_CODE ip=" + IP + " user=alice")
                .endsWith("WARN mfa-remove outcome=locked ip=" + IP + " user=alice retry_after=1",
                        "WARN mfa-remove outcome=locked ip=" + IP + " user=alice retry_after=1");
    }

    @Test
    void removingWithoutAFactorIs404AndWithoutExactlyOneProof400() {
        Principal caller = principal(world.login("alice", PASSWORD), AuthType.COOKIE);

        APIGatewayV2HTTPResponse none = call(remove(caller, Map.of("code", "123456")));
        APIGatewayV2HTTPResponse both = call(remove(caller, Map.of("code", "123456", "recovery_code", "x")));
        APIGatewayV2HTTPResponse neither = call(remove(caller, Map.of()));

        assertThat(none.getStatusCode()).isEqualTo(404);
        assertThat(none.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(none.getBody()).isEqualTo(problem("mfa-not-enrolled", "No second factor", 404,
                "This account has no second factor."));
        for (APIGatewayV2HTTPResponse response : List.of(both, neither)) {
            assertThat(response.getStatusCode()).isEqualTo(400);
            assertThat(response.getBody()).isEqualTo(ONE_PROOF);
        }
        assertThat(context.lines()).containsExactly(
                "WARN mfa-remove outcome=refused reason=NOT_ENROLLED ip=" + IP + " user=alice",
                "WARN mfa-remove outcome=refused reason=MALFORMED_REQUEST ip=" + IP,
                "WARN mfa-remove outcome=refused reason=MALFORMED_REQUEST ip=" + IP);
    }

    // --- everything ---

    @Test
    void otherMethodsAndRoutesAre404AndLogNothing() {
        for (String route : List.of("GET /auth/mfa/verify", "PUT /auth/mfa/totp", "GET /auth/mfa/totp",
                "DELETE /auth/mfa/totp/confirm", "POST /auth/mfa", "POST /auth/mfa/verify/")) {
            APIGatewayV2HTTPEvent event = Events.http("mfa-verify.json");
            String path = route.substring(route.indexOf(' ') + 1);
            event.setRouteKey(route);
            event.setRawPath(path);
            event.getRequestContext().setRouteKey(route);
            event.getRequestContext().getHttp().setMethod(route.substring(0, route.indexOf(' ')));
            event.getRequestContext().getHttp().setPath(path);

            APIGatewayV2HTTPResponse response = call(event);

            assertThat(response.getStatusCode()).as(route).isEqualTo(404);
            assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(response.getBody()).isEqualTo(problem("not-found", "Not found", 404, "No such route."));
        }
        assertThat(context.records()).isEmpty();
    }

    @Test
    void noLogLineHoldsTheSecretACodeARecoveryCodeOrAToken() {
        Principal setup = principal(world.login("alice", PASSWORD), AuthType.COOKIE);
        APIGatewayV2HTTPResponse enrolment = call(enrol(setup));
        String secret = (String) body(enrolment).get("secret");
        byte[] key = new Base32().decode(secret);
        String confirmCode = codeNow(key);
        @SuppressWarnings("unchecked")
        List<String> recoveryCodes = (List<String>) body(call(confirm(setup, Map.of("code", confirmCode)))).get(
                "recovery_codes");
        world.clock.advance(STEP);
        String token = mfaToken();
        String wrongCode = otherCode(codeNow(key));
        call(verify(Map.of("mfa_token", token, "code", wrongCode)));
        String loginCode = codeNow(key);
        APIGatewayV2HTTPResponse login = call(verify(Map.of("mfa_token", token, "code", loginCode)));
        call(verify(Map.of("mfa_token", mfaToken(), "recovery_code", recoveryCodes.get(1))));
        APIGatewayV2HTTPResponse removal = call(remove(principal(secondStep(new Factor(key, recoveryCodes)),
                AuthType.BEARER), Map.of("recovery_code", recoveryCodes.get(2))));

        String log = String.join("\n", context.records());
        List<String> secrets = new ArrayList<>(List.of(secret, secret.toLowerCase(java.util.Locale.ROOT),
                (String) body(enrolment).get("otpauth_uri"), confirmCode, wrongCode, loginCode, token,
                token.substring(0, token.indexOf('.')), token.substring(token.indexOf('.') + 1),
                (String) body(login).get("access_token"), (String) body(login).get("csrf_token"),
                (String) body(removal).get("access_token"), PASSWORD));
        secrets.addAll(recoveryCodes);
        login.getCookies().forEach(cookie -> secrets.add(cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'))));
        assertThat(context.records()).hasSize(6).allSatisfy(record -> assertThat(record.strip()).hasLineCount(1));
        assertThat(log).doesNotContain(secrets);
        assertThat(context.events()).allSatisfy(event -> assertThat(event.keySet())
                .isSubsetOf("level", "AWSRequestId", "event", "outcome", "reason", "route", "ip", "user", "sid",
                        "retry_after", "sessions"));
    }

    // --- helpers ---

    /** Every answer goes through here: each carries {@code Cache-Control: no-store}, whatever it is. */
    private APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        return call(handler, event);
    }

    private APIGatewayV2HTTPResponse call(MfaHandler target, APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = target.handleRequest(event, context);
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store")
                .containsEntry("X-Content-Type-Options", "nosniff");
        assertThat(response.getIsBase64Encoded()).isFalse();
        return response;
    }

    /**
     * Enrols and confirms alice's factor from a password session of hers, as she would; the
     * confirming code's time step is spent, so a test moves the clock a step on before its next code.
     */
    private Factor givenFactor() {
        Principal setup = principal(world.login("alice", PASSWORD), AuthType.COOKIE);
        byte[] secret = new Base32().decode(((MfaService.Enrolment) mfa.begin(setup)).secret());
        List<String> recoveryCodes = ((MfaService.Confirmed) mfa.confirm(setup, codeNow(secret))).recoveryCodes();
        return new Factor(secret, recoveryCodes);
    }

    /** The password step of a login of alice, who has a factor: her {@code mfa_token}. */
    private String mfaToken() {
        return ((LoginService.MfaRequired) world.loginService().login(attempt())).mfaToken();
    }

    /** Both login steps through the services (not the handler, which logs): a session of pwd, otp and mfa. */
    private LoginService.LoggedIn secondStep(Factor factor) {
        return (LoginService.LoggedIn) mfa.verify(new MfaService.SecondStep(mfaToken(),
                MfaProof.recoveryCode(factor.recoveryCodes().get(9)), "JUnit", IP));
    }

    private static LoginService.Attempt attempt() {
        return new LoginService.Attempt("alice", PASSWORD, "JUnit", IP);
    }

    private String codeNow(Factor factor) {
        return codeNow(factor.secret());
    }

    private String codeNow(byte[] secret) {
        return totp.code(secret, totp.step(world.clock.instant()));
    }

    /** A code none of the three accepted ones is (the digits of the right one, shifted). */
    private static String otherCode(String code) {
        StringBuilder other = new StringBuilder();
        for (char c : code.toCharArray()) {
            other.append((char) ('0' + (c - '0' + 5) % 10));
        }
        return other.toString();
    }

    private static char flip(char c) {
        return c == 'A' ? 'B' : 'A';
    }

    /** The caller as the authorizer passes it on: the session's methods and authentication time. */
    private static Principal principal(LoginService.LoggedIn login, AuthType type) {
        Session session = login.session();
        return new Principal(session.userId(), session.username(), session.roles(), session.permissions(), session.id(),
                type, session.amr(), Optional.of(session.authTime()));
    }

    private static APIGatewayV2HTTPEvent verify(Map<String, ?> body) {
        APIGatewayV2HTTPEvent event = Events.http("mfa-verify.json");
        event.setBody(Json.write(body));
        return event;
    }

    private static APIGatewayV2HTTPEvent enrol(Principal caller) {
        return authorized("mfa-totp-enrol.json", caller, null);
    }

    private static APIGatewayV2HTTPEvent confirm(Principal caller, Map<String, ?> body) {
        return authorized("mfa-totp-confirm.json", caller, body);
    }

    private static APIGatewayV2HTTPEvent remove(Principal caller, Map<String, ?> body) {
        return authorized("mfa-totp-remove.json", caller, body);
    }

    /** A sample event as the authorizer passes it on for {@code caller}; {@code body} null keeps the sample's. */
    private static APIGatewayV2HTTPEvent authorized(String file, Principal caller, Map<String, ?> body) {
        APIGatewayV2HTTPEvent event = Events.http(file);
        event.getRequestContext().getAuthorizer().setLambda(new LinkedHashMap<>(AuthorizerContext.of(caller)));
        if (body != null) {
            event.setBody(Json.write(body));
        }
        return event;
    }

    /** Exactly the two cookies of session {@code sessionId}, with every attribute the {@code __Host-} prefix needs. */
    private void assertCookiesOf(APIGatewayV2HTTPResponse response, String sessionId, String csrfToken) {
        assertThat(response.getCookies()).hasSize(2);
        assertThat(response.getCookies().get(0)).startsWith("__Host-session=").endsWith(SESSION_COOKIE_ATTRIBUTES);
        assertThat(sessionIdOfCookie(response.getCookies().get(0))).isEqualTo(sessionId);
        assertThat(response.getCookies().get(1)).isEqualTo("__Host-csrf=" + csrfToken + CSRF_COOKIE_ATTRIBUTES);
    }

    private String sessionIdOfCookie(String setCookie) {
        String value = setCookie.substring("__Host-session=".length(), setCookie.indexOf(';'));
        return ((SessionCookieCodec.Valid) world.codecs.get().cookies().verify(value, world.clock.instant())).token().id();
    }

    private static void assertMfaFailed(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo(MFA_FAILED);
        assertThat(response.getCookies()).isNull();
    }

    @SuppressWarnings("unchecked")
    private static String sessionIdOf(APIGatewayV2HTTPResponse response) {
        return (String) ((Map<String, Object>) body(response).get("session")).get("id");
    }

    private static Map<String, Object> body(APIGatewayV2HTTPResponse response) {
        return Json.parseObject(response.getBody()).orElseThrow();
    }

    private static Map<String, String> withHeader(Map<String, String> headers, String name, String value) {
        Map<String, String> with = new LinkedHashMap<>(headers);
        with.put(name, value);
        return with;
    }

    /** An RFC 9457 body as the handler writes it: the four standard members in order. */
    private static String problem(String type, String title, int status, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:authfn:problem:" + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return Json.write(body);
    }
}
