package dev.authfn.functions.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.MfaService;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.mfa.MfaToken;
import dev.authfn.core.mfa.Totp;
import dev.authfn.core.session.Session;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.cookie.SessionCookieCodec;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.user.AttemptReservation;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import dev.authfn.core.json.Json;
import dev.authfn.testkit.lambda.Events;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.testkit.InMemoryStores;
import dev.authfn.testkit.lambda.World;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoginHandlerTest {

    private static final String PASSWORD = "correct horse battery staple";

    private static World world;
    private static LoginHandler handler;
    private final RecordingContext context = new RecordingContext();

    @BeforeAll
    static void wire() {
        world = new World();
        world.addUser("alice", PASSWORD, Set.of("user"), Set.of("posts:create"));
        handler = new LoginHandler(world.components);
    }

    @Test
    void jsonLoginAnswersTokensAndSetsBothCookies() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("login-json.json"), context);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders())
                .containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "no-store");
        Map<String, Object> body = Json.parseObject(response.getBody()).orElseThrow();
        assertThat(body).containsKeys("access_token", "csrf_token", "session")
                .containsEntry("token_type", "Bearer")
                .containsEntry("expires_in", 300L);
        @SuppressWarnings("unchecked")
        Map<String, Object> session = (Map<String, Object>) body.get("session");
        String sessionId = (String) session.get("id");
        assertThat(session).containsEntry("expires_at", World.T0.plus(Duration.ofHours(8)).toString())
                .containsEntry("idle_expires_at", World.T0.plus(Duration.ofMinutes(30)).toString());

        assertThat(response.getCookies()).hasSize(2);
        String sessionCookie = response.getCookies().get(0);
        String csrfCookie = response.getCookies().get(1);
        assertThat(sessionCookie).startsWith("__Host-session=")
                .endsWith("; Max-Age=28800; Path=/; Secure; HttpOnly; SameSite=Lax");
        assertThat(csrfCookie).isEqualTo("__Host-csrf=" + body.get("csrf_token")
                + "; Max-Age=28800; Path=/; Secure; SameSite=Strict");

        String cookieValue = sessionCookie.substring("__Host-session=".length(), sessionCookie.indexOf(';'));
        SessionCookieCodec.Result verified = world.codecs.get().cookies().verify(cookieValue, world.clock.instant());
        assertThat(verified).isInstanceOf(SessionCookieCodec.Valid.class);
        assertThat(((SessionCookieCodec.Valid) verified).token().id()).isEqualTo(sessionId);
        AccessTokenResult token = world.codecs.get().verifier().verify((String) body.get("access_token"));
        assertThat(token).isInstanceOf(AccessTokenResult.Verified.class);
        assertThat(((AccessTokenResult.Verified) token).claims().sessionId()).isEqualTo(sessionId);
        assertThat(world.sessions.find(sessionId, world.clock.instant())).isPresent();
    }

    @Test
    void basicLoginWorksToo() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("login-basic.json"), context);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getCookies()).hasSize(2);
    }

    @Test
    void everyLoginStartsABrandNewSession() {
        String first = sessionIdOf(handler.handleRequest(Events.http("login-json.json"), context));
        String second = sessionIdOf(handler.handleRequest(Events.http("login-json.json"), context));

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void wrongPasswordAndUnknownUserGetIdenticalAnswers() {
        APIGatewayV2HTTPResponse wrongPassword = handler.handleRequest(jsonLogin("alice", "not the password"), context);
        APIGatewayV2HTTPResponse unknownUser = handler.handleRequest(jsonLogin("mallory", "not the password"), context);

        assertThat(wrongPassword.getStatusCode()).isEqualTo(401);
        assertThat(wrongPassword.getHeaders())
                .containsEntry("Content-Type", "application/problem+json")
                .containsEntry("Cache-Control", "no-store");
        assertThat(wrongPassword.getBody()).isEqualTo(
                "{\"type\":\"urn:authfn:problem:invalid-credentials\",\"title\":\"Invalid credentials\","
                        + "\"status\":401,\"detail\":\"The username or password is wrong.\"}");
        assertThat(wrongPassword.getCookies()).isNull();
        assertThat(unknownUser.getStatusCode()).isEqualTo(wrongPassword.getStatusCode());
        assertThat(unknownUser.getHeaders()).isEqualTo(wrongPassword.getHeaders());
        assertThat(unknownUser.getBody()).isEqualTo(wrongPassword.getBody());
        assertThat(unknownUser.getCookies()).isNull();
    }

    @Test
    void anEnrolledUsersRightPasswordAnswersOnlyTheSecondStepsTokenAndSetsNoCookie() {
        World own = new World();
        User carol = own.addUser("carol", PASSWORD, Set.of("user"), Set.of());
        String setupSession = givenFactor(own, carol);
        LoginHandler twoSteps = new LoginHandler(own.components);

        APIGatewayV2HTTPResponse json = twoSteps.handleRequest(jsonLogin("carol", PASSWORD), context);
        APIGatewayV2HTTPResponse basic = twoSteps.handleRequest(basicLogin("carol:" + PASSWORD), context);

        for (APIGatewayV2HTTPResponse response : List.of(json, basic)) {
            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(response.getHeaders()).isEqualTo(Map.of("Content-Type", "application/json",
                    "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff"));
            assertThat(response.getCookies()).isNull();
            String mfaToken = (String) Json.parseObject(response.getBody()).orElseThrow().get("mfa_token");
            assertThat(response.getBody()).isEqualTo("{\"mfa_required\":true,\"mfa_token\":\"" + mfaToken
                    + "\",\"methods\":[\"totp\",\"recovery_code\"]}");
            MfaToken.Verified verified = own.codecs.get().mfaTokens().verify(mfaToken, own.clock.instant()).orElseThrow();
            assertThat(verified.userId()).isEqualTo(carol.userId());
            assertThat(verified.username()).isEqualTo("carol");
            assertThat(verified.expiresAt()).isEqualTo(own.clock.instant().plus(MfaToken.LIFETIME));
            assertThat(String.join("\n", context.records())).doesNotContain(mfaToken, PASSWORD);
        }
        assertThat(Json.parseObject(json.getBody()).orElseThrow().get("mfa_token"))
                .as("one token per login attempt").isNotEqualTo(Json.parseObject(basic.getBody()).orElseThrow().get("mfa_token"));
        assertThat(own.sessions.listLive(carol.userId(), own.clock.instant())).as("no session but the set-up's")
                .extracting(Session::id).containsExactly(setupSession);
        assertThat(context.lines()).containsExactly("INFO login outcome=mfa_required ip=203.0.113.10",
                "INFO login outcome=mfa_required ip=203.0.113.10");
    }

    @Test
    void anEnrolledUsersWrongPasswordAnswersExactlyWhatAnyOtherWrongPasswordGets() {
        World own = new World();
        givenFactor(own, own.addUser("carol", PASSWORD, Set.of("user"), Set.of()));
        own.addUser("dave", PASSWORD, Set.of("user"), Set.of());
        LoginHandler twoSteps = new LoginHandler(own.components);

        APIGatewayV2HTTPResponse enrolled = twoSteps.handleRequest(jsonLogin("carol", "not the password"), context);
        APIGatewayV2HTTPResponse plain = twoSteps.handleRequest(jsonLogin("dave", "not the password"), context);
        APIGatewayV2HTTPResponse enrolledBasic = twoSteps.handleRequest(basicLogin("carol:not the password"), context);
        APIGatewayV2HTTPResponse plainBasic = twoSteps.handleRequest(basicLogin("dave:not the password"), context);

        assertThat(enrolled.getStatusCode()).isEqualTo(401);
        assertThat(enrolled.getHeaders()).isEqualTo(Map.of("Content-Type", "application/problem+json",
                "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff"));
        assertThat(enrolled.getBody()).isEqualTo(
                "{\"type\":\"urn:authfn:problem:invalid-credentials\",\"title\":\"Invalid credentials\","
                        + "\"status\":401,\"detail\":\"The username or password is wrong.\"}");
        for (List<APIGatewayV2HTTPResponse> pair : List.of(List.of(enrolled, plain), List.of(enrolledBasic, plainBasic))) {
            assertThat(pair.get(0).getStatusCode()).isEqualTo(pair.get(1).getStatusCode());
            assertThat(pair.get(0).getHeaders()).isEqualTo(pair.get(1).getHeaders());
            assertThat(pair.get(0).getBody()).isEqualTo(pair.get(1).getBody());
            assertThat(pair.get(0).getCookies()).isNull();
            assertThat(pair.get(1).getCookies()).isNull();
        }
        assertThat(enrolledBasic.getHeaders()).containsEntry("WWW-Authenticate", "Basic realm=\"authfn\", charset=\"UTF-8\"");
        assertThat(context.lines()).containsOnly("WARN login outcome=refused reason=WRONG_PASSWORD ip=203.0.113.10")
                .hasSize(4);
    }

    @Test
    void basicRefusalNamesTheScheme() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(basicLogin("alice:wrong password"), context);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).containsEntry("WWW-Authenticate", "Basic realm=\"authfn\", charset=\"UTF-8\"");
    }

    @Test
    void crossSiteLoginIsRefusedBeforeAnythingElse() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("login-cross-site.json"), context);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getBody()).contains("\"type\":\"urn:authfn:problem:cross-site-request\"");
        assertThat(response.getCookies()).isNull();
    }

    @Test
    void foreignOriginLoginIsRefused() {
        APIGatewayV2HTTPEvent event = Events.http("login-json.json");
        event.getHeaders().put("origin", "https://evil.example");
        event.getHeaders().remove("sec-fetch-site");

        assertThat(handler.handleRequest(event, context).getStatusCode()).isEqualTo(403);
    }

    @Test
    void oversizedBodyIsRefusedBeforeParsing() {
        APIGatewayV2HTTPEvent event = Events.http("login-json.json");
        event.setBody("{\"username\":\"alice\",\"password\":\"" + "x".repeat(1024 * 1024) + "\"}");

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);

        assertThat(response.getStatusCode()).isEqualTo(413);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    }

    @Test
    void theBodyLimitCountsBytesSoAMultiByteBodyOverItIsRefused() {
        // 5,494 characters (5,460 of three bytes each): 16,414 bytes, over the 16 KiB limit in bytes though
        // far under it in characters.
        APIGatewayV2HTTPEvent event = Events.http("login-json.json");
        event.setBody("{\"username\":\"alice\",\"password\":\"" + "€".repeat(5_460) + "\"}");

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);

        assertThat(response.getStatusCode()).isEqualTo(413);
        assertThat(response.getBody()).contains("urn:authfn:problem:payload-too-large");
        assertThat(context.lines()).containsExactly("WARN login outcome=refused reason=BODY_TOO_LARGE ip=203.0.113.10");
    }

    @Test
    void otherContentTypesAreUnsupported() {
        APIGatewayV2HTTPEvent event = Events.http("login-json.json");
        event.getHeaders().put("content-type", "text/plain");

        assertThat(handler.handleRequest(event, context).getStatusCode()).isEqualTo(415);
    }

    @Test
    void malformedJsonIsABadRequest() {
        for (String body : new String[] {"{", "[]", "null", "{\"username\":1,\"password\":\"x\"}", "{\"username\":\"alice\"}"}) {
            APIGatewayV2HTTPEvent event = Events.http("login-json.json");
            event.setBody(body);

            assertThat(handler.handleRequest(event, context).getStatusCode()).as(body).isEqualTo(400);
        }
    }

    @Test
    void malformedBasicHeadersAreBadRequests() {
        for (String header : new String[] {"Basic", "Basic ", "Basic %%%", "Basic " + b64("no-colon"), "Basic " + b64(":pw"),
            "Bearer abc"}) {
            APIGatewayV2HTTPEvent event = Events.http("login-basic.json");
            event.getHeaders().put("authorization", header);

            assertThat(handler.handleRequest(event, context).getStatusCode()).as(header).isEqualTo(400);
        }
    }

    @Test
    void controlCharactersInTheUsernameGetTheGenericAnswerAndOneLogLine() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(jsonLogin("alice\r\nINFO forged line\u0000", PASSWORD), context);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(context.lines()).hasSize(1);
        assertThat(context.lines().get(0)).doesNotContain("\n", "\r", "forged");
    }

    @Test
    void lockedAccountAnswers429WithRetryAfterEvenForTheRightPassword() {
        World own = new World();
        own.addUser("bob", PASSWORD, Set.of(), Set.of());
        LoginHandler lockable = new LoginHandler(own.components);
        for (int i = 1; i < LockoutPolicy.DEFAULT.freeAttempts(); i++) {
            assertThat(lockable.handleRequest(jsonLogin("bob", "wrong password"), context).getStatusCode()).isEqualTo(401);
        }

        APIGatewayV2HTTPResponse locking = lockable.handleRequest(jsonLogin("bob", "wrong password"), context);
        APIGatewayV2HTTPResponse whileLocked = lockable.handleRequest(jsonLogin("bob", PASSWORD), context);

        assertThat(locking.getStatusCode()).isEqualTo(429);
        assertThat(locking.getHeaders()).containsEntry("Retry-After", "1");
        assertThat(whileLocked.getStatusCode()).isEqualTo(429);
        assertThat(whileLocked.getCookies()).isNull();
        own.clock.advance(Duration.ofSeconds(1));
        assertThat(lockable.handleRequest(jsonLogin("bob", PASSWORD), context).getStatusCode()).isEqualTo(200);
    }

    @Test
    void aLockedUnknownNameGetsTheSameAnswerAsALockedAccount() {
        World own = new World();
        own.addUser("bob", PASSWORD, Set.of(), Set.of());
        LoginHandler lockable = new LoginHandler(own.components);
        APIGatewayV2HTTPResponse account = null;
        APIGatewayV2HTTPResponse unknown = null;
        for (int i = 1; i <= LockoutPolicy.DEFAULT.freeAttempts(); i++) {
            account = lockable.handleRequest(jsonLogin("bob", "wrong password"), context);
            unknown = lockable.handleRequest(jsonLogin("nobody", "wrong password"), context);
        }

        assertThat(account.getStatusCode()).isEqualTo(429);
        assertThat(account.getHeaders()).containsEntry("Retry-After", "1");
        assertThat(unknown.getStatusCode()).isEqualTo(account.getStatusCode());
        assertThat(unknown.getHeaders()).isEqualTo(account.getHeaders());
        assertThat(unknown.getBody()).isEqualTo(account.getBody());
        assertThat(unknown.getCookies()).isNull();
    }

    @Test
    void inVerifiedModeAnUnverifiedAccountGets403OnlyWithTheRightPassword() {
        World own = new World();
        own.users.accounts().register(new User("erin", "u-erin", own.hasher.hash(PASSWORD), Set.of(), Set.of(),
                UserStatus.ACTIVE, 0, Instant.EPOCH, 0, "erin@example.com", false), dev.authfn.testkit.AccountStoreContract.STAND_IN_EXPIRY);
        LoginHandler verified = new LoginHandler(own.components(Map.of(AuthfnConfig.ENV_SIGNUP, "verified")));
        APIGatewayV2HTTPResponse generic = verified.handleRequest(jsonLogin("nobody", "not the password"), context);

        APIGatewayV2HTTPResponse right = verified.handleRequest(jsonLogin("erin", PASSWORD), context);
        APIGatewayV2HTTPResponse wrong = verified.handleRequest(jsonLogin("erin", "not the password"), context);

        assertThat(right.getStatusCode()).isEqualTo(403);
        assertThat(right.getHeaders()).containsEntry("Content-Type", "application/problem+json")
                .containsEntry("Cache-Control", "no-store");
        assertThat(right.getBody()).isEqualTo("{\"type\":\"urn:authfn:problem:email-not-verified\","
                + "\"title\":\"Email address not verified\",\"status\":403,\"detail\":\"Verify your email address"
                + " first: follow the link in the mail, or ask for a new one.\"}");
        assertThat(right.getCookies()).isNull();
        assertThat(own.sessions.listLive("u-erin", own.clock.instant())).isEmpty();
        assertThat(wrong.getStatusCode()).isEqualTo(401);
        assertThat(wrong.getHeaders()).isEqualTo(generic.getHeaders());
        assertThat(wrong.getBody()).isEqualTo(generic.getBody());
        assertThat(context.lines()).containsExactly(
                "WARN login outcome=refused reason=UNKNOWN_USER ip=203.0.113.10",
                "WARN login outcome=refused reason=EMAIL_NOT_VERIFIED ip=203.0.113.10",
                "WARN login outcome=refused reason=WRONG_PASSWORD ip=203.0.113.10");
        assertThat(new LoginHandler(own.components(Map.of(AuthfnConfig.ENV_SIGNUP, "open")))
                .handleRequest(jsonLogin("erin", PASSWORD), context).getStatusCode())
                .as("open sign-up lets it in").isEqualTo(200);
    }

    @Test
    void storeOutageAnswers503() {
        UserStore down = new UserStore() {
            @Override
            public Optional<User> get(String username) {
                throw new StoreUnavailableException("GetItem failed (test)", null);
            }

            @Override
            public UserLookup lookup(String username, Instant now) {
                throw new StoreUnavailableException("GetItem failed (test)", null);
            }

            @Override
            public boolean create(User user) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean replacePasswordHash(String username, String passwordHash) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean replacePasswordHash(User read, String newPasswordHash) {
                throw new UnsupportedOperationException();
            }

            @Override
            public AttemptReservation reserveAttempt(String username, Instant now, LockoutPolicy policy) {
                throw new UnsupportedOperationException();
            }

            @Override
            public AttemptReservation reserveUnknownAttempt(String username, Instant now, LockoutPolicy policy) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void recordSuccessfulLogin(String username) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean disable(String username) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean registerSession(User read, String sessionId, Instant absoluteExpiry, Instant now) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<Set<String>> closeSessionEpoch(String username, String userId, Instant now) {
                throw new UnsupportedOperationException();
            }
        };
        LoginHandler outage = new LoginHandler(world.components(new InMemoryStores(world.sessions, down)));

        APIGatewayV2HTTPResponse response = outage.handleRequest(Events.http("login-json.json"), context);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getBody()).contains("urn:authfn:problem:store-unavailable").doesNotContain("GetItem");
    }

    @Test
    void logsOneLinePerAttemptWithoutSecrets() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("login-json.json"), context);
        handler.handleRequest(jsonLogin("alice", "wrong password"), context);

        assertThat(context.records()).hasSize(2).allSatisfy(record -> assertThat(record).hasLineCount(1));
        Map<String, Object> success = context.events().get(0);
        assertThat(success).containsEntry("level", "INFO").containsEntry("event", "login")
                .containsEntry("outcome", "success").containsEntry("user", "alice").containsEntry("ip", "203.0.113.10")
                .containsKeys("AWSRequestId", "sid").doesNotContainKey("reason");
        assertThat(context.events().get(1)).containsExactly(Map.entry("level", "WARN"),
                Map.entry("AWSRequestId", context.getAwsRequestId()), Map.entry("event", "login"),
                Map.entry("outcome", "refused"), Map.entry("reason", "WRONG_PASSWORD"), Map.entry("ip", "203.0.113.10"));
        String accessToken = (String) Json.parseObject(response.getBody()).orElseThrow().get("access_token");
        assertThat(String.join("\n", context.records()))
                .doesNotContain(PASSWORD, "wrong password", accessToken, response.getCookies().get(0).substring(15, 60));
    }

    /**
     * Enrols and confirms a TOTP factor for {@code user} from a password session of theirs, through
     * the world's root as the mfa function does; returns that session's id.
     */
    private static String givenFactor(World world, User user) {
        LoginService.LoggedIn setup = world.login(user.username(), PASSWORD);
        Principal caller = new Principal(user.userId(), user.username(), user.roles(), user.permissions(),
                setup.session().id(), AuthType.COOKIE, setup.session().amr(), Optional.of(setup.session().authTime()));
        MfaService mfa = world.components.mfaService();
        byte[] secret = new Base32().decode(((MfaService.Enrolment) mfa.begin(caller)).secret());
        Totp totp = new Totp();
        assertThat(mfa.confirm(caller, totp.code(secret, totp.step(world.clock.instant()))))
                .isInstanceOf(MfaService.Confirmed.class);
        return setup.session().id();
    }

    private static APIGatewayV2HTTPEvent jsonLogin(String username, String password) {
        APIGatewayV2HTTPEvent event = Events.http("login-json.json");
        event.setBody(Json.write(Map.of("username", username, "password", password)));
        return event;
    }

    private static APIGatewayV2HTTPEvent basicLogin(String pair) {
        APIGatewayV2HTTPEvent event = Events.http("login-basic.json");
        event.getHeaders().put("authorization", "Basic " + b64(pair));
        return event;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String sessionIdOf(APIGatewayV2HTTPResponse response) {
        @SuppressWarnings("unchecked")
        Map<String, Object> session = (Map<String, Object>) Json.parseObject(response.getBody()).orElseThrow().get("session");
        return (String) session.get("id");
    }
}
