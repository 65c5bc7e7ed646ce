package dev.authfn.local.e2e;

import static dev.authfn.local.testing.Login.CSRF_COOKIE;
import static dev.authfn.local.testing.Login.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.mail.StoredMail;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;

/**
 * Issue 14's account lifecycle end to end (docs/API.md §12): the repository's template served by
 * {@link dev.authfn.local.LocalApi} in sign-up mode {@code verified} on the run's DynamoDB API, the
 * real account, login, authorizer and mailer functions, real HTTP, and the mails the mailer wrote
 * to the API's mail directory. Each test has accounts (and addresses) of its own, so the mails of
 * one never count for another.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class AccountLifecycleE2eIT {

    private static final String FIRST_PASSWORD = "lifecycle first passphrase 41";
    private static final String RESET_PASSWORD = "lifecycle reset passphrase 52";
    private static final String CHANGED_PASSWORD = "lifecycle changed passphrase 63";
    private static final String ACCEPTED_DETAIL = "If an account matches, a mail is on its way.";
    /** What the authorizer's deny becomes at the API, on every authorized route (API Gateway's body). */
    private static final Map<String, Object> FORBIDDEN = Map.of("message", "Forbidden");
    private static final List<Http.SetCookie> CLEARED_COOKIES = List.of(
            new Http.SetCookie(SESSION_COOKIE, "", List.of("Max-Age=0", "Path=/", "Secure", "HttpOnly", "SameSite=Lax")),
            new Http.SetCookie(CSRF_COOKIE, "", List.of("Max-Age=0", "Path=/", "Secure", "SameSite=Strict")));

    private static E2eApi e2e;
    private static Http http;
    private static Mails mails;

    @BeforeAll
    static void startTheApi(DynamoDbTestEndpoint dynamodb) throws Exception {
        e2e = E2eApi.start(AccountLifecycleE2eIT.class, dynamodb);
        http = new Http(e2e.api().baseUri());
        mails = new Mails(e2e.api().mailDirectory(), e2e.api().baseUri());
    }

    @AfterAll
    static void stopTheApi() {
        if (e2e != null) {
            e2e.close();
        }
    }

    @Test
    void signUpVerifyLoginForgetResetAndChangeThePassword() {
        String email = "Ann.Lifecycle@example.com";

        // Sign up: 202, the account waits for its address to be verified.
        Http.Response signUp = register("ann-lifecycle", email, FIRST_PASSWORD);
        assertSignedUp(signUp);
        StoredMail verification = mails.awaitCount(email, 1).get(0);
        assertThat(verification.mail().subject()).isEqualTo(Mails.VERIFY_SUBJECT);
        String verifyToken = mails.token(verification, "verify");

        // Before verifying, the right password is refused with a problem saying why.
        Http.Response unverified = login("ann-lifecycle", FIRST_PASSWORD);
        assertProblem(unverified, 403, "email-not-verified", "Email address not verified",
                "Verify your email address first: follow the link in the mail, or ask for a new one.");
        assertThat(unverified.setCookies()).isEmpty();

        // A verification token is no reset token, and trying it as one does not spend it.
        assertInvalidToken(http.post("/auth/password/reset")
                .json(Map.of("token", verifyToken, "new_password", RESET_PASSWORD)).send());

        // Verify; the token is spent.
        assertNoContent(http.post("/auth/email/verify").json(Map.of("token", verifyToken)).send(), List.of());
        assertInvalidToken(http.post("/auth/email/verify").json(Map.of("token", verifyToken)).send());

        // Two sessions: A used with its cookie, B with its bearer token.
        Login sessionA = Login.from(login("ann-lifecycle", FIRST_PASSWORD));
        Login sessionB = Login.from(login("ann-lifecycle", FIRST_PASSWORD));
        assertLive(sessionA.withCookie(http.get("/protected")).send(), sessionA);
        assertLive(sessionB.withBearer(http.get("/protected")).send(), sessionB);

        // Forgot by username, then the reset mail.
        assertAccepted(forgot(Map.of("username", "ann-lifecycle")));
        StoredMail reset = mails.awaitCount(email, 2).get(1);
        assertThat(reset.mail().subject()).isEqualTo(Mails.RESET_SUBJECT);
        String resetToken = mails.token(reset, "reset");

        // A reset token is no verification token, and trying it as one does not spend it.
        assertInvalidToken(http.post("/auth/email/verify").json(Map.of("token", resetToken)).send());

        // Reset: 204, both cookies cleared, every session ended, a notice mailed.
        assertNoContent(http.post("/auth/password/reset")
                .json(Map.of("token", resetToken, "new_password", RESET_PASSWORD)).send(), CLEARED_COOKIES);
        assertEnded(sessionA);
        assertEnded(sessionB);
        assertThat(mails.awaitCount(email, 3).get(2).mail().subject()).isEqualTo(Mails.CHANGED_SUBJECT);

        // The old password is refused, the new one works.
        assertInvalidCredentials(login("ann-lifecycle", FIRST_PASSWORD));
        Login sessionC = Login.from(login("ann-lifecycle", RESET_PASSWORD));
        Login sessionD = Login.from(login("ann-lifecycle", RESET_PASSWORD));
        assertLive(sessionD.withBearer(http.get("/protected")).send(), sessionD);

        // Change the password with session C's cookie and CSRF token: new cookies, a new session.
        Http.Response change = sessionC.withCookieAndCsrf(http.post("/auth/password/change"))
                .json(Map.of("current_password", RESET_PASSWORD, "new_password", CHANGED_PASSWORD)).send();
        assertThat(change.status()).as("%s", change).isEqualTo(204);
        assertThat(change.body()).isEmpty();
        assertThat(change.header("Cache-Control")).hasValue("no-store");
        assertThat(change.setCookies()).extracting(Http.SetCookie::name).containsExactly(SESSION_COOKIE, CSRF_COOKIE);
        String newSessionCookie = change.setCookie(SESSION_COOKIE).value();
        String newCsrf = change.setCookie(CSRF_COOKIE).value();
        assertThat(newSessionCookie).matches("[A-Za-z0-9._-]{64,}").isNotEqualTo(sessionC.sessionCookie());
        assertThat(newCsrf).isNotEqualTo(sessionC.csrfCookie());
        assertThat(change.setCookie(SESSION_COOKIE).attributes()).hasSize(5)
                .containsSubsequence("Path=/", "Secure", "HttpOnly", "SameSite=Lax");
        assertThat(change.setCookie(CSRF_COOKIE).attributes()).hasSize(4)
                .containsSubsequence("Path=/", "Secure", "SameSite=Strict");

        Http.Response withNewCookie = http.get("/protected").cookie(SESSION_COOKIE, newSessionCookie).send();
        assertThat(withNewCookie.status()).as("%s", withNewCookie).isEqualTo(200);
        assertThat(withNewCookie.json()).containsEntry("username", "ann-lifecycle").containsEntry("auth_type", "cookie");
        assertThat(withNewCookie.json().get("session_id")).as("the caller got a new session id")
                .isNotIn(sessionC.sessionId(), sessionD.sessionId());
        // A CSRF-checked route (self-registered accounts hold no permissions, so not /posts).
        Http.Response refreshWithNewCsrf = http.post("/auth/refresh").cookie(SESSION_COOKIE, newSessionCookie)
                .cookie(CSRF_COOKIE, newCsrf).csrf(newCsrf).send();
        assertThat(refreshWithNewCsrf.status()).as("the new CSRF token goes with the new cookie: %s", refreshWithNewCsrf)
                .isEqualTo(200);
        assertThat(refreshWithNewCsrf.json().get("session")).asInstanceOf(
                InstanceOfAssertFactories.MAP).containsEntry("id", withNewCookie.json().get("session_id"));
        Http.Response oldCsrfWithNewCookie = http.post("/auth/refresh").cookie(SESSION_COOKIE, newSessionCookie)
                .cookie(CSRF_COOKIE, sessionC.csrfCookie()).csrf(sessionC.csrfToken()).send();
        assertThat(oldCsrfWithNewCookie.status()).as("the old CSRF token is bound to the old session: %s",
                oldCsrfWithNewCookie).isEqualTo(403);
        assertEnded(sessionD);
        assertEnded(sessionC);
        assertThat(mails.awaitCount(email, 4).get(3).mail().subject()).isEqualTo(Mails.CHANGED_SUBJECT);

        assertInvalidCredentials(login("ann-lifecycle", RESET_PASSWORD));
        Login.from(login("ann-lifecycle", CHANGED_PASSWORD));
    }

    @Test
    void aBearerCallerChangingThePasswordGetsTheLoginBodyAndCookies() {
        String email = "Bea.Bearer@example.com";
        signUpAndVerify("bea-bearer", email, FIRST_PASSWORD);
        Login caller = Login.from(login("bea-bearer", FIRST_PASSWORD));
        Login other = Login.from(login("bea-bearer", FIRST_PASSWORD));

        Http.Response change = caller.withBearer(http.post("/auth/password/change"))
                .json(Map.of("current_password", FIRST_PASSWORD, "new_password", CHANGED_PASSWORD)).send();

        Login fresh = Login.from(change);
        assertThat(change.header("Cache-Control")).hasValue("no-store");
        assertThat(fresh.sessionId()).isNotIn(caller.sessionId(), other.sessionId());
        assertLive(fresh.withBearer(http.get("/protected")).send(), fresh);
        assertLive(fresh.withCookie(http.get("/protected")).send(), fresh);
        assertEnded(caller);
        assertEnded(other);
        assertThat(mails.awaitCount(email, 2).get(1).mail().subject()).isEqualTo(Mails.CHANGED_SUBJECT);
    }

    @Test
    void aTakenEmailAnswersLikeANewOneAndMailsItsHolder() {
        String holderEmail = "Hal.Holder@example.com";
        signUpAndVerify("hal-holder", holderEmail, FIRST_PASSWORD);

        Http.Response fresh = register("nia-new", "Nia.New@example.com", FIRST_PASSWORD);
        Http.Response taken = register("tom-taker", holderEmail, FIRST_PASSWORD);

        assertSignedUp(fresh);
        assertSignedUp(taken);
        assertThat(taken.status()).isEqualTo(fresh.status());
        assertThat(taken.headersWithoutDate()).isEqualTo(fresh.headersWithoutDate());
        assertThat(taken.json().keySet()).containsExactlyElementsOf(fresh.json().keySet());
        assertThat(taken.body().length()).isEqualTo(fresh.body().length());
        assertThat(taken.json().get("user_id")).isNotEqualTo(fresh.json().get("user_id"));

        List<StoredMail> toHolder = mails.awaitCount(holderEmail, 2);
        assertThat(toHolder).extracting(mail -> mail.mail().subject())
                .containsExactly(Mails.VERIFY_SUBJECT, Mails.ATTEMPT_SUBJECT);
        String attempt = toHolder.get(1).mail().text();
        assertThat(attempt).contains("Someone tried to sign up for authfn with this email address.")
                .contains(mails.linkBase()).doesNotContain("#verify=").doesNotContain("#reset=")
                .doesNotContain("tom-taker");
        assertThat(mails.awaitCount("Nia.New@example.com", 1).get(0).mail().subject()).isEqualTo(Mails.VERIFY_SUBJECT);
        // The name answers exactly as a new, unverified account's: its password gets the 403 a new
        // account's gets (not the 401 of an unknown name), and the name is taken (409).
        Http.Response standIn = login("tom-taker", FIRST_PASSWORD);
        Http.Response newOne = login("nia-new", FIRST_PASSWORD);
        assertThat(standIn.status()).isEqualTo(newOne.status()).isEqualTo(403);
        assertThat(standIn.body()).isEqualTo(newOne.body());
        assertProblem(register("tom-taker", "Tom.Taker@example.com", FIRST_PASSWORD), 409, "username-taken",
                "Username taken", "That username is taken.");
    }

    @Test
    void aTakenUsernameIsSaid() {
        assertSignedUp(register("uma-unique", "Uma.One@example.com", FIRST_PASSWORD));

        Http.Response again = register("uma-unique", "Uma.Two@example.com", FIRST_PASSWORD);

        assertProblem(again, 409, "username-taken", "Username taken", "That username is taken.");
        assertThat(mails.awaitCount("Uma.One@example.com", 1).get(0).mail().subject()).isEqualTo(Mails.VERIFY_SUBJECT);
        assertThat(mails.to("Uma.Two@example.com")).isEmpty();
    }

    @Test
    void forgotForAMissingAccountSendsNoMail() {
        String sentinelEmail = "Sam.Sentinel@example.com";
        signUpAndVerify("sam-sentinel", sentinelEmail, FIRST_PASSWORD);
        int before = mails.all().size();

        assertAccepted(forgot(Map.of("username", "nobody-at-all")));
        assertAccepted(forgot(Map.of("email", "Nobody.At.All@example.com")));
        // The driver delivers in order: once the sentinel's reset mail is there, the two requests
        // before it have been handled.
        assertAccepted(forgot(Map.of("username", "sam-sentinel")));

        List<StoredMail> after = mails.awaitTotal(before + 1);
        assertThat(after.get(before).mail().to()).isEqualTo(sentinelEmail);
        assertThat(after.get(before).mail().subject()).isEqualTo(Mails.RESET_SUBJECT);
        assertThat(mails.to("Nobody.At.All@example.com")).isEmpty();
    }

    @Test
    void resendForAnUnverifiedAccountMailsANewVerificationToken() {
        String email = "Rex.Resend@example.com";
        assertSignedUp(register("rex-resend", email, FIRST_PASSWORD));
        String first = mails.token(mails.awaitCount(email, 1).get(0), "verify");

        Http.Response resend = http.post("/auth/email/resend").json(Map.of("email", email)).send();

        assertAccepted(resend);
        StoredMail second = mails.awaitCount(email, 2).get(1);
        assertThat(second.mail().subject()).isEqualTo(Mails.VERIFY_SUBJECT);
        String token = mails.token(second, "verify");
        assertThat(token).isNotEqualTo(first);
        assertNoContent(http.post("/auth/email/verify").json(Map.of("token", token)).send(), List.of());
        Login.from(login("rex-resend", FIRST_PASSWORD));
        // Verified now: a resend answers the same and mails nothing (the sentinel proves it was handled).
        int before = mails.all().size();
        assertAccepted(http.post("/auth/email/resend").json(Map.of("email", email)).send());
        assertSignedUp(register("rex-sentinel", "Rex.Sentinel@example.com", FIRST_PASSWORD));
        List<StoredMail> after = mails.awaitTotal(before + 1);
        assertThat(after.get(before).mail().to()).isEqualTo("Rex.Sentinel@example.com");
        assertThat(mails.to(email)).hasSize(2);
    }

    @Test
    void aResetTokenWorksOnce() {
        String email = "Tia.Twice@example.com";
        signUpAndVerify("tia-twice", email, FIRST_PASSWORD);
        assertAccepted(forgot(Map.of("email", email)));
        String token = mails.token(mails.awaitCount(email, 2).get(1), "reset");

        Http.Response first = http.post("/auth/password/reset")
                .json(Map.of("token", token, "new_password", RESET_PASSWORD)).send();
        Http.Response second = http.post("/auth/password/reset")
                .json(Map.of("token", token, "new_password", CHANGED_PASSWORD)).send();

        assertNoContent(first, CLEARED_COOKIES);
        assertInvalidToken(second);
        assertInvalidCredentials(login("tia-twice", CHANGED_PASSWORD));
        Login.from(login("tia-twice", RESET_PASSWORD));
    }

    @Test
    void aNewerResetTokenVoidsTheOlderOne() {
        String email = "Ola.Older@example.com";
        signUpAndVerify("ola-older", email, FIRST_PASSWORD);
        assertAccepted(forgot(Map.of("username", "ola-older")));
        String older = mails.token(mails.awaitCount(email, 2).get(1), "reset");
        assertAccepted(forgot(Map.of("email", email)));
        String newer = mails.token(mails.awaitCount(email, 3).get(2), "reset");
        assertThat(newer).isNotEqualTo(older);

        assertInvalidToken(http.post("/auth/password/reset")
                .json(Map.of("token", older, "new_password", RESET_PASSWORD)).send());
        assertInvalidCredentials(login("ola-older", RESET_PASSWORD));
        assertNoContent(http.post("/auth/password/reset")
                .json(Map.of("token", newer, "new_password", CHANGED_PASSWORD)).send(), CLEARED_COOKIES);
        Login.from(login("ola-older", CHANGED_PASSWORD));
    }

    // --- steps ---

    private static Http.Response register(String username, String email, String password) {
        return http.post("/auth/register").json(Map.of("username", username, "email", email, "password", password)).send();
    }

    private static Http.Response login(String username, String password) {
        return http.post("/auth/login").json(Map.of("username", username, "password", password)).send();
    }

    private static Http.Response forgot(Map<String, String> body) {
        return http.post("/auth/password/forgot").json(body).send();
    }

    /** Signs up, verifies with the mailed token (the address's first mail) and checks the login works. */
    private static void signUpAndVerify(String username, String email, String password) {
        assertSignedUp(register(username, email, password));
        String token = mails.token(mails.awaitCount(email, 1).get(0), "verify");
        assertNoContent(http.post("/auth/email/verify").json(Map.of("token", token)).send(), List.of());
    }

    // --- answers ---

    private static void assertSignedUp(Http.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(202);
        assertThat(response.header("Content-Type")).hasValue("application/json");
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        assertThat(response.setCookies()).isEmpty();
        assertThat(response.json()).containsOnlyKeys("user_id", "status")
                .containsEntry("status", "verification_required");
        assertThat((String) response.json().get("user_id"))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    private static void assertAccepted(Http.Response response) {
        assertThat(response.status()).as("%s", response).isEqualTo(202);
        assertThat(response.header("Content-Type")).hasValue("application/json");
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        assertThat(response.setCookies()).isEmpty();
        assertThat(response.json()).isEqualTo(Map.of("detail", ACCEPTED_DETAIL));
    }

    private static void assertNoContent(Http.Response response, List<Http.SetCookie> cookies) {
        assertThat(response.status()).as("%s", response).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        assertThat(response.setCookies()).containsExactlyElementsOf(cookies);
    }

    private static void assertInvalidToken(Http.Response response) {
        assertProblem(response, 400, "invalid-token", "Invalid or expired link",
                "The link is invalid, used or expired; ask for a new mail.");
    }

    private static void assertInvalidCredentials(Http.Response response) {
        assertProblem(response, 401, "invalid-credentials", "Invalid credentials", "The username or password is wrong.");
    }

    private static void assertProblem(Http.Response response, int status, String type, String title, String detail) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValue("application/problem+json");
        assertThat(response.header("Cache-Control")).hasValue("no-store");
        assertThat(response.json()).isEqualTo(Map.of("type", "urn:authfn:problem:" + type, "title", title,
                "status", (long) status, "detail", detail));
    }

    /** The session answers on the authorized routes as itself. */
    private static void assertLive(Http.Response response, Login login) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.json()).containsEntry("session_id", login.sessionId());
    }

    /**
     * An ended session, by its cookie and by its bearer token, on the authorized routes: the
     * authorizer denies, which the API answers 403 {@code {"message":"Forbidden"}}, the same
     * answer as for no credentials at all.
     */
    private static void assertEnded(Login login) {
        List<Http.Response> refused = List.of(
                login.withCookie(http.get("/protected")).send(),
                login.withCookie(http.get("/auth/sessions")).send(),
                login.withCookieAndCsrf(http.post("/auth/refresh")).send(),
                login.withCookieAndCsrf(http.post("/auth/password/change"))
                        .json(Map.of("current_password", CHANGED_PASSWORD, "new_password", RESET_PASSWORD)).send(),
                login.withBearer(http.get("/protected")).send(),
                login.withBearer(http.get("/auth/sessions")).send(),
                login.withBearer(http.post("/auth/password/change"))
                        .json(Map.of("current_password", CHANGED_PASSWORD, "new_password", RESET_PASSWORD)).send());
        for (Http.Response response : refused) {
            assertThat(response.status()).as("%s for ended %s", response, login).isEqualTo(403);
            assertThat(response.header("Content-Type")).as("%s", response).hasValue("application/json");
            assertThat(response.json()).as("%s", response).isEqualTo(FORBIDDEN);
            assertThat(response.setCookies()).as("%s", response).isEmpty();
        }
    }
}
