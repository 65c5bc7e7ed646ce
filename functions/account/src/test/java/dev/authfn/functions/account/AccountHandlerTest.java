package dev.authfn.functions.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.MfaService;
import dev.authfn.core.account.MailRequest;
import dev.authfn.core.account.MailToken;
import dev.authfn.core.account.StoredToken;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.cookie.SessionCookieCodec;
import dev.authfn.core.json.Json;
import dev.authfn.core.mfa.Totp;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.core.password.PasswordPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.lambda.AuthorizerContext;
import dev.authfn.testkit.InMemoryOutbox;
import dev.authfn.testkit.InMemoryStores;
import dev.authfn.testkit.lambda.Events;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.testkit.lambda.World;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

class AccountHandlerTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String NEW_PASSWORD = "a new and long passphrase";
    private static final String IP = "203.0.113.10";
    private static final String CLEAR_SESSION = "__Host-session=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax";
    private static final String CLEAR_CSRF = "__Host-csrf=; Max-Age=0; Path=/; Secure; SameSite=Strict";
    private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json",
            "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff");
    private static final Map<String, String> PROBLEM_HEADERS = Map.of("Content-Type", "application/problem+json",
            "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff");
    private static final Map<String, String> NO_CONTENT_HEADERS = Map.of("Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff");

    /** At least 12 code points; "password1234" counts as breached. */
    private static final PasswordPolicy POLICY = new PasswordPolicy() {
        @Override
        public Optional<Rejection> checkNew(String password, String username) {
            if (password.codePointCount(0, password.length()) < 12) {
                return Optional.of(Rejection.TOO_SHORT);
            }
            if (password.equals("range api is down")) {
                return Optional.of(Rejection.BREACH_CHECK_UNAVAILABLE);
            }
            return password.equals("password1234") ? Optional.of(Rejection.BREACHED) : Optional.empty();
        }

        @Override
        public int minLength() {
            return 12;
        }
    };

    private final World world = new World();
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final RecordingContext context = new RecordingContext();
    private final Totp totp = new Totp();
    private final List<APIGatewayV2HTTPResponse> answers = new ArrayList<>();

    private AccountHandler handler(String signup) {
        return new AccountHandler(world.components(Map.of(AuthfnConfig.ENV_SIGNUP, signup))
                .withStores(new InMemoryStores(world.sessions, world.users, outbox)), world.hasher, POLICY);
    }

    private final AccountHandler open = handler("open");

    /** Every answer of every test goes through here, so that the last test can check them all. */
    private APIGatewayV2HTTPResponse call(AccountHandler handler, APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);
        answers.add(response);
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store");
        return response;
    }

    /** A same-origin JSON POST to {@code route}, made from the login's sample event. */
    private static APIGatewayV2HTTPEvent post(String route, Map<String, ?> body) {
        return route(Events.http("login-json.json"), route, Json.write(body));
    }

    private static APIGatewayV2HTTPEvent route(APIGatewayV2HTTPEvent event, String route, String body) {
        String path = route.substring("POST ".length());
        event.setRouteKey(route);
        event.setRawPath(path);
        event.getRequestContext().setRouteKey(route);
        event.getRequestContext().getHttp().setPath(path);
        event.setBody(body);
        return event;
    }

    /** POST /auth/password/change as the authorizer passes it on for {@code principal}. */
    private static APIGatewayV2HTTPEvent change(Principal principal, String current, String next) {
        APIGatewayV2HTTPEvent event = route(Events.http("logout.json"), "POST /auth/password/change",
                Json.write(Map.of("current_password", current, "new_password", next)));
        event.getHeaders().put("content-type", "application/json");
        event.getRequestContext().getAuthorizer().setLambda(new LinkedHashMap<>(AuthorizerContext.of(principal)));
        return event;
    }

    /** POST /auth/password/change with {@code body}, as the authorizer passes it on for {@code principal}. */
    private static APIGatewayV2HTTPEvent change(Principal principal, Map<String, ?> body) {
        APIGatewayV2HTTPEvent event = change(principal, PASSWORD, NEW_PASSWORD);
        event.setBody(Json.write(body));
        return event;
    }

    /** What the last {@link #givenFactor} confirmation showed. */
    private List<String> lastRecoveryCodes = List.of();

    /**
     * Enrols and confirms a TOTP factor for {@code user} from {@code session} (whose amr stays
     * ["pwd"]), as the mfa function does; the confirming code's time step is spent. Returns the
     * secret an authenticator app would hold.
     */
    private byte[] givenFactor(User user, LoginService.LoggedIn session) {
        MfaService mfa = world.components.mfaService();
        Principal caller = principal(user, session, AuthType.COOKIE);
        byte[] secret = new Base32().decode(((MfaService.Enrolment) mfa.begin(caller)).secret());
        lastRecoveryCodes = ((MfaService.Confirmed) mfa.confirm(caller, codeNow(secret))).recoveryCodes();
        return secret;
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

    private User givenUser(String username, String email) {
        User user = new User(username, UUID.randomUUID().toString(), world.hasher.hash(PASSWORD), Set.of("user"),
                Set.of(), UserStatus.ACTIVE, 0, java.time.Instant.EPOCH, 0, email, false);
        world.users.accounts().register(user, dev.authfn.testkit.AccountStoreContract.STAND_IN_EXPIRY);
        return user;
    }

    private String givenToken(User user, MailToken.Kind kind) {
        MailToken token = MailToken.generate(new SecureRandom());
        world.users.accounts().issue(new StoredToken(token.hash(), kind, user.username(), user.userId(), user.email(), 0,
                world.clock.instant().plus(Duration.ofMinutes(30)), false));
        return token.value();
    }

    private static Principal principal(User user, LoginService.LoggedIn login, AuthType type) {
        return new Principal(user.userId(), user.username(), user.roles(), user.permissions(), login.session().id(), type);
    }

    private static Map<String, Object> body(APIGatewayV2HTTPResponse response) {
        return Json.parseObject(response.getBody()).orElseThrow();
    }

    private static String problem(String type, String title, int status, String detail) {
        return "{\"type\":\"urn:authfn:problem:" + type + "\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
    }

    // --- register ---

    @Test
    void anOpenSignUpAnswers201WithTheNewIdAndQueuesTheVerificationMail() {
        APIGatewayV2HTTPResponse response = call(open, post("POST /auth/register",
                Map.of("username", "Alice", "email", "alice@Example.com", "password", PASSWORD)));

        User alice = world.users.get("alice").orElseThrow();
        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        assertThat(response.getBody()).isEqualTo("{\"user_id\":\"" + alice.userId() + "\",\"status\":\"active\"}");
        assertThat(response.getCookies()).isNull();
        assertThat(alice.email()).isEqualTo("alice@example.com");
        assertThat(outbox.take(10)).extracting(MailRequest::kind).containsExactly(MailRequest.Kind.VERIFY_EMAIL);
        assertThat(context.lines()).containsExactly("INFO register outcome=accepted ip=" + IP);
    }

    @Test
    void aVerifiedSignUpAnswers202AndSaysVerificationIsRequired() {
        APIGatewayV2HTTPResponse response = call(handler("verified"), post("POST /auth/register",
                Map.of("username", "bob", "email", "bob@example.com", "password", PASSWORD)));

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        assertThat(body(response)).containsExactly(Map.entry("user_id", world.users.get("bob").orElseThrow().userId()),
                Map.entry("status", "verification_required"));
    }

    @Test
    void aClosedSignUpAnswers404AsIfTheRouteWereNotThere() {
        APIGatewayV2HTTPResponse response = call(handler("closed"), post("POST /auth/register",
                Map.of("username", "bob", "email", "bob@example.com", "password", PASSWORD)));

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo(problem("not-found", "Not found", 404, "No such route."));
        assertThat(world.users.get("bob")).isEmpty();
        assertThat(context.lines()).containsExactly("WARN register outcome=refused reason=SIGNUP_CLOSED ip=" + IP);
    }

    @Test
    void aTakenUsernameAnswers409() {
        givenUser("alice", "alice@example.com");

        APIGatewayV2HTTPResponse response = call(open, post("POST /auth/register",
                Map.of("username", "alice", "email", "other@example.com", "password", PASSWORD)));

        assertThat(response.getStatusCode()).isEqualTo(409);
        assertThat(response.getBody()).isEqualTo(problem("username-taken", "Username taken", 409, "That username is taken."));
        assertThat(context.lines()).containsExactly("WARN register outcome=refused reason=USERNAME_TAKEN ip=" + IP);
    }

    @Test
    void aTakenAddressAnswersExactlyLikeANewAccountButForTheId() {
        User alice = givenUser("alice", "alice@example.com");

        APIGatewayV2HTTPResponse fresh = call(open, post("POST /auth/register",
                Map.of("username", "carol", "email", "carol@example.com", "password", PASSWORD)));
        APIGatewayV2HTTPResponse taken = call(open, post("POST /auth/register",
                Map.of("username", "mallory", "email", "alice@EXAMPLE.com", "password", PASSWORD)));

        assertThat(taken.getStatusCode()).isEqualTo(fresh.getStatusCode()).isEqualTo(201);
        assertThat(taken.getHeaders()).isEqualTo(fresh.getHeaders());
        assertThat(taken.getCookies()).isNull();
        assertThat(body(taken).get("user_id")).isNotEqualTo(alice.userId()).isNotEqualTo(body(fresh).get("user_id"));
        assertThat(body(taken).get("status")).isEqualTo("active");
        assertThat(taken.getBody().replace((String) body(taken).get("user_id"), ""))
                .isEqualTo(fresh.getBody().replace((String) body(fresh).get("user_id"), ""));
        assertThat(context.lines()).containsExactly("INFO register outcome=accepted ip=" + IP,
                "INFO register outcome=accepted ip=" + IP);
        assertThat(outbox.take(10)).extracting(MailRequest::kind)
                .containsExactly(MailRequest.Kind.VERIFY_EMAIL, MailRequest.Kind.REGISTRATION_ATTEMPT);
    }

    @Test
    void aBreachCheckThatCannotAnswerIs503WithTheReasonAndStoresNothing() {
        APIGatewayV2HTTPResponse down = call(open, post("POST /auth/register",
                Map.of("username", "bob", "email", "bob@example.com", "password", "range api is down")));

        assertThat(down.getStatusCode()).isEqualTo(503);
        assertThat(down.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(down.getBody()).isEqualTo("{\"type\":\"urn:authfn:problem:store-unavailable\","
                + "\"title\":\"Service unavailable\",\"status\":503,"
                + "\"detail\":\"Passwords cannot be checked right now; try again shortly.\","
                + "\"reason\":\"breach_check_unavailable\"}");
        assertThat(world.users.get("bob")).isEmpty();
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aWeakPasswordAnswers400WithTheReasonAndTheLimits() {
        APIGatewayV2HTTPResponse shortOne = call(open, post("POST /auth/register",
                Map.of("username", "bob", "email", "bob@example.com", "password", "short")));
        APIGatewayV2HTTPResponse breached = call(open, post("POST /auth/register",
                Map.of("username", "bob", "email", "bob@example.com", "password", "password1234")));

        assertThat(shortOne.getStatusCode()).isEqualTo(400);
        assertThat(shortOne.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(shortOne.getBody()).isEqualTo("{\"type\":\"urn:authfn:problem:weak-password\","
                + "\"title\":\"Password not accepted\",\"status\":400,"
                + "\"detail\":\"The password needs at least 12 characters.\","
                + "\"reason\":\"too_short\",\"min_length\":12,\"max_length\":" + PasswordHasher.MAX_LENGTH + "}");
        assertThat(body(breached)).containsEntry("reason", "breached").containsEntry("min_length", 12L);
        assertThat(world.users.get("bob")).isEmpty();
        assertThat(context.lines()).containsExactly("WARN register outcome=refused reason=TOO_SHORT ip=" + IP,
                "WARN register outcome=refused reason=BREACHED ip=" + IP);
    }

    @Test
    void malformedSignUpsAnswer400() {
        for (Map<String, ?> body : List.of(
                Map.of("username", "a b", "email", "bob@example.com", "password", PASSWORD),
                Map.of("username", "bob", "email", "bob@localhost", "password", PASSWORD),
                Map.of("username", "bob", "email", "bob@example.com"),
                Map.of("username", "bob", "email", "bob@example.com", "password", 12345678901234L))) {
            APIGatewayV2HTTPResponse response = call(open, post("POST /auth/register", body));

            assertThat(response.getStatusCode()).as(body.toString()).isEqualTo(400);
            assertThat(body(response)).containsEntry("type", "urn:authfn:problem:malformed-request");
        }
        assertThat(world.users.get("bob")).isEmpty();
    }

    // --- verify ---

    @Test
    void aGoodVerificationTokenAnswers204AndABadOne400() {
        User alice = givenUser("alice", "alice@example.com");
        String token = givenToken(alice, MailToken.Kind.VERIFY_EMAIL);

        APIGatewayV2HTTPResponse verified = call(open, post("POST /auth/email/verify", Map.of("token", token)));
        APIGatewayV2HTTPResponse again = call(open, post("POST /auth/email/verify", Map.of("token", token)));
        APIGatewayV2HTTPResponse reset = call(open, post("POST /auth/email/verify",
                Map.of("token", givenToken(alice, MailToken.Kind.RESET_PASSWORD))));
        APIGatewayV2HTTPResponse unknown = call(open, post("POST /auth/email/verify",
                Map.of("token", MailToken.generate(new SecureRandom()).value())));

        assertThat(verified.getStatusCode()).isEqualTo(204);
        assertThat(verified.getHeaders()).isEqualTo(NO_CONTENT_HEADERS);
        assertThat(verified.getBody()).isNull();
        assertThat(verified.getCookies()).isNull();
        assertThat(world.users.get("alice").orElseThrow().emailVerified()).isTrue();
        String invalid = problem("invalid-token", "Invalid or expired link", 400,
                "The link is invalid, used or expired; ask for a new mail.");
        for (APIGatewayV2HTTPResponse refused : List.of(again, reset, unknown)) {
            assertThat(refused.getStatusCode()).isEqualTo(400);
            assertThat(refused.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(refused.getBody()).isEqualTo(invalid);
        }
        assertThat(context.lines()).containsExactly(
                "INFO verify-email outcome=success ip=" + IP + " user=alice sessions=0",
                "WARN verify-email outcome=refused reason=SPENT ip=" + IP,
                "WARN verify-email outcome=refused reason=WRONG_KIND ip=" + IP,
                "WARN verify-email outcome=refused reason=UNKNOWN ip=" + IP);
        assertThat(String.join("\n", context.records())).doesNotContain(token);
    }

    // --- resend and forgot ---

    @Test
    void resendAndForgotAnswerTheSame202ForAnyAccountOrNone() {
        givenUser("alice", "alice@example.com");
        List<APIGatewayV2HTTPResponse> responses = List.of(
                call(open, post("POST /auth/email/resend", Map.of("email", "alice@example.com"))),
                call(open, post("POST /auth/email/resend", Map.of("email", "nobody@example.com"))),
                call(open, post("POST /auth/password/forgot", Map.of("username", "alice"))),
                call(open, post("POST /auth/password/forgot", Map.of("username", "nobody"))),
                call(open, post("POST /auth/password/forgot", Map.of("email", "alice@example.com"))),
                call(open, post("POST /auth/password/forgot", Map.of("email", "nobody@example.com"))));

        for (APIGatewayV2HTTPResponse response : responses) {
            assertThat(response.getStatusCode()).isEqualTo(202);
            assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
            assertThat(response.getBody()).isEqualTo("{\"detail\":\"If an account matches, a mail is on its way.\"}");
            assertThat(response.getCookies()).isNull();
            assertThat(response.getIsBase64Encoded()).isFalse();
        }
        assertThat(outbox.size()).isEqualTo(6);
        assertThat(context.lines()).containsExactly(
                "INFO resend-verification outcome=accepted ip=" + IP, "INFO resend-verification outcome=accepted ip=" + IP,
                "INFO forgot-password outcome=accepted ip=" + IP, "INFO forgot-password outcome=accepted ip=" + IP,
                "INFO forgot-password outcome=accepted ip=" + IP, "INFO forgot-password outcome=accepted ip=" + IP);
    }

    @Test
    void forgotTakesExactlyOneOfUsernameAndEmail() {
        for (Map<String, ?> body : List.<Map<String, ?>>of(Map.of(), Map.of("username", "alice", "email", "a@example.com"),
                Map.of("email", "not an address"), Map.of("username", 7))) {
            APIGatewayV2HTTPResponse response = call(open, post("POST /auth/password/forgot", body));

            assertThat(response.getStatusCode()).as(body.toString()).isEqualTo(400);
            assertThat(body(response)).containsEntry("type", "urn:authfn:problem:malformed-request");
        }
        assertThat(call(open, post("POST /auth/email/resend", Map.of("email", "nope"))).getStatusCode()).isEqualTo(400);
        assertThat(outbox.size()).isZero();
    }

    // --- reset ---

    @Test
    void aResetAnswers204ClearsBothCookiesAndEndsTheSessions() {
        User alice = givenUser("alice", "alice@example.com");
        LoginService.LoggedIn session = world.login("alice", PASSWORD);
        String token = givenToken(alice, MailToken.Kind.RESET_PASSWORD);

        APIGatewayV2HTTPResponse response = call(open, post("POST /auth/password/reset",
                Map.of("token", token, "new_password", NEW_PASSWORD)));

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getHeaders()).isEqualTo(NO_CONTENT_HEADERS);
        assertThat(response.getCookies()).containsExactly(CLEAR_SESSION, CLEAR_CSRF);
        assertThat(world.sessions.find(session.session().id(), world.clock.instant())).isEmpty();
        assertThat(world.hasher.verify(NEW_PASSWORD, world.users.get("alice").orElseThrow().passwordHash())).isTrue();
        assertThat(context.lines()).containsExactly("INFO reset-password outcome=success ip=" + IP + " user=alice sessions=1");
    }

    @Test
    void aResetWithABadTokenOrAWeakPasswordChangesNothing() {
        User alice = givenUser("alice", "alice@example.com");
        String token = givenToken(alice, MailToken.Kind.RESET_PASSWORD);

        APIGatewayV2HTTPResponse weak = call(open, post("POST /auth/password/reset",
                Map.of("token", token, "new_password", "short")));
        APIGatewayV2HTTPResponse bad = call(open, post("POST /auth/password/reset",
                Map.of("token", "x", "new_password", NEW_PASSWORD)));

        assertThat(weak.getStatusCode()).isEqualTo(400);
        assertThat(body(weak)).containsEntry("type", "urn:authfn:problem:weak-password").containsEntry("reason", "too_short");
        assertThat(weak.getCookies()).isNull();
        assertThat(bad.getStatusCode()).isEqualTo(400);
        assertThat(body(bad)).containsEntry("type", "urn:authfn:problem:invalid-token");
        assertThat(bad.getCookies()).isNull();
        assertThat(world.users.get("alice").orElseThrow().passwordHash()).isEqualTo(alice.passwordHash());
        assertThat(context.lines()).containsExactly("WARN reset-password outcome=refused reason=TOO_SHORT ip=" + IP,
                "WARN reset-password outcome=refused reason=MALFORMED ip=" + IP);
    }

    // --- change ---

    @Test
    void aCookieCallerGets204WithANewSessionAndCsrfCookie() {
        User alice = givenUser("alice", "alice@example.com");
        LoginService.LoggedIn caller = world.login("alice", PASSWORD);
        LoginService.LoggedIn other = world.login("alice", PASSWORD);

        APIGatewayV2HTTPResponse response = call(open, change(principal(alice, caller, AuthType.COOKIE), PASSWORD,
                NEW_PASSWORD));

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getHeaders()).isEqualTo(NO_CONTENT_HEADERS);
        assertThat(response.getBody()).isNull();
        assertThat(response.getCookies()).hasSize(2);
        String sessionCookie = response.getCookies().get(0);
        assertThat(sessionCookie).startsWith("__Host-session=")
                .endsWith("; Max-Age=28800; Path=/; Secure; HttpOnly; SameSite=Lax");
        assertThat(response.getCookies().get(1)).matches("__Host-csrf=[^;]+; Max-Age=28800; Path=/; Secure; SameSite=Strict");
        String value = sessionCookie.substring("__Host-session=".length(), sessionCookie.indexOf(';'));
        String newId = ((SessionCookieCodec.Valid) world.codecs.get().cookies().verify(value, world.clock.instant()))
                .token().id();
        assertThat(newId).isNotEqualTo(caller.session().id()).isNotEqualTo(other.session().id());
        assertThat(world.sessions.find(newId, world.clock.instant())).isPresent();
        assertThat(world.sessions.find(caller.session().id(), world.clock.instant())).isEmpty();
        assertThat(world.sessions.find(other.session().id(), world.clock.instant())).isEmpty();
        assertThat(context.lines()).containsExactly(
                "INFO change-password outcome=success ip=" + IP + " user=alice sid=" + newId + " sessions=2");
    }

    @Test
    void aBearerCallerGets200WithTheNewTokens() {
        User alice = givenUser("alice", "alice@example.com");
        LoginService.LoggedIn caller = world.login("alice", PASSWORD);

        APIGatewayV2HTTPResponse response = call(open, change(principal(alice, caller, AuthType.BEARER), PASSWORD,
                NEW_PASSWORD));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        Map<String, Object> body = body(response);
        assertThat(body).containsKeys("access_token", "csrf_token", "session").containsEntry("token_type", "Bearer")
                .containsEntry("expires_in", 300L);
        @SuppressWarnings("unchecked")
        String newId = (String) ((Map<String, Object>) body.get("session")).get("id");
        assertThat(newId).isNotEqualTo(caller.session().id());
        assertThat(response.getCookies()).hasSize(2);
        assertThat(response.getCookies().get(1)).isEqualTo("__Host-csrf=" + body.get("csrf_token")
                + "; Max-Age=28800; Path=/; Secure; SameSite=Strict");
    }

    @Test
    void aWrongCurrentPasswordAnswers401AndAnEndedSession401() {
        User alice = givenUser("alice", "alice@example.com");
        LoginService.LoggedIn caller = world.login("alice", PASSWORD);
        Principal principal = principal(alice, caller, AuthType.COOKIE);

        APIGatewayV2HTTPResponse wrong = call(open, change(principal, "not the password", NEW_PASSWORD));
        world.sessions.revoke(caller.session().id(), alice.userId());
        APIGatewayV2HTTPResponse ended = call(open, change(principal, PASSWORD, NEW_PASSWORD));

        assertThat(wrong.getStatusCode()).isEqualTo(401);
        assertThat(wrong.getBody()).isEqualTo(problem("invalid-credentials", "Invalid credentials", 401,
                "The current password is wrong."));
        assertThat(wrong.getCookies()).isNull();
        assertThat(world.users.get("alice").orElseThrow().failedLogins()).isOne();
        assertThat(ended.getStatusCode()).isEqualTo(401);
        assertThat(ended.getBody()).isEqualTo(problem("not-authenticated", "Not authenticated", 401,
                "The session has ended; log in again."));
        assertThat(context.lines()).containsExactly(
                "WARN change-password outcome=refused reason=WRONG_PASSWORD ip=" + IP + " user=alice",
                "WARN change-password outcome=refused reason=SESSION_ENDED ip=" + IP + " user=alice sid="
                        + caller.session().id());
        assertThat(String.join("\n", context.records())).doesNotContain(PASSWORD, "not the password", NEW_PASSWORD);
    }

    // --- change, for a user with a second factor ---

    @Test
    void anEnrolledUsersChangeFromASessionWithoutTheFactorNeedsItsCodeAndThenStartsASessionWithIt() {
        User alice = givenUser("alice", "alice@example.com");
        LoginService.LoggedIn caller = world.login("alice", PASSWORD);
        byte[] secret = givenFactor(alice, caller);
        world.clock.advance(Totp.STEP);
        Principal principal = principal(alice, caller, AuthType.COOKIE);
        String wrongCode = otherCode(codeNow(secret));
        String rightCode = codeNow(secret);

        APIGatewayV2HTTPResponse without = call(open, change(principal,
                Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD)));
        APIGatewayV2HTTPResponse wrong = call(open, change(principal,
                Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD, "code", wrongCode)));
        User unchanged = world.users.get("alice").orElseThrow();
        APIGatewayV2HTTPResponse right = call(open, change(principal,
                Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD, "code", rightCode)));

        assertThat(without.getStatusCode()).isEqualTo(401);
        assertThat(without.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(without.getBody()).isEqualTo("{\"type\":\"urn:authfn:problem:mfa-required\","
                + "\"title\":\"Second factor required\",\"status\":401,\"detail\":\"This session did not use your"
                + " second factor: send \\\"code\\\" (or \\\"recovery_code\\\") too.\"}");
        assertThat(without.getCookies()).isNull();
        assertThat(wrong.getStatusCode()).isEqualTo(401);
        assertThat(wrong.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(wrong.getBody()).isEqualTo(problem("mfa-failed", "Second factor failed", 401,
                "The second-factor code is wrong or used."));
        assertThat(wrong.getCookies()).isNull();
        assertThat(unchanged.passwordHash()).isEqualTo(alice.passwordHash());
        assertThat(unchanged.failedLogins()).as("both count toward the lockout").isEqualTo(2);

        assertThat(right.getStatusCode()).isEqualTo(204);
        assertThat(right.getHeaders()).isEqualTo(NO_CONTENT_HEADERS);
        assertThat(right.getBody()).isNull();
        assertThat(right.getCookies()).hasSize(2);
        String sessionCookie = right.getCookies().get(0);
        assertThat(sessionCookie).startsWith("__Host-session=")
                .endsWith("; Max-Age=28800; Path=/; Secure; HttpOnly; SameSite=Lax");
        assertThat(right.getCookies().get(1)).matches("__Host-csrf=[^;]+; Max-Age=28800; Path=/; Secure; SameSite=Strict");
        String newId = ((SessionCookieCodec.Valid) world.codecs.get().cookies().verify(
                sessionCookie.substring("__Host-session=".length(), sessionCookie.indexOf(';')), world.clock.instant()))
                .token().id();
        assertThat(world.sessions.find(newId, world.clock.instant()).orElseThrow().amr())
                .as("the new session has proved the factor").containsExactly("pwd", "otp", "mfa");
        assertThat(world.sessions.find(caller.session().id(), world.clock.instant())).isEmpty();
        assertThat(world.hasher.verify(NEW_PASSWORD, world.users.get("alice").orElseThrow().passwordHash())).isTrue();
        assertThat(world.users.get("alice").orElseThrow().failedLogins()).isZero();
        assertThat(context.lines()).containsExactly(
                "WARN change-password outcome=refused reason=SECOND_FACTOR_NEEDED ip=" + IP + " user=alice",
                "WARN change-password outcome=refused reason=WRONG_CODE ip=" + IP + " user=alice",
                "INFO change-password outcome=success ip=" + IP + " user=alice sid=" + newId + " sessions=1");
        assertThat(String.join("\n", context.records())).doesNotContain(PASSWORD, NEW_PASSWORD, wrongCode, rightCode);
    }

    @Test
    void aBearerCallerWithoutTheFactorMayProveItWithARecoveryCodeAndItsNewSessionNeedsNoneAgain() {
        User alice = givenUser("alice", "alice@example.com");
        LoginService.LoggedIn caller = world.login("alice", PASSWORD);
        givenFactor(alice, caller);
        List<String> recoveryCodes = lastRecoveryCodes;

        APIGatewayV2HTTPResponse response = call(open, change(principal(alice, caller, AuthType.BEARER),
                Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD, "recovery_code", recoveryCodes.get(0))));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        Map<String, Object> body = body(response);
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "csrf_token", "session");
        @SuppressWarnings("unchecked")
        String newId = (String) ((Map<String, Object>) body.get("session")).get("id");
        assertThat(world.sessions.find(newId, world.clock.instant()).orElseThrow().amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(response.getCookies().get(1)).isEqualTo("__Host-csrf=" + body.get("csrf_token")
                + "; Max-Age=28800; Path=/; Secure; SameSite=Strict");
        assertThat(world.users.mfa().totp("alice").orElseThrow().recoveryCodesLeft()).isEqualTo(9);

        Principal next = new Principal(alice.userId(), alice.username(), alice.roles(), alice.permissions(), newId,
                AuthType.BEARER);
        assertThat(call(open, change(next, Map.of("current_password", NEW_PASSWORD, "new_password", PASSWORD,
                "recovery_code", recoveryCodes.get(0)))).getStatusCode())
                .as("the new session used the factor, so no code is checked, even a spent one").isEqualTo(200);
    }

    @Test
    void codeAndRecoveryCodeTogetherAre400AndNothingIsChecked() {
        User alice = givenUser("alice", "alice@example.com");
        LoginService.LoggedIn caller = world.login("alice", PASSWORD);
        byte[] secret = givenFactor(alice, caller);

        APIGatewayV2HTTPResponse response = call(open, change(principal(alice, caller, AuthType.COOKIE),
                Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD, "code", codeNow(secret),
                        "recovery_code", lastRecoveryCodes.get(0))));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo("{\"type\":\"urn:authfn:problem:malformed-request\","
                + "\"title\":\"Malformed request\",\"status\":400,"
                + "\"detail\":\"Send \\\"code\\\" or \\\"recovery_code\\\", not both.\"}");
        assertThat(response.getCookies()).isNull();
        assertThat(world.users.get("alice").orElseThrow().failedLogins()).isZero();
        assertThat(world.users.get("alice").orElseThrow().passwordHash()).isEqualTo(alice.passwordHash());
        assertThat(world.users.mfa().totp("alice").orElseThrow().recoveryCodesLeft()).isEqualTo(10);
        assertThat(world.sessions.find(caller.session().id(), world.clock.instant())).isPresent();
        assertThat(context.lines()).containsExactly(
                "WARN change-password outcome=refused reason=MALFORMED_REQUEST ip=" + IP);
    }

    @Test
    void aChangeWithoutTheAuthorizersContextAnswers401() {
        APIGatewayV2HTTPEvent event = route(Events.http("login-json.json"), "POST /auth/password/change",
                Json.write(Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD)));

        APIGatewayV2HTTPResponse response = call(open, event);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(body(response)).containsEntry("type", "urn:authfn:problem:not-authenticated");
    }

    // --- before any route ---

    @Test
    void refusesCrossSiteRequestsOnThePublicRoutes() {
        for (String route : List.of("POST /auth/register", "POST /auth/email/verify", "POST /auth/email/resend",
                "POST /auth/password/forgot", "POST /auth/password/reset")) {
            APIGatewayV2HTTPEvent event = post(route, Map.of("email", "alice@example.com"));
            event.getHeaders().put("origin", "https://evil.example");
            event.getHeaders().put("sec-fetch-site", "cross-site");

            APIGatewayV2HTTPResponse response = call(open, event);

            assertThat(response.getStatusCode()).as(route).isEqualTo(403);
            assertThat(body(response)).containsEntry("type", "urn:authfn:problem:cross-site-request");
        }
        assertThat(outbox.size()).isZero();
    }

    @Test
    void refusesLargeBodiesAndOtherContentTypesBeforeParsing() {
        APIGatewayV2HTTPEvent large = post("POST /auth/password/forgot", Map.of("username", "x".repeat(16 * 1024)));
        APIGatewayV2HTTPEvent text = post("POST /auth/password/forgot", Map.of("username", "alice"));
        text.getHeaders().put("content-type", "text/plain");

        APIGatewayV2HTTPResponse tooLarge = call(open, large);
        APIGatewayV2HTTPResponse unsupported = call(open, text);

        assertThat(tooLarge.getStatusCode()).isEqualTo(413);
        assertThat(body(tooLarge)).containsEntry("type", "urn:authfn:problem:payload-too-large");
        assertThat(unsupported.getStatusCode()).isEqualTo(415);
        assertThat(body(unsupported)).containsEntry("type", "urn:authfn:problem:unsupported-media-type");
        assertThat(context.lines()).containsExactly("WARN forgot-password outcome=refused reason=BODY_TOO_LARGE ip=" + IP,
                "WARN forgot-password outcome=refused reason=UNSUPPORTED_MEDIA_TYPE ip=" + IP);
        assertThat(outbox.size()).isZero();
    }

    @Test
    void anUnknownRouteAnswers404() {
        APIGatewayV2HTTPResponse response = call(open, post("POST /auth/account/delete", Map.of()));

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
    }
}
