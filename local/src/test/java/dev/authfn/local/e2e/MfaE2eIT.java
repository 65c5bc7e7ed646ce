package dev.authfn.local.e2e;

import static dev.authfn.local.testing.Login.CSRF_COOKIE;
import static dev.authfn.local.testing.Login.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.local.testing.AuthenticatorApp;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15's TOTP second factor end to end (docs/API.md §16): the repository's template on the
 * local API over the run's DynamoDB API, the real login, mfa, session, account, authorizer and
 * protected functions, real HTTP. The test is the authenticator app: it computes each code from
 * the secret the enrolment answered ({@link AuthenticatorApp}). Each test has users of its own, so
 * the time steps one spends (a step is good once per user) never count for another.
 *
 * <p>A login older than the five minutes that enrolling and removing a factor need is made by
 * rewriting the session's recorded login time in the sessions table ({@link E2eApi#backdateLogin}):
 * the authorizer reads it for a cookie, and a refresh copies it into the next access token.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class MfaE2eIT {

    private static final String PASSWORD = "second factor passphrase 27";
    /** What the authenticator app shows beside the account; a space, to see the URI's encoding. */
    private static final String SITE_NAME = "authfn e2e";
    private static final Duration ABSOLUTE_TIMEOUT = Duration.ofHours(8);
    /** {@code GET /protected/step-up}'s default policy: a multi-factor login at most 15 minutes old. */
    private static final String MFA_CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"A recent multi-factor login is required\", acr_values=\"urn:authfn:acr:mfa\", "
            + "max_age=900";
    /** The mfa routes' own demand: any login at most 5 minutes old. */
    private static final String RECENT_LOGIN_CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"A more recent login is required\", max_age=300";
    private static final String STEP_UP_DETAIL =
            "This route needs a stronger or more recent login; the WWW-Authenticate header says which.";
    private static final String MFA_FAILED_DETAIL =
            "The code is wrong or used, or the login attempt expired; try the next code, or log in again.";
    private static final List<String> MULTI_FACTOR = List.of("pwd", "otp", "mfa");
    private static final Map<String, Object> FORBIDDEN = Map.of("message", "Forbidden");

    private static E2eApi e2e;
    private static Http http;

    @BeforeAll
    static void startTheApi(DynamoDbTestEndpoint dynamodb) throws Exception {
        e2e = E2eApi.start(MfaE2eIT.class, dynamodb, E2eApi.TEMPLATE, Map.of("SiteName", SITE_NAME));
        http = new Http(e2e.api().baseUri());
    }

    @AfterAll
    static void stopTheApi() {
        if (e2e != null) {
            e2e.close();
        }
    }

    @Test
    void enrolsWithAComputedCodeThenLogsInWithPasswordAndCodeAndPassesTheStepUpRoute() {
        e2e.addUser("mia", PASSWORD, Set.of("user"), Set.of());
        e2e.addUser("pat", PASSWORD, Set.of("user"), Set.of());
        Login enroller = Login.from(login("mia"));

        // Enrol: the secret, and the URI an app scans, naming the site and the account.
        Http.Response begun = enroller.withCookieAndCsrf(http.post("/auth/mfa/totp")).send();
        assertThat(begun.status()).as("%s", begun).isEqualTo(200);
        assertJsonWithoutCookies(begun);
        assertThat(begun.json()).containsOnlyKeys("secret", "otpauth_uri");
        String secret = (String) begun.json().get("secret");
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(begun.json().get("otpauth_uri")).isEqualTo("otpauth://totp/authfn%20e2e:mia?secret=" + secret
                + "&issuer=authfn%20e2e&algorithm=SHA1&digits=6&period=30");
        AuthenticatorApp app = new AuthenticatorApp(secret);

        // Pending until confirmed: the password alone still logs in.
        Login.from(login("mia"));

        // Confirm with the app's code: ten recovery codes, shown this once.
        Http.Response confirmed = enroller.withCookieAndCsrf(http.post("/auth/mfa/totp/confirm"))
                .json(Map.of("code", app.nextCode())).send();
        assertThat(confirmed.status()).as("%s", confirmed).isEqualTo(200);
        assertJsonWithoutCookies(confirmed);
        assertThat(confirmed.json()).containsOnlyKeys("recovery_codes");
        assertThat(confirmed.json().get("recovery_codes")).asInstanceOf(InstanceOfAssertFactories.list(String.class))
                .hasSize(10).doesNotHaveDuplicates()
                .allSatisfy(code -> assertThat(code).matches("[a-z2-7]{5}(-[a-z2-7]{5}){4}-[a-z2-7]"));

        // The enrolling session did not use the factor: a password change through it needs a code.
        assertProblem(enroller.withCookieAndCsrf(http.post("/auth/password/change"))
                .json(Map.of("current_password", PASSWORD, "new_password", "a changed passphrase 28")).send(),
                401, "mfa-required", "Second factor required",
                "This session did not use your second factor: send \"code\" (or \"recovery_code\") too.");

        Http.Response logout = enroller.withCookieAndCsrf(http.post("/auth/logout")).send();
        assertThat(logout.status()).as("%s", logout).isEqualTo(204);

        // The right password now earns an mfa_token, and no session or cookie.
        Http.Response firstStep = login("mia");
        String mfaToken = mfaToken(firstStep);

        Http.Response secondStep = verify(mfaToken, Map.of("code", app.nextCode()));
        Login mia = Login.from(secondStep);
        assertThat(secondStep.header("Cache-Control")).hasValue("no-store");
        assertSessionCookies(secondStep);

        // The session says how it was made, to the functions behind the authorizer and in the list.
        for (Http.Response whoAmI : List.of(mia.withCookie(http.get("/protected")).send(),
                mia.withBearer(http.get("/protected")).send())) {
            assertThat(whoAmI.status()).as("%s", whoAmI).isEqualTo(200);
            assertThat(whoAmI.json()).containsEntry("username", "mia").containsEntry("session_id", mia.sessionId())
                    .containsEntry("amr", MULTI_FACTOR).containsEntry("acr", "urn:authfn:acr:mfa");
            assertRecent((String) whoAmI.json().get("auth_time"));
        }
        Http.Response sessions = mia.withCookie(http.get("/auth/sessions")).send();
        assertThat(sessions.status()).as("%s", sessions).isEqualTo(200);
        Map<String, Object> listed = sessions.json().get("sessions") instanceof List<?> all
                ? all.stream().map(MfaE2eIT::asMap).filter(session -> session.get("id").equals(mia.sessionId()))
                        .findFirst().orElseThrow(() -> new AssertionError("not listed: " + sessions))
                : Map.of();
        assertThat(listed).containsEntry("amr", MULTI_FACTOR).containsEntry("current", true);
        assertRecent((String) listed.get("auth_time"));

        // The step-up route lets the multi-factor session in, by cookie and by bearer token...
        for (Http.Response stepUp : List.of(mia.withCookie(http.get("/protected/step-up")).send(),
                mia.withBearer(http.get("/protected/step-up")).send())) {
            assertThat(stepUp.status()).as("%s", stepUp).isEqualTo(200);
            assertThat(stepUp.header("WWW-Authenticate")).isEmpty();
            assertThat(stepUp.json()).containsEntry("username", "mia").containsEntry("amr", MULTI_FACTOR)
                    .containsEntry("step_up", "This route needed a recent multi-factor login, and yours is one.");
        }

        // ...and refuses another user's password-only session with exactly the RFC 9470 challenge.
        Login pat = Login.from(login("pat"));
        for (Http.Response refused : List.of(pat.withCookie(http.get("/protected/step-up")).send(),
                pat.withBearer(http.get("/protected/step-up")).send())) {
            assertProblem(refused, 401, "step-up-required", "Step-up authentication required", STEP_UP_DETAIL);
            assertThat(refused.header("WWW-Authenticate")).hasValue(MFA_CHALLENGE);
            assertThat(refused.header("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(refused.setCookieHeaders()).isEmpty();
        }
    }

    @Test
    void aSpentCodeIsRefusedAndTheNextOneIsNot() {
        e2e.addUser("rex", PASSWORD, Set.of("user"), Set.of());
        Enrolled rex = enrol(Login.from(login("rex")));
        String code = rex.app().nextCode();
        Login.from(verify(mfaToken(login("rex")), Map.of("code", code)));

        Http.Response replayed = verify(mfaToken(login("rex")), Map.of("code", code));

        assertProblem(replayed, 401, "mfa-failed", "Second factor failed", MFA_FAILED_DETAIL);
        assertThat(replayed.setCookieHeaders()).isEmpty();
        Login next = Login.from(verify(mfaToken(login("rex")), Map.of("code", rex.app().nextCode())));
        assertThat(next.withCookie(http.get("/protected")).send().json()).containsEntry("amr", MULTI_FACTOR);
    }

    @Test
    void aRecoveryCodeLogsInOnceAndBearerRemovalHandsOverANewSession() {
        e2e.addUser("rae", PASSWORD, Set.of("user"), Set.of());
        Enrolled rae = enrol(Login.from(login("rae")));
        String recoveryCode = rae.recoveryCodes().get(0);

        Login withRecoveryCode = Login.from(verify(mfaToken(login("rae")), Map.of("recovery_code", recoveryCode)));
        Http.Response again = verify(mfaToken(login("rae")), Map.of("recovery_code", recoveryCode));

        assertThat(withRecoveryCode.withBearer(http.get("/protected/step-up")).send().status()).isEqualTo(200);
        assertProblem(again, 401, "mfa-failed", "Second factor failed", MFA_FAILED_DETAIL);
        assertThat(again.setCookieHeaders()).isEmpty();
        // Another code as someone types it off paper: upper case, spaces for hyphens.
        Login typed = Login.from(verify(mfaToken(login("rae")),
                Map.of("recovery_code", rae.recoveryCodes().get(1).toUpperCase(java.util.Locale.ROOT).replace('-', ' '))));

        // Removal by bearer token, with a third recovery code: the login body, both cookies.
        Http.Response removed = withRecoveryCode.withBearer(http.delete("/auth/mfa/totp"))
                .json(Map.of("recovery_code", rae.recoveryCodes().get(2))).send();
        Login fresh = Login.from(removed);
        assertThat(removed.header("Cache-Control")).hasValue("no-store");
        assertSessionCookies(removed);
        assertThat(fresh.sessionId()).isNotIn(withRecoveryCode.sessionId(), typed.sessionId());
        assertEnded(withRecoveryCode);
        assertEnded(typed);
        assertThat(fresh.withBearer(http.get("/protected")).send().json()).containsEntry("session_id", fresh.sessionId())
                .containsEntry("amr", MULTI_FACTOR);
        Login passwordOnly = Login.from(login("rae"));
        assertThat(passwordOnly.withBearer(http.get("/protected")).send().json()).containsEntry("amr", List.of("pwd"));
    }

    @Test
    void removingTheFactorWithACodeEndsTheOtherSessionsGivesNewCookiesAndThePasswordAloneLogsInAgain() {
        e2e.addUser("ray", PASSWORD, Set.of("user"), Set.of());
        Enrolled ray = enrol(Login.from(login("ray")));
        Login caller = Login.from(verify(mfaToken(login("ray")), Map.of("code", ray.app().nextCode())));
        Login other = Login.from(verify(mfaToken(login("ray")), Map.of("recovery_code", ray.recoveryCodes().get(0))));

        Http.Response removed = caller.withCookieAndCsrf(http.delete("/auth/mfa/totp"))
                .json(Map.of("code", ray.app().nextCode())).send();

        // A cookie caller gets 204 and both cookies of a new session; every other session ended.
        assertThat(removed.status()).as("%s", removed).isEqualTo(204);
        assertThat(removed.body()).isEmpty();
        assertThat(removed.header("Cache-Control")).hasValue("no-store");
        assertSessionCookies(removed);
        String newCookie = removed.setCookieValue(SESSION_COOKIE);
        String newCsrf = removed.setCookieValue(CSRF_COOKIE);
        Http.Response withNewCookie = http.get("/protected").cookie(SESSION_COOKIE, newCookie).send();
        assertThat(withNewCookie.status()).as("%s", withNewCookie).isEqualTo(200);
        assertThat(withNewCookie.json()).containsEntry("username", "ray").containsEntry("amr", MULTI_FACTOR);
        assertThat(withNewCookie.json().get("session_id")).isNotIn(caller.sessionId(), other.sessionId());
        assertEnded(caller);
        assertEnded(other);

        // No factor any more: the password alone logs in, and that login is refused the step-up route.
        Login passwordOnly = Login.from(login("ray"));
        Http.Response whoAmI = passwordOnly.withCookie(http.get("/protected")).send();
        assertThat(whoAmI.json()).containsEntry("amr", List.of("pwd")).containsEntry("acr", "urn:authfn:acr:sfa");
        Http.Response stepUp = passwordOnly.withCookie(http.get("/protected/step-up")).send();
        assertProblem(stepUp, 401, "step-up-required", "Step-up authentication required", STEP_UP_DETAIL);
        assertThat(stepUp.header("WWW-Authenticate")).hasValue(MFA_CHALLENGE);
        // Removing again finds nothing to remove (the new session's CSRF token goes with its cookie).
        Http.Response twice = http.delete("/auth/mfa/totp").cookie(SESSION_COOKIE, newCookie)
                .cookie(CSRF_COOKIE, newCsrf).csrf(newCsrf).json(Map.of("code", "000000")).send();
        assertProblem(twice, 404, "mfa-not-enrolled", "No second factor", "This account has no second factor.");
    }

    @Test
    void aLoginOlderThanFiveMinutesMayNotEnrolConfirmOrRemoveByCookieOrByBearer() {
        e2e.addUser("sam", PASSWORD, Set.of("user"), Set.of());
        Login sam = Login.from(login("sam"));

        // Four minutes old is recent enough.
        e2e.backdateLogin(sam.sessionId(), Instant.now().minus(Duration.ofMinutes(4)));
        Http.Response begun = sam.withCookieAndCsrf(http.post("/auth/mfa/totp")).send();
        assertThat(begun.status()).as("%s", begun).isEqualTo(200);
        AuthenticatorApp app = new AuthenticatorApp((String) begun.json().get("secret"));

        // Six minutes old is not, by cookie...
        Instant sixMinutesAgo = Instant.now().minus(Duration.ofMinutes(6));
        e2e.backdateLogin(sam.sessionId(), sixMinutesAgo);
        List<Http.Response> byCookie = List.of(
                sam.withCookieAndCsrf(http.post("/auth/mfa/totp")).send(),
                sam.withCookieAndCsrf(http.post("/auth/mfa/totp/confirm")).json(Map.of("code", app.peekCode())).send(),
                sam.withCookieAndCsrf(http.delete("/auth/mfa/totp")).json(Map.of("code", app.peekCode())).send());

        // ...nor by the bearer token a refresh issues, which carries the session's login time.
        Http.Response refreshed = sam.withCookieAndCsrf(http.post("/auth/refresh")).send();
        assertThat(refreshed.status()).as("%s", refreshed).isEqualTo(200);
        String staleToken = (String) refreshed.json().get("access_token");
        Http.Response whoAmI = http.get("/protected").bearer(staleToken).send();
        assertThat(whoAmI.json()).containsEntry("auth_time", sixMinutesAgo.truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS).toString());
        List<Http.Response> byBearer = List.of(
                http.post("/auth/mfa/totp").bearer(staleToken).send(),
                http.post("/auth/mfa/totp/confirm").bearer(staleToken).json(Map.of("code", app.peekCode())).send(),
                http.delete("/auth/mfa/totp").bearer(staleToken).json(Map.of("code", app.peekCode())).send());

        for (Http.Response refused : concat(byCookie, byBearer)) {
            assertProblem(refused, 401, "step-up-required", "Step-up authentication required", STEP_UP_DETAIL);
            assertThat(refused.header("WWW-Authenticate")).as("%s", refused).hasValue(RECENT_LOGIN_CHALLENGE);
            assertThat(refused.setCookieHeaders()).isEmpty();
        }
        // Nothing was confirmed: a fresh login still needs no code, and may confirm the pending secret.
        Login fresh = Login.from(login("sam"));
        Http.Response confirmed = fresh.withCookieAndCsrf(http.post("/auth/mfa/totp/confirm"))
                .json(Map.of("code", app.nextCode())).send();
        assertThat(confirmed.status()).as("%s", confirmed).isEqualTo(200);
    }

    // --- steps ---

    private static Http.Response login(String username) {
        return http.post("/auth/login").json(Map.of("username", username, "password", PASSWORD)).send();
    }

    private static Http.Response verify(String mfaToken, Map<String, String> proof) {
        Map<String, String> body = new java.util.HashMap<>(proof);
        body.put("mfa_token", mfaToken);
        return http.post("/auth/mfa/verify").json(body).send();
    }

    /** Enrols and confirms a factor for the login's user, the test being the app. */
    private static Enrolled enrol(Login login) {
        Http.Response begun = login.withCookieAndCsrf(http.post("/auth/mfa/totp")).send();
        assertThat(begun.status()).as("%s", begun).isEqualTo(200);
        AuthenticatorApp app = new AuthenticatorApp((String) begun.json().get("secret"));
        Http.Response confirmed = login.withCookieAndCsrf(http.post("/auth/mfa/totp/confirm"))
                .json(Map.of("code", app.nextCode())).send();
        assertThat(confirmed.status()).as("%s", confirmed).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<String> codes = (List<String>) confirmed.json().get("recovery_codes");
        return new Enrolled(app, List.copyOf(codes));
    }

    private record Enrolled(AuthenticatorApp app, List<String> recoveryCodes) {
    }

    // --- answers ---

    /** The first step of an enrolled user's login, exactly; returns its {@code mfa_token}. */
    private static String mfaToken(Http.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertJsonWithoutCookies(response);
        assertThat(response.json()).containsOnlyKeys("mfa_required", "mfa_token", "methods")
                .containsEntry("mfa_required", true)
                .containsEntry("methods", List.of("totp", "recovery_code"));
        assertThat(response.json().get("mfa_token")).asInstanceOf(InstanceOfAssertFactories.STRING).isNotBlank();
        return (String) response.json().get("mfa_token");
    }

    private static void assertJsonWithoutCookies(Http.Response response) {
        assertThat(response.header("Content-Type")).hasValue("application/json");
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        assertThat(response.setCookieHeaders()).as("%s", response).isEmpty();
    }

    /** A new session's two cookies, living as long as the session has left (a fresh one: 8 hours). */
    private static void assertSessionCookies(Http.Response response) {
        assertThat(response.setCookies()).extracting(Http.SetCookie::name).containsExactly(SESSION_COOKIE, CSRF_COOKIE);
        assertCookie(response.setCookie(SESSION_COOKIE), List.of("Path=/", "Secure", "HttpOnly", "SameSite=Lax"));
        assertCookie(response.setCookie(CSRF_COOKIE), List.of("Path=/", "Secure", "SameSite=Strict"));
    }

    private static void assertCookie(Http.SetCookie cookie, List<String> afterMaxAge) {
        List<String> attributes = cookie.attributes();
        assertThat(attributes).as("%s", cookie).hasSize(afterMaxAge.size() + 1);
        assertThat(attributes.get(0)).startsWith("Max-Age=");
        assertThat(Long.parseLong(attributes.get(0).substring("Max-Age=".length())))
                .isBetween(ABSOLUTE_TIMEOUT.toSeconds() - 60, ABSOLUTE_TIMEOUT.toSeconds());
        assertThat(attributes.subList(1, attributes.size())).containsExactlyElementsOf(afterMaxAge);
    }

    private static void assertProblem(Http.Response response, int status, String type, String title, String detail) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValue("application/problem+json");
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        assertThat(response.json()).isEqualTo(Map.of("type", "urn:authfn:problem:" + type, "title", title,
                "status", (long) status, "detail", detail));
    }

    /** An ended session: the authorizer denies its cookie and its bearer token (API Gateway's 403). */
    private static void assertEnded(Login login) {
        for (Http.Response response : List.of(login.withCookie(http.get("/protected")).send(),
                login.withBearer(http.get("/protected")).send())) {
            assertThat(response.status()).as("%s for ended %s", response, login).isEqualTo(403);
            assertThat(response.json()).isEqualTo(FORBIDDEN);
        }
    }

    /** A login time the API just recorded: within the last minute. */
    private static void assertRecent(String authTime) {
        assertThat(Instant.parse(authTime)).isBetween(Instant.now().minus(Duration.ofMinutes(1)), Instant.now());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    private static List<Http.Response> concat(List<Http.Response> first, List<Http.Response> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
