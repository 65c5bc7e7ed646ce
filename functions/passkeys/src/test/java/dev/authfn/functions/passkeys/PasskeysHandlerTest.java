package dev.authfn.functions.passkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.Components;
import dev.authfn.auth.LoginService;
import dev.authfn.core.authz.Amr;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.config.ConfigException;
import dev.authfn.core.cookie.SessionCookieCodec;
import dev.authfn.core.json.Json;
import dev.authfn.core.jwt.AccessTokenClaims;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyChallenge;
import dev.authfn.core.session.Session;
import dev.authfn.core.user.User;
import dev.authfn.lambda.AuthorizerContext;
import dev.authfn.testkit.InMemoryStores;
import dev.authfn.testkit.UnavailableSessionStore;
import dev.authfn.testkit.lambda.Events;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.testkit.lambda.World;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The passkey routes over the in-memory stores, with a {@link SoftwareAuthenticator} in a
 * browser on the API's own origin (the relying party the world's issuer gives) and events made
 * from the sample events of {@code events/} as API Gateway sends them (the authorizer's context
 * replaced by the test's caller). The world's clock stands still unless a test moves it.
 */
class PasskeysHandlerTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String IP = "203.0.113.10";
    private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json",
            "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff");
    private static final Map<String, String> PROBLEM_HEADERS = Map.of("Content-Type", "application/problem+json",
            "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff");
    private static final Map<String, String> NO_CONTENT_HEADERS = Map.of("Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff");
    private static final String SESSION_COOKIE_ATTRIBUTES = "; Max-Age=28800; Path=/; Secure; HttpOnly; SameSite=Lax";
    private static final String CSRF_COOKIE_ATTRIBUTES = "; Max-Age=28800; Path=/; Secure; SameSite=Strict";
    private static final String RECENT_LOGIN_CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"A more recent login is required\", max_age=300";

    private static final String PASSKEY_FAILED = problem("passkey-failed", "Passkey sign-in failed", 401,
            "The passkey was not accepted; ask for new options and try again.");
    private static final String PASSKEY_REJECTED = problem("passkey-rejected", "Passkey not accepted", 400,
            "The new passkey was not accepted; ask for new options and try again.");
    private static final String NO_SUCH_PASSKEY = problem("not-found", "Not found", 404, "You have no passkey with that id.");
    private static final String LOCKED = problem("account-locked", "Too many failed logins", 429,
            "Too many failed logins; try again later.");
    private static final String STEP_UP_REQUIRED = problem("step-up-required", "Step-up authentication required", 401,
            "This route needs a stronger or more recent login; the WWW-Authenticate header says which.");
    private static final String NOT_A_JSON_OBJECT = problem("malformed-request", "Malformed request", 400,
            "The body is not a JSON object.");
    private static final String BAD_NAME = problem("malformed-request", "Malformed request", 400,
            "\"name\" must be a string of at most 64 characters, without control characters.");

    private static final String REGISTER_OPTIONS = "POST /auth/passkeys/register/options";
    private static final String REGISTER = "POST /auth/passkeys/register";
    private static final String LIST = "GET /auth/passkeys";
    private static final String RENAME = "PATCH /auth/passkeys/{id}";
    private static final String REMOVE = "DELETE /auth/passkeys/{id}";
    private static final String LOGIN_OPTIONS = "POST /auth/passkeys/login/options";
    private static final String LOGIN = "POST /auth/passkeys/login";

    private final World world = new World();
    private final RecordingContext context = new RecordingContext();
    private final PasskeysHandler handler = new PasskeysHandler(world.components);
    private final SoftwareAuthenticator authenticator = new SoftwareAuthenticator(World.ISSUER, World.HOST);
    private final User alice = world.addUser("alice", PASSWORD, Set.of("user"), Set.of("posts:create"));

    // --- registration ---

    @Test
    void theCreationOptionsNameTheRelyingPartyARandomUserHandleAndWhatIsRequired() {
        Principal caller = login();

        APIGatewayV2HTTPResponse response = call(authorized(REGISTER_OPTIONS, caller, null, null));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        assertThat(response.getCookies()).isNull();
        Map<String, Object> body = body(response);
        assertThat(body.keySet()).containsExactly("rp", "user", "challenge", "pubKeyCredParams", "timeout",
                "excludeCredentials", "authenticatorSelection", "attestation");
        assertThat(body.get("rp")).isEqualTo(Map.of("id", World.HOST,
                "name", world.components.config().accounts().siteName()));
        @SuppressWarnings("unchecked")
        Map<String, Object> user = (Map<String, Object>) body.get("user");
        String handle = (String) user.get("id");
        assertThat(user).containsExactly(Map.entry("id", handle), Map.entry("name", "alice"),
                Map.entry("displayName", "alice"));
        assertThat(handle).matches("[A-Za-z0-9_-]{43}").isNotEqualTo("alice").isNotEqualTo(alice.userId());
        String decoded = new String(Base64.getUrlDecoder().decode(handle), StandardCharsets.ISO_8859_1);
        assertThat(decoded).doesNotContain("alice").doesNotContain(alice.userId());
        assertThat((String) body.get("challenge")).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(handle);
        assertThat(body.get("pubKeyCredParams")).isEqualTo(List.of(Map.of("type", "public-key", "alg", -7L),
                Map.of("type", "public-key", "alg", -8L), Map.of("type", "public-key", "alg", -257L)));
        assertThat(body).containsEntry("timeout", 300_000L).containsEntry("excludeCredentials", List.of())
                .containsEntry("attestation", "none");
        assertThat(body.get("authenticatorSelection")).isEqualTo(Map.of("residentKey", "required",
                "requireResidentKey", true, "userVerification", "required"));
        assertThat(world.users.passkeys().list("alice", alice.userId())).isEmpty();
        assertThat(context.lines()).containsExactly("INFO passkey-register-options outcome=success ip=" + IP + " user=alice");
    }

    @Test
    void theUserHandleIsMadeOnceAndTheOptionsExcludeThePasskeysTheUserHas() {
        Principal caller = login();
        Map<String, Object> first = registrationOptions(caller);
        String json = authenticator.register((String) first.get("challenge"), handleOf(first),
                c -> c.transports(List.of("usb", "nfc")).attachment("cross-platform"));
        assertThat(call(authorized(REGISTER, caller, SoftwareAuthenticator.body(json, null), null)).getStatusCode())
                .isEqualTo(201);

        Map<String, Object> second = registrationOptions(caller);

        assertThat(handleOf(second)).isEqualTo(handleOf(first));
        assertThat(second.get("challenge")).isNotEqualTo(first.get("challenge"));
        assertThat(second.get("excludeCredentials")).isEqualTo(List.of(Map.of("type", "public-key",
                "id", authenticator.last().id(), "transports", List.of("nfc", "usb"))));
    }

    @Test
    void aRegistrationStoresThePasskeyAndAnswers201WithItsView() {
        Principal caller = login();
        Map<String, Object> options = registrationOptions(caller);
        String json = authenticator.register((String) options.get("challenge"), handleOf(options));

        APIGatewayV2HTTPResponse response = call(authorized(REGISTER, caller,
                SoftwareAuthenticator.body(json, "  Work laptop "), null));

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        assertThat(response.getCookies()).isNull();
        String id = authenticator.last().id();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", id);
        expected.put("name", "Work laptop");
        expected.put("created_at", World.T0.toString());
        expected.put("last_used_at", null);
        expected.put("aaguid", SoftwareAuthenticator.AAGUID_VALUE.toString());
        expected.put("transports", List.of("hybrid", "internal"));
        expected.put("backup_eligible", false);
        expected.put("backed_up", false);
        expected.put("flagged", false);
        assertThat(response.getBody()).isEqualTo(Json.write(expected));
        Passkey stored = world.users.passkeys().find(id).orElseThrow();
        assertThat(stored.username()).isEqualTo("alice");
        assertThat(stored.userId()).isEqualTo(alice.userId());
        assertThat(stored.userHandle()).isEqualTo(handleOf(options));
        assertThat(stored.signCount()).isZero();
        assertThat(response.getBody()).as("no key material in the view").doesNotContain(stored.publicKey());
        assertThat(context.lines()).containsExactly(
                "INFO passkey-register-options outcome=success ip=" + IP + " user=alice",
                "INFO passkey-register outcome=success ip=" + IP + " user=alice");
    }

    @Test
    void aPasskeyWithoutANameIsCalledPasskeyAndABadNameIs400BeforeTheChallengeIsSpent() {
        Principal caller = login();
        Map<String, Object> options = registrationOptions(caller);
        String json = authenticator.register((String) options.get("challenge"), handleOf(options));

        List<APIGatewayV2HTTPResponse> badNames = new ArrayList<>();
        for (String body : List.of("{\"credential\":" + json + ",\"name\":7}",
                "{\"credential\":" + json + ",\"name\":\"" + "x".repeat(65) + "\"}",
                "{\"credential\":" + json + ",\"name\":\"tab\\there\"}")) {
            badNames.add(call(authorized(REGISTER, caller, body, null)));
        }
        APIGatewayV2HTTPResponse unnamed = call(authorized(REGISTER, caller,
                "{\"credential\":" + json + ",\"name\":null}", null));

        assertThat(badNames).allSatisfy(response -> {
            assertThat(response.getStatusCode()).isEqualTo(400);
            assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(response.getBody()).isEqualTo(BAD_NAME);
        });
        assertThat(unnamed.getStatusCode()).isEqualTo(201);
        assertThat(body(unnamed)).containsEntry("name", "Passkey");
    }

    @Test
    void aSyncedPasskeysViewSaysItIsBackupEligibleAndBackedUp() {
        Principal caller = login();

        Map<String, Object> view = body(register(caller, c -> c.backupEligible(true)));

        assertThat(view).containsEntry("backup_eligible", true).containsEntry("backed_up", true);
    }

    @Test
    void aRegistrationThatFailsACheckIs400PasskeyRejectedWithTheReasonLoggedOnly() {
        Principal caller = login();
        List<APIGatewayV2HTTPResponse> responses = new ArrayList<>();
        for (UnaryOperator<SoftwareAuthenticator.Ceremony> tamper : List.<UnaryOperator<SoftwareAuthenticator.Ceremony>>of(
                c -> c.origin("https://evil.example"), c -> c.rpId("evil.example"), c -> c.userVerified(false),
                c -> c.key("secp384r1", com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier.ES384))) {
            responses.add(register(caller, tamper));
        }

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.getStatusCode()).isEqualTo(400);
            assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(response.getBody()).isEqualTo(PASSKEY_REJECTED);
        });
        assertThat(world.users.passkeys().list("alice", alice.userId())).isEmpty();
        assertThat(context.lines()).filteredOn(line -> line.startsWith("WARN")).containsExactly(
                "WARN passkey-register outcome=refused reason=ORIGIN_MISMATCH ip=" + IP + " user=alice",
                "WARN passkey-register outcome=refused reason=RP_ID_MISMATCH ip=" + IP + " user=alice",
                "WARN passkey-register outcome=refused reason=USER_NOT_VERIFIED ip=" + IP + " user=alice",
                "WARN passkey-register outcome=refused reason=UNSUPPORTED_ALGORITHM ip=" + IP + " user=alice");
    }

    @Test
    void aRegistrationChallengeIsGoodOnceForTheSessionThatAskedAndNotForASignIn() {
        Principal caller = login();
        Principal otherSession = login();
        Map<String, Object> options = registrationOptions(caller);
        String json = authenticator.register((String) options.get("challenge"), handleOf(options));
        Map<String, Object> stolen = registrationOptions(caller);
        String stolenJson = authenticator.register((String) stolen.get("challenge"), handleOf(stolen));
        String loginChallenge = loginChallenge();
        String withLoginChallenge = authenticator.register(loginChallenge, handleOf(options));

        APIGatewayV2HTTPResponse fromOtherSession = call(authorized(REGISTER, otherSession,
                SoftwareAuthenticator.body(stolenJson, null), null));
        APIGatewayV2HTTPResponse first = call(authorized(REGISTER, caller, SoftwareAuthenticator.body(json, null), null));
        APIGatewayV2HTTPResponse replayed = call(authorized(REGISTER, caller, SoftwareAuthenticator.body(json, null), null));
        APIGatewayV2HTTPResponse signInChallenge = call(authorized(REGISTER, caller,
                SoftwareAuthenticator.body(withLoginChallenge, null), null));

        assertThat(first.getStatusCode()).isEqualTo(201);
        for (APIGatewayV2HTTPResponse refused : List.of(fromOtherSession, replayed, signInChallenge)) {
            assertThat(refused.getStatusCode()).isEqualTo(400);
            assertThat(refused.getBody()).isEqualTo(PASSKEY_REJECTED);
        }
        assertThat(world.users.passkeys().list("alice", alice.userId())).hasSize(1);
        assertThat(context.lines()).filteredOn(line -> line.startsWith("WARN")).containsExactly(
                "WARN passkey-register outcome=refused reason=CHALLENGE_OTHER_SESSION ip=" + IP + " user=alice",
                "WARN passkey-register outcome=refused reason=CHALLENGE_UNKNOWN ip=" + IP + " user=alice",
                "WARN passkey-register outcome=refused reason=CHALLENGE_OTHER_CEREMONY ip=" + IP + " user=alice");
    }

    @Test
    void theTenthPasskeyIsTheLastAndTheOptionsThenSay409() {
        Principal caller = login();
        for (int i = 0; i < 10; i++) {
            assertThat(register(caller, UnaryOperator.identity()).getStatusCode()).isEqualTo(201);
        }

        APIGatewayV2HTTPResponse response = call(authorized(REGISTER_OPTIONS, caller, null, null));

        assertThat(response.getStatusCode()).isEqualTo(409);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo(problem("passkey-limit", "Too many passkeys", 409,
                "This account has 10 passkeys, the most allowed; remove one first."));
        assertThat(context.lines()).last().isEqualTo(
                "WARN passkey-register-options outcome=refused reason=LIMIT_REACHED ip=" + IP + " user=alice");
    }

    @Test
    void addingOrRemovingAPasskeyNeedsALoginOfTheLastFiveMinutesButListingAndRenamingDoNot() {
        Principal caller = login();
        String id = (String) body(register(caller, UnaryOperator.identity())).get("id");
        world.clock.advance(PasskeysHandler.RECENT_LOGIN);
        APIGatewayV2HTTPResponse justInTime = call(authorized(REGISTER_OPTIONS, caller, null, null));
        world.clock.advance(Duration.ofSeconds(1));
        Principal noAuthTime = new Principal(caller.userId(), caller.username(), caller.roles(), caller.permissions(),
                caller.sessionId(), AuthType.COOKIE, caller.amr(), Optional.empty());

        List<APIGatewayV2HTTPResponse> stale = List.of(call(authorized(REGISTER_OPTIONS, caller, null, null)),
                call(authorized(REMOVE, caller, null, id)), call(authorized(REGISTER_OPTIONS, noAuthTime, null, null)));
        APIGatewayV2HTTPResponse list = call(authorized(LIST, caller, null, null));
        APIGatewayV2HTTPResponse rename = call(authorized(RENAME, caller, "{\"name\":\"Old\"}", id));

        assertThat(justInTime.getStatusCode()).as("a login exactly five minutes old passes").isEqualTo(200);
        for (APIGatewayV2HTTPResponse response : stale) {
            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(response.getHeaders()).isEqualTo(withHeader(PROBLEM_HEADERS, "WWW-Authenticate",
                    RECENT_LOGIN_CHALLENGE));
            assertThat(response.getBody()).isEqualTo(STEP_UP_REQUIRED);
            assertThat(response.getCookies()).isNull();
        }
        assertThat(list.getStatusCode()).isEqualTo(200);
        assertThat(rename.getStatusCode()).isEqualTo(204);
        assertThat(world.users.passkeys().find(id)).isPresent();
        String sid = " user=alice sid=" + caller.sessionId();
        assertThat(context.lines()).filteredOn(line -> line.startsWith("WARN")).containsExactly(
                "WARN passkey outcome=refused reason=STEP_UP_REQUIRED route=POST_/auth/passkeys/register/options" + sid,
                "WARN passkey outcome=refused reason=STEP_UP_REQUIRED route=DELETE_/auth/passkeys/{id}" + sid,
                "WARN passkey outcome=refused reason=STEP_UP_REQUIRED route=POST_/auth/passkeys/register/options" + sid);
    }

    @Test
    void anAuthorizedRouteReachedWithoutTheAuthorizersContextIs401() {
        APIGatewayV2HTTPEvent event = authorized(LIST, login(), null, null);
        event.getRequestContext().setAuthorizer(null);

        APIGatewayV2HTTPResponse response = call(event);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getBody()).isEqualTo(problem("not-authenticated", "Not authenticated", 401,
                "This route needs an authenticated session."));
        assertThat(context.lines()).containsExactly(
                "WARN passkey outcome=refused reason=NO_AUTHORIZER_CONTEXT route=GET_/auth/passkeys");
    }

    @Test
    void aLoggedOutOrDisabledCallerIs401OnEveryAuthorizedRoute() {
        Principal caller = login();
        String id = (String) body(register(caller, UnaryOperator.identity())).get("id");
        world.sessions.revoke(caller.sessionId(), alice.userId());

        List<APIGatewayV2HTTPResponse> responses = List.of(call(authorized(REGISTER_OPTIONS, caller, null, null)),
                call(authorized(LIST, caller, null, null)), call(authorized(RENAME, caller, "{\"name\":\"x\"}", id)),
                call(authorized(REMOVE, caller, null, id)));

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.getStatusCode()).isEqualTo(401);
            assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(response.getBody()).isEqualTo(problem("not-authenticated", "Not authenticated", 401,
                    "The session has ended; log in again."));
        });
        assertThat(world.users.passkeys().find(id)).isPresent();
        String ended = " ip=" + IP + " user=alice sid=" + caller.sessionId();
        assertThat(context.lines()).filteredOn(line -> line.startsWith("WARN")).containsExactly(
                "WARN passkey-register-options outcome=refused reason=SESSION_ENDED" + ended,
                "WARN passkey-list outcome=refused reason=SESSION_ENDED" + ended,
                "WARN passkey-rename outcome=refused reason=SESSION_ENDED" + ended,
                "WARN passkey-remove outcome=refused reason=SESSION_ENDED" + ended);
    }

    // --- list, rename, remove ---

    @Test
    void theListShowsTheCallersPasskeysOldestFirstAndNoOneElses() {
        Principal caller = login();
        world.addUser("bob", PASSWORD, Set.of("user"), Set.of());
        Principal bob = principal(world.login("bob", PASSWORD), AuthType.COOKIE);
        String first = (String) body(register(caller, UnaryOperator.identity())).get("id");
        world.clock.advance(Duration.ofSeconds(10));
        String second = (String) body(register(caller, c -> c.backupEligible(true))).get("id");
        register(bob, UnaryOperator.identity());

        APIGatewayV2HTTPResponse response = call(authorized(LIST, caller, null, null));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> passkeys = (List<Map<String, Object>>) body(response).get("passkeys");
        assertThat(passkeys).extracting(view -> view.get("id")).containsExactly(first, second);
        assertThat(passkeys.get(1)).containsEntry("created_at", World.T0.plusSeconds(10).toString())
                .containsEntry("backup_eligible", true);
        assertThat(passkeys).allSatisfy(view -> assertThat(view.keySet()).containsExactly("id", "name", "created_at",
                "last_used_at", "aaguid", "transports", "backup_eligible", "backed_up", "flagged"));
    }

    @Test
    void renamingAnswers204AndSomeoneElsesPasskeyIs404() {
        Principal caller = login();
        String id = (String) body(register(caller, UnaryOperator.identity())).get("id");
        world.addUser("bob", PASSWORD, Set.of("user"), Set.of());
        Principal bob = principal(world.login("bob", PASSWORD), AuthType.COOKIE);

        APIGatewayV2HTTPResponse renamed = call(authorized(RENAME, caller, "{\"name\":\" Phone \"}", id));
        APIGatewayV2HTTPResponse notBobs = call(authorized(RENAME, bob, "{\"name\":\"Mine now\"}", id));
        APIGatewayV2HTTPResponse unknown = call(authorized(RENAME, caller, "{\"name\":\"x\"}", "AAAA"));
        APIGatewayV2HTTPResponse noName = call(authorized(RENAME, caller, "{}", id));
        APIGatewayV2HTTPResponse nullName = call(authorized(RENAME, caller, "{\"name\":null}", id));

        assertThat(renamed.getStatusCode()).isEqualTo(204);
        assertThat(renamed.getHeaders()).isEqualTo(NO_CONTENT_HEADERS);
        assertThat(renamed.getBody()).isNull();
        assertThat(renamed.getCookies()).isNull();
        for (APIGatewayV2HTTPResponse missing : List.of(notBobs, unknown)) {
            assertThat(missing.getStatusCode()).isEqualTo(404);
            assertThat(missing.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(missing.getBody()).isEqualTo(NO_SUCH_PASSKEY);
        }
        for (APIGatewayV2HTTPResponse bad : List.of(noName, nullName)) {
            assertThat(bad.getStatusCode()).isEqualTo(400);
            assertThat(bad.getBody()).isEqualTo(BAD_NAME);
        }
        assertThat(world.users.passkeys().find(id).orElseThrow().name()).isEqualTo("Phone");
        assertThat(context.lines()).filteredOn(line -> line.contains("passkey-rename")).containsExactly(
                "INFO passkey-rename outcome=success ip=" + IP + " user=alice",
                "WARN passkey-rename outcome=refused reason=NOT_FOUND ip=" + IP + " user=bob",
                "WARN passkey-rename outcome=refused reason=NOT_FOUND ip=" + IP + " user=alice",
                "WARN passkey-rename outcome=refused reason=MALFORMED_REQUEST ip=" + IP,
                "WARN passkey-rename outcome=refused reason=MALFORMED_REQUEST ip=" + IP);
    }

    @Test
    void removingEndsEverySessionAndAnswersACookieCaller204WithItsNewSessionsCookies() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        Principal caller = multiFactor(principal(login, AuthType.COOKIE));
        String id = (String) body(register(caller, UnaryOperator.identity())).get("id");
        LoginService.LoggedIn elsewhere = world.login("alice", PASSWORD);
        String signedIn = sessionIdOf(call(signInEvent(authenticator.signIn(loginChallenge()))));

        APIGatewayV2HTTPResponse response = call(authorized(REMOVE, caller, null, id));

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getHeaders()).isEqualTo(NO_CONTENT_HEADERS);
        assertThat(response.getBody()).isNull();
        assertThat(response.getCookies()).hasSize(2);
        String newId = sessionIdOfCookie(response.getCookies().get(0));
        assertThat(response.getCookies().get(0)).startsWith("__Host-session=").endsWith(SESSION_COOKIE_ATTRIBUTES);
        assertThat(response.getCookies().get(1)).startsWith("__Host-csrf=").endsWith(CSRF_COOKIE_ATTRIBUTES);
        Instant now = world.clock.instant();
        for (String ended : List.of(login.session().id(), elsewhere.session().id(), signedIn)) {
            assertThat(world.sessions.find(ended, now)).as(ended).isEmpty();
        }
        assertThat(world.sessions.listLive(alice.userId(), now)).extracting(Session::id).containsExactly(newId);
        assertThat(world.sessions.find(newId, now).orElseThrow().amr()).as("the caller's own methods")
                .containsExactly("pwd");
        assertThat(world.users.passkeys().find(id)).isEmpty();
        assertThat(context.lines()).last().isEqualTo(
                "INFO passkey-remove outcome=success ip=" + IP + " user=alice sid=" + newId + " sessions=3");
    }

    @Test
    void aBearerCallerRemovesAPasskeyAndGets200WithTheNewTokens() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        Principal caller = multiFactor(principal(login, AuthType.BEARER));
        String id = (String) body(register(caller, UnaryOperator.identity())).get("id");
        APIGatewayV2HTTPEvent event = authorized(REMOVE, caller, null, id);
        event.setCookies(null);
        event.getHeaders().remove("x-csrf-token");
        event.getHeaders().put("authorization", "Bearer " + login.accessToken());

        APIGatewayV2HTTPResponse response = call(event);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        assertThat(body(response)).containsOnlyKeys("access_token", "token_type", "expires_in", "csrf_token", "session");
        assertCookiesOf(response, sessionIdOf(response), (String) body(response).get("csrf_token"));
        assertThat(world.sessions.find(login.session().id(), world.clock.instant())).isEmpty();
    }

    @Test
    void removingSomeoneElsesOrAnUnknownPasskeyIs404AndEndsNoSession() {
        Principal caller = login();
        String id = (String) body(register(caller, UnaryOperator.identity())).get("id");
        world.addUser("bob", PASSWORD, Set.of("user"), Set.of());
        Principal bob = principal(world.login("bob", PASSWORD), AuthType.COOKIE);

        APIGatewayV2HTTPResponse notBobs = call(authorized(REMOVE, bob, null, id));
        APIGatewayV2HTTPResponse unknown = call(authorized(REMOVE, caller, null, "AAAA"));

        for (APIGatewayV2HTTPResponse missing : List.of(notBobs, unknown)) {
            assertThat(missing.getStatusCode()).isEqualTo(404);
            assertThat(missing.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(missing.getBody()).isEqualTo(NO_SUCH_PASSKEY);
            assertThat(missing.getCookies()).isNull();
        }
        assertThat(world.users.passkeys().find(id)).isPresent();
        assertThat(world.sessions.find(caller.sessionId(), world.clock.instant())).isPresent();
        assertThat(world.sessions.find(bob.sessionId(), world.clock.instant())).isPresent();
        assertThat(context.lines()).filteredOn(line -> line.startsWith("WARN")).containsExactly(
                "WARN passkey-remove outcome=refused reason=NOT_FOUND ip=" + IP + " user=bob",
                "WARN passkey-remove outcome=refused reason=NOT_FOUND ip=" + IP + " user=alice");
    }

    // --- sign-in ---

    @Test
    void theRequestOptionsAreAChallengeForAnyDiscoverablePasskeyWithUserVerification() {
        APIGatewayV2HTTPResponse response = call(publicEvent(LOGIN_OPTIONS, null));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        assertThat(response.getCookies()).isNull();
        Map<String, Object> body = body(response);
        String challenge = (String) body.get("challenge");
        assertThat(challenge).matches("[A-Za-z0-9_-]{43}");
        assertThat(body).containsExactly(Map.entry("challenge", challenge), Map.entry("timeout", 300_000L),
                Map.entry("rpId", World.HOST), Map.entry("allowCredentials", List.of()),
                Map.entry("userVerification", "required"));
        assertThat(context.lines()).containsExactly("INFO passkey-login-options outcome=success ip=" + IP);
    }

    @Test
    void aDeviceBoundPasskeySignsInWithBothCookiesAndASessionOfHwkUserAndMfa() {
        String id = (String) body(register(login(), UnaryOperator.identity())).get("id");
        world.clock.advance(Duration.ofMinutes(1));

        APIGatewayV2HTTPResponse response = call(signInEvent(authenticator.signIn(loginChallenge())));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        Map<String, Object> body = body(response);
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "csrf_token", "session")
                .containsEntry("token_type", "Bearer").containsEntry("expires_in", 300L);
        String sessionId = sessionIdOf(response);
        Instant now = world.clock.instant();
        @SuppressWarnings("unchecked")
        Map<String, Object> sessionView = (Map<String, Object>) body.get("session");
        assertThat(sessionView).containsExactly(Map.entry("id", sessionId),
                Map.entry("expires_at", now.plus(Duration.ofHours(8)).toString()),
                Map.entry("idle_expires_at", now.plus(Duration.ofMinutes(30)).toString()));
        assertCookiesOf(response, sessionId, (String) body.get("csrf_token"));
        Session session = world.sessions.find(sessionId, now).orElseThrow();
        assertThat(session.amr()).containsExactly("hwk", "user", "mfa");
        assertThat(session.authTime()).isEqualTo(now);
        assertThat(jwtPayload((String) body.get("access_token"))).containsEntry("amr", List.of("hwk", "user", "mfa"))
                .containsEntry("sub", alice.userId()).containsEntry("sid", sessionId);
        AccessTokenClaims claims = ((AccessTokenResult.Verified) world.codecs.get().verifier()
                .verify((String) body.get("access_token"))).claims();
        assertThat(claims.amr()).containsExactly("hwk", "user", "mfa");
        Passkey used = world.users.passkeys().find(id).orElseThrow();
        assertThat(used.signCount()).isEqualTo(1);
        assertThat(used.lastUsedAt()).contains(now);
        assertThat(context.lines()).last().isEqualTo(
                "INFO passkey-login outcome=success ip=" + IP + " user=alice sid=" + sessionId);
    }

    @Test
    void aSyncedPasskeySignsInWithASessionOfSwkUserAndMfa() {
        register(login(), c -> c.backupEligible(true));

        APIGatewayV2HTTPResponse response = call(signInEvent(authenticator.signIn(loginChallenge())));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(jwtPayload((String) body(response).get("access_token"))).containsEntry("amr",
                List.of("swk", "user", "mfa"));
        assertThat(world.sessions.find(sessionIdOf(response), world.clock.instant()).orElseThrow().amr())
                .containsExactly("swk", "user", "mfa");
    }

    @Test
    void aChallengeIsGoodForOneResponse() {
        register(login(), UnaryOperator.identity());
        String json = authenticator.signIn(loginChallenge());

        APIGatewayV2HTTPResponse first = call(signInEvent(json));
        APIGatewayV2HTTPResponse replayed = call(signInEvent(json));

        assertThat(first.getStatusCode()).isEqualTo(200);
        assertPasskeyFailed(replayed);
        assertThat(context.lines()).last().isEqualTo("WARN passkey-login outcome=refused reason=CHALLENGE_UNKNOWN ip=" + IP);
    }

    @Test
    void aChallengeIsGoodForFiveMinutes() {
        register(login(), UnaryOperator.identity());
        String timely = loginChallenge();
        String late = loginChallenge();
        world.clock.advance(PasskeyChallenge.LIFETIME.minusSeconds(1));
        APIGatewayV2HTTPResponse lastSecond = call(signInEvent(authenticator.signIn(timely)));
        world.clock.advance(Duration.ofSeconds(1));

        APIGatewayV2HTTPResponse expired = call(signInEvent(authenticator.signIn(late)));

        assertThat(lastSecond.getStatusCode()).isEqualTo(200);
        assertPasskeyFailed(expired);
        assertThat(context.lines()).last().isEqualTo("WARN passkey-login outcome=refused reason=CHALLENGE_EXPIRED ip=" + IP);
    }

    @Test
    void aRegistrationChallengeSignsNoOneIn() {
        Principal caller = login();
        register(caller, UnaryOperator.identity());
        String registrationChallenge = (String) registrationOptions(caller).get("challenge");

        APIGatewayV2HTTPResponse response = call(signInEvent(authenticator.signIn(registrationChallenge)));

        assertPasskeyFailed(response);
        assertThat(context.lines()).last().isEqualTo(
                "WARN passkey-login outcome=refused reason=CHALLENGE_OTHER_CEREMONY ip=" + IP);
    }

    @Test
    void aResponseThatFailsACheckGetsTheOneRefusal() {
        register(login(), UnaryOperator.identity());
        List<APIGatewayV2HTTPResponse> responses = new ArrayList<>();
        for (UnaryOperator<SoftwareAuthenticator.Ceremony> tamper : List.<UnaryOperator<SoftwareAuthenticator.Ceremony>>of(
                c -> c.origin("https://evil.example"), c -> c.userVerified(false),
                c -> c.signWith(SoftwareAuthenticator.strangerKey()),
                c -> c.userHandle(Optional.of(new byte[32])), c -> c.userHandle(Optional.empty()))) {
            responses.add(call(signInEvent(authenticator.signIn(loginChallenge(), tamper))));
        }
        SoftwareAuthenticator stranger = new SoftwareAuthenticator(World.ISSUER, World.HOST);
        stranger.register("AAAA", "AAAA");
        responses.add(call(signInEvent(stranger.signIn(loginChallenge()))));

        assertThat(responses).hasSize(6).allSatisfy(PasskeysHandlerTest::assertPasskeyFailed);
        assertThat(context.lines()).filteredOn(line -> line.startsWith("WARN")).containsExactly(
                "WARN passkey-login outcome=refused reason=ORIGIN_MISMATCH ip=" + IP + " user=alice",
                "WARN passkey-login outcome=refused reason=USER_NOT_VERIFIED ip=" + IP + " user=alice",
                "WARN passkey-login outcome=refused reason=SIGNATURE_INVALID ip=" + IP + " user=alice",
                "WARN passkey-login outcome=refused reason=USER_HANDLE_MISMATCH ip=" + IP,
                "WARN passkey-login outcome=refused reason=USER_HANDLE_MISMATCH ip=" + IP,
                "WARN passkey-login outcome=refused reason=UNKNOWN_CREDENTIAL ip=" + IP);
        assertThat(world.users.get("alice").orElseThrow().failedLogins())
                .as("the three checked with a reservation in hand").isEqualTo(3);
    }

    @Test
    void aDisabledUsersPasskeyFailsLikeAWrongOneAndCounts() {
        String id = (String) body(register(login(), UnaryOperator.identity())).get("id");
        world.users.disable("alice");

        APIGatewayV2HTTPResponse response = call(signInEvent(authenticator.signIn(loginChallenge())));

        assertPasskeyFailed(response);
        assertThat(world.users.get("alice").orElseThrow().failedLogins()).isOne();
        assertThat(world.users.passkeys().find(id).orElseThrow().signCount()).as("its use not recorded").isZero();
        assertThat(context.lines()).last().isEqualTo("WARN passkey-login outcome=refused reason=DISABLED ip=" + IP + " user=alice");
    }

    @Test
    void aCounterThatWentBackFlagsThePasskeyAndItSignsNoOneInAgain() {
        String id = (String) body(register(login(), UnaryOperator.identity())).get("id");
        SoftwareAuthenticator.Credential credential = authenticator.last();
        assertThat(call(signInEvent(authenticator.signIn(credential, loginChallenge(), c -> c.counter(5))))
                .getStatusCode()).isEqualTo(200);

        APIGatewayV2HTTPResponse regressed = call(signInEvent(authenticator.signIn(credential, loginChallenge(),
                c -> c.counter(3))));
        APIGatewayV2HTTPResponse honestAfter = call(signInEvent(authenticator.signIn(credential, loginChallenge(),
                c -> c.counter(9))));

        assertPasskeyFailed(regressed);
        assertPasskeyFailed(honestAfter);
        Passkey flagged = world.users.passkeys().find(id).orElseThrow();
        assertThat(flagged.flagged()).isTrue();
        assertThat(flagged.signCount()).isEqualTo(5);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = (List<Map<String, Object>>) body(call(authorized(LIST, login(), null, null)))
                .get("passkeys");
        assertThat(listed.getFirst()).containsEntry("flagged", true);
        assertThat(context.lines()).filteredOn(line -> line.startsWith("WARN")).containsExactly(
                "WARN passkey-login outcome=refused reason=COUNTER_REGRESSION ip=" + IP + " user=alice",
                "WARN passkey-login outcome=refused reason=CREDENTIAL_FLAGGED ip=" + IP + " user=alice");
    }

    @Test
    void failedSignInsCountTowardTheLockoutAndThenEvenTheRightPasskeyGets429WithRetryAfter() {
        register(login(), UnaryOperator.identity());

        List<APIGatewayV2HTTPResponse> free = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            free.add(call(signInEvent(authenticator.signIn(loginChallenge(),
                    SoftwareAuthenticator.Ceremony::corruptSignature))));
        }
        APIGatewayV2HTTPResponse locking = call(signInEvent(authenticator.signIn(loginChallenge(),
                SoftwareAuthenticator.Ceremony::corruptSignature)));
        APIGatewayV2HTTPResponse rightWhileLocked = call(signInEvent(authenticator.signIn(loginChallenge())));
        world.clock.advance(Duration.ofSeconds(1));
        APIGatewayV2HTTPResponse afterTheLock = call(signInEvent(authenticator.signIn(loginChallenge())));

        assertThat(free).allSatisfy(PasskeysHandlerTest::assertPasskeyFailed);
        for (APIGatewayV2HTTPResponse locked : List.of(locking, rightWhileLocked)) {
            assertThat(locked.getStatusCode()).isEqualTo(429);
            assertThat(locked.getHeaders()).isEqualTo(withHeader(PROBLEM_HEADERS, "Retry-After", "1"));
            assertThat(locked.getBody()).isEqualTo(LOCKED);
            assertThat(locked.getCookies()).isNull();
        }
        assertThat(afterTheLock.getStatusCode()).isEqualTo(200);
        assertThat(world.users.get("alice").orElseThrow().failedLogins()).as("the success reset the count").isZero();
        String refused = "WARN passkey-login outcome=refused reason=SIGNATURE_INVALID ip=" + IP + " user=alice";
        String lockedLine = "WARN passkey-login outcome=locked ip=" + IP + " user=alice retry_after=1";
        assertThat(context.lines()).filteredOn(line -> line.startsWith("WARN") || line.contains("passkey-login "))
                .containsExactly(refused, refused, refused, refused, lockedLine, lockedLine,
                        "INFO passkey-login outcome=success ip=" + IP + " user=alice sid=" + sessionIdOf(afterTheLock));
    }

    @Test
    void refusesACrossSiteSignInAndItsOptionsBeforeReadingThem() {
        register(login(), UnaryOperator.identity());
        String challenge = loginChallenge();
        APIGatewayV2HTTPEvent signIn = signInEvent(authenticator.signIn(challenge));
        APIGatewayV2HTTPEvent options = publicEvent(LOGIN_OPTIONS, null);
        for (APIGatewayV2HTTPEvent event : List.of(signIn, options)) {
            event.getHeaders().put("origin", "https://evil.example");
            event.getHeaders().put("sec-fetch-site", "cross-site");
        }

        List<APIGatewayV2HTTPResponse> responses = List.of(call(signIn), call(options));

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.getStatusCode()).isEqualTo(403);
            assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(response.getBody()).isEqualTo(problem("cross-site-request", "Cross-site request refused", 403,
                    "Sign-ins from other sites are refused."));
            assertThat(response.getCookies()).isNull();
        });
        assertThat(call(signInEvent(authenticator.signIn(challenge))).getStatusCode()).as("the challenge was not spent")
                .isEqualTo(200);
        assertThat(context.lines()).filteredOn(line -> line.startsWith("WARN")).containsExactly(
                "WARN passkey-login outcome=refused reason=CROSS_SITE ip=" + IP,
                "WARN passkey-login-options outcome=refused reason=CROSS_SITE ip=" + IP);
    }

    @Test
    void anUnverifiedAddressSignsInNoOneWhenSignUpIsVerified() {
        PasskeysHandler verified = new PasskeysHandler(world.components(Map.of("AUTHFN_SIGNUP", "verified")));
        User carol = new User("carol", java.util.UUID.randomUUID().toString(), world.hasher.hash(PASSWORD), Set.of("user"),
                Set.of(), dev.authfn.core.user.UserStatus.ACTIVE, 0, Instant.EPOCH, 0, "carol@example.com", false);
        assertThat(world.users.create(carol)).isTrue();
        register(principal(world.login("carol", PASSWORD), AuthType.COOKIE), UnaryOperator.identity());

        APIGatewayV2HTTPResponse response = call(verified, signInEvent(authenticator.signIn(loginChallenge(verified))));

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getBody()).isEqualTo(problem("email-not-verified", "Email address not verified", 403,
                "Verify your email address first: follow the link in the mail we sent."));
        assertThat(response.getCookies()).isNull();
        assertThat(context.lines()).last().isEqualTo(
                "WARN passkey-login outcome=refused reason=EMAIL_NOT_VERIFIED ip=" + IP);
    }

    @Test
    void aSessionsTableThatCannotAnswerIs503WithoutTheCause() {
        register(login(), UnaryOperator.identity());
        PasskeysHandler down = new PasskeysHandler(world.components(
                new InMemoryStores(new UnavailableSessionStore(), world.users)));

        APIGatewayV2HTTPResponse response = call(down, signInEvent(authenticator.signIn(loginChallenge(down))));

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo(problem("store-unavailable", "Service unavailable", 503,
                "Passkeys are unavailable; try again shortly."));
        assertThat(context.lines()).last().isEqualTo(
                "ERROR passkey-login outcome=error reason=STORE_UNAVAILABLE ip=" + IP);
    }

    // --- bodies and routes ---

    @Test
    void refusesOtherContentTypesMalformedBodiesAndBodiesOver32KibibytesBeforeAnyStore() {
        register(login(), UnaryOperator.identity());
        String json = authenticator.signIn(loginChallenge());
        APIGatewayV2HTTPEvent text = signInEvent(json);
        text.getHeaders().put("content-type", "text/plain");
        APIGatewayV2HTTPEvent none = signInEvent(json);
        none.getHeaders().remove("content-type");
        String padded = "{\"credential\":" + json + ",\"padding\":\"";
        APIGatewayV2HTTPEvent atTheLimit = signInEvent(json);
        atTheLimit.setBody(padded + "x".repeat(PasskeysHandler.MAX_BODY_BYTES - padded.length() - 2) + "\"}");
        APIGatewayV2HTTPEvent overIt = signInEvent(json);
        overIt.setBody(padded + "x".repeat(PasskeysHandler.MAX_BODY_BYTES - padded.length() - 1) + "\"}");

        APIGatewayV2HTTPResponse unsupported = call(text);
        APIGatewayV2HTTPResponse noType = call(none);
        APIGatewayV2HTTPResponse tooLarge = call(overIt);
        List<APIGatewayV2HTTPResponse> malformed = new ArrayList<>();
        for (String body : List.of("{\"credential\":", "[]", "\"credential\"", "", "{}", "{\"credential\":\"x\"}",
                "{\"credential\":[]}")) {
            APIGatewayV2HTTPEvent event = signInEvent(json);
            event.setBody(body);
            malformed.add(call(event));
        }
        APIGatewayV2HTTPResponse notACredential = call(signInEvent("{\"id\":\"AAAA\"}"));
        APIGatewayV2HTTPResponse limit = call(atTheLimit);

        for (APIGatewayV2HTTPResponse response : List.of(unsupported, noType)) {
            assertThat(response.getStatusCode()).isEqualTo(415);
            assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(response.getBody()).isEqualTo(problem("unsupported-media-type", "Unsupported media type", 415,
                    "Send application/json."));
        }
        assertThat(tooLarge.getStatusCode()).isEqualTo(413);
        assertThat(tooLarge.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(tooLarge.getBody()).isEqualTo(problem("payload-too-large", "Payload too large", 413,
                "The body is too large."));
        assertThat(malformed.subList(0, 4)).allSatisfy(response -> {
            assertThat(response.getStatusCode()).isEqualTo(400);
            assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(response.getBody()).isEqualTo(NOT_A_JSON_OBJECT);
        });
        assertThat(malformed.subList(4, 7)).allSatisfy(response -> assertThat(response.getBody()).isEqualTo(
                problem("malformed-request", "Malformed request", 400,
                        "\"credential\" must be the PublicKeyCredential as JSON (its toJSON()), an object.")));
        assertPasskeyFailed(notACredential);
        assertThat(atTheLimit.getBody()).hasSize(PasskeysHandler.MAX_BODY_BYTES);
        assertThat(limit.getStatusCode()).as("exactly 32 KiB is read, and the challenge still good").isEqualTo(200);
        assertThat(context.lines()).filteredOn(line -> line.startsWith("WARN")).containsExactly(
                "WARN passkey-login outcome=refused reason=UNSUPPORTED_MEDIA_TYPE ip=" + IP,
                "WARN passkey-login outcome=refused reason=UNSUPPORTED_MEDIA_TYPE ip=" + IP,
                "WARN passkey-login outcome=refused reason=BODY_TOO_LARGE ip=" + IP,
                "WARN passkey-login outcome=refused reason=MALFORMED_REQUEST ip=" + IP,
                "WARN passkey-login outcome=refused reason=MALFORMED_REQUEST ip=" + IP,
                "WARN passkey-login outcome=refused reason=MALFORMED_REQUEST ip=" + IP,
                "WARN passkey-login outcome=refused reason=MALFORMED_REQUEST ip=" + IP,
                "WARN passkey-login outcome=refused reason=MALFORMED_REQUEST ip=" + IP,
                "WARN passkey-login outcome=refused reason=MALFORMED_REQUEST ip=" + IP,
                "WARN passkey-login outcome=refused reason=MALFORMED_REQUEST ip=" + IP,
                "WARN passkey-login outcome=refused reason=MALFORMED_RESPONSE ip=" + IP);
    }

    @Test
    void aRegistrationBodyIsCheckedAsStrictly() {
        Principal caller = login();
        APIGatewayV2HTTPEvent text = authorized(REGISTER, caller, "{}", null);
        text.getHeaders().put("content-type", "text/plain");
        APIGatewayV2HTTPEvent large = authorized(REGISTER, caller,
                "{\"credential\":{},\"x\":\"" + "x".repeat(PasskeysHandler.MAX_BODY_BYTES) + "\"}", null);

        APIGatewayV2HTTPResponse unsupported = call(text);
        APIGatewayV2HTTPResponse tooLarge = call(large);
        APIGatewayV2HTTPResponse truncated = call(authorized(REGISTER, caller, "{\"credential\":", null));
        APIGatewayV2HTTPResponse notAResponse = call(authorized(REGISTER, caller, "{\"credential\":{}}", null));

        assertThat(unsupported.getStatusCode()).isEqualTo(415);
        assertThat(tooLarge.getStatusCode()).isEqualTo(413);
        assertThat(truncated.getBody()).isEqualTo(NOT_A_JSON_OBJECT);
        assertThat(notAResponse.getBody()).isEqualTo(PASSKEY_REJECTED);
        assertThat(context.lines()).containsExactly(
                "WARN passkey-register outcome=refused reason=UNSUPPORTED_MEDIA_TYPE ip=" + IP,
                "WARN passkey-register outcome=refused reason=BODY_TOO_LARGE ip=" + IP,
                "WARN passkey-register outcome=refused reason=MALFORMED_REQUEST ip=" + IP,
                "WARN passkey-register outcome=refused reason=MALFORMED_RESPONSE ip=" + IP + " user=alice");
    }

    @Test
    void otherMethodsAndRoutesAre404AndLogNothing() {
        for (String route : List.of("GET /auth/passkeys/login/options", "PUT /auth/passkeys/{id}", "POST /auth/passkeys",
                "GET /auth/passkeys/{id}", "POST /auth/passkeys/login/", "DELETE /auth/passkeys", "")) {
            APIGatewayV2HTTPEvent event = publicEvent(LOGIN, "{}");
            event.setRouteKey(route);
            event.getRequestContext().setRouteKey(route);

            APIGatewayV2HTTPResponse response = call(event);

            assertThat(response.getStatusCode()).as(route).isEqualTo(404);
            assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
            assertThat(response.getBody()).isEqualTo(problem("not-found", "Not found", 404, "No such route."));
        }
        assertThat(context.records()).isEmpty();
    }

    @Test
    void aWrongRelyingPartyStopsTheHandlerAtInit() {
        Map<String, String> environment = new HashMap<>(world.environment());
        environment.put(RelyingParty.ENV_RP_ID, "192.0.2.1");
        environment.put(RelyingParty.ENV_ORIGINS, "https://192.0.2.1");
        environment.put("AUTHFN_DYNAMODB_ENDPOINT", "http://127.0.0.1:9");
        environment.put("AWS_REGION", "us-east-1");

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new PasskeysHandler(Components.fromEnvironment(environment)));

        assertThat(e.problems()).containsExactly("AUTHFN_WEBAUTHN_RP_ID must be a lower-case domain name (not an IP"
                + " address, no scheme or port)");
    }

    @Test
    void aRootWithoutAnEnvironmentTakesTheRelyingPartyFromItsConfiguredIssuer() {
        assertThat(world.components.environment()).as("Components.of keeps none").isEmpty();
        assertThat(PasskeysHandler.relyingPartySettings(world.components))
                .containsExactly(Map.entry(RelyingParty.ENV_ISSUER, World.ISSUER));
    }

    @Test
    void explicitRelyingPartySettingsAreTheOnesTheCeremoniesCheck() {
        Map<String, String> environment = new HashMap<>(world.environment());
        environment.put(RelyingParty.ENV_RP_ID, "example.com");
        environment.put(RelyingParty.ENV_ORIGINS, "https://app.example.com");
        PasskeysHandler app = new PasskeysHandler(world.components, RelyingParty.fromEnvironment(environment, "Example"));
        SoftwareAuthenticator onApp = new SoftwareAuthenticator("https://app.example.com", "example.com");
        Principal caller = login();
        Map<String, Object> options = body(call(app, authorized(REGISTER_OPTIONS, caller, null, null)));
        assertThat(options.get("rp")).isEqualTo(Map.of("id", "example.com", "name", "Example"));
        assertThat(call(app, authorized(REGISTER, caller, SoftwareAuthenticator.body(
                onApp.register((String) options.get("challenge"), handleOf(options)), null), null)).getStatusCode())
                .isEqualTo(201);

        String challenge = (String) body(call(app, publicEvent(LOGIN_OPTIONS, null))).get("challenge");
        APIGatewayV2HTTPResponse onTheApp = call(app, signInEvent(onApp.signIn(challenge)));
        String another = (String) body(call(app, publicEvent(LOGIN_OPTIONS, null))).get("challenge");
        APIGatewayV2HTTPResponse onTheApi = call(app, signInEvent(onApp.signIn(another,
                c -> c.origin(World.ISSUER))));

        assertThat(onTheApp.getStatusCode()).isEqualTo(200);
        assertPasskeyFailed(onTheApi);
        assertThat(context.lines()).last().isEqualTo(
                "WARN passkey-login outcome=refused reason=ORIGIN_MISMATCH ip=" + IP + " user=alice");
    }

    @Test
    void noLogLineHoldsAChallengeAUserHandleACredentialPartOrAToken() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        Principal caller = multiFactor(principal(login, AuthType.COOKIE));
        Map<String, Object> options = registrationOptions(caller);
        String registration = authenticator.register((String) options.get("challenge"), handleOf(options));
        call(authorized(REGISTER, caller, SoftwareAuthenticator.body(registration, "Laptop"), null));
        String loginChallenge = loginChallenge();
        String assertion = authenticator.signIn(loginChallenge);
        APIGatewayV2HTTPResponse signedIn = call(signInEvent(assertion));
        String failedChallenge = loginChallenge();
        String failed = authenticator.signIn(failedChallenge, SoftwareAuthenticator.Ceremony::corruptSignature);
        call(signInEvent(failed));
        String publicKey = world.users.passkeys().find(authenticator.last().id()).orElseThrow().publicKey();
        APIGatewayV2HTTPResponse removed = call(authorized(REMOVE, caller, null, authenticator.last().id()));

        List<String> secrets = new ArrayList<>(List.of((String) options.get("challenge"), handleOf(options),
                loginChallenge, failedChallenge, login.accessToken(), login.csrfToken(), PASSWORD,
                (String) body(signedIn).get("access_token"), (String) body(signedIn).get("csrf_token"), publicKey));
        for (String json : List.of(registration, assertion, failed)) {
            Map<String, Object> credential = Json.parseObject(json).orElseThrow();
            @SuppressWarnings("unchecked")
            Map<String, Object> response = (Map<String, Object>) credential.get("response");
            response.values().forEach(value -> {
                if (value instanceof String text) {
                    secrets.add(text);
                }
            });
        }
        signedIn.getCookies().forEach(cookie -> secrets.add(cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'))));
        removed.getCookies().forEach(cookie -> secrets.add(cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'))));

        String log = String.join("\n", context.records());
        assertThat(context.records()).hasSize(7).allSatisfy(record -> assertThat(record.strip()).hasLineCount(1));
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

    private APIGatewayV2HTTPResponse call(PasskeysHandler target, APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = target.handleRequest(event, context);
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store")
                .containsEntry("X-Content-Type-Options", "nosniff");
        assertThat(response.getIsBase64Encoded()).isFalse();
        return response;
    }

    @Test
    void aPasswordSessionAddsOrRemovesNoPasskeyOfAnAccountThatHasOne() {
        Principal password = passwordLogin();
        assertThat(register(password, ceremony -> ceremony).getStatusCode()).isEqualTo(201);
        String id = (String) ((List<Map<String, Object>>) body(call(authorized(LIST, password, null, null)))
                .get("passkeys")).get(0).get("id");
        int before = context.lines().size();

        for (APIGatewayV2HTTPResponse refused : List.of(call(authorized(REGISTER_OPTIONS, password, null, null)),
                call(authorized(REMOVE, password, null, id)))) {
            assertThat(refused.getStatusCode()).isEqualTo(401);
            assertThat(refused.getHeaders()).containsEntry("WWW-Authenticate", "Bearer error=\"insufficient_user_authentication\", "
                    + "error_description=\"A recent multi-factor login is required\", acr_values=\"urn:authfn:acr:mfa\", max_age=300");
            assertThat(body(refused)).containsEntry("type", "urn:authfn:problem:step-up-required");
        }
        List<String> lines = context.lines();
        assertThat(lines.subList(before, lines.size())).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("reason=MULTI_FACTOR_REQUIRED"));
        assertThat(body(call(authorized(LIST, password, null, null))).get("passkeys")).asList().hasSize(1);
    }

    /**
     * A fresh login of alice's (through the service, which logs nothing), as its cookie caller, with
     * the methods of a multi-factor login: an account with a passkey changes its factors only from
     * one ({@link #aPasswordSessionAddsOrRemovesNoPasskeyOfAnAccountThatHasOne}).
     */
    private Principal login() {
        return multiFactor(principal(world.login("alice", PASSWORD), AuthType.COOKIE));
    }

    private static Principal multiFactor(Principal caller) {
        return new Principal(caller.userId(), caller.username(), caller.roles(), caller.permissions(), caller.sessionId(),
                caller.authType(), Amr.PASSWORD_AND_OTP, caller.authTime());
    }

    private Principal passwordLogin() {
        return principal(world.login("alice", PASSWORD), AuthType.COOKIE);
    }

    /** The creation options for {@code caller}, through the handler. */
    private Map<String, Object> registrationOptions(Principal caller) {
        APIGatewayV2HTTPResponse response = call(authorized(REGISTER_OPTIONS, caller, null, null));
        assertThat(response.getStatusCode()).isEqualTo(200);
        return body(response);
    }

    /** A whole registration through the handler, the authenticator's response tampered as {@code tamper} says. */
    private APIGatewayV2HTTPResponse register(Principal caller, UnaryOperator<SoftwareAuthenticator.Ceremony> tamper) {
        Map<String, Object> options = registrationOptions(caller);
        String json = authenticator.register((String) options.get("challenge"), handleOf(options), tamper);
        return call(authorized(REGISTER, caller, SoftwareAuthenticator.body(json, null), null));
    }

    private String loginChallenge() {
        return loginChallenge(handler);
    }

    private String loginChallenge(PasskeysHandler target) {
        APIGatewayV2HTTPResponse response = call(target, publicEvent(LOGIN_OPTIONS, null));
        assertThat(response.getStatusCode()).isEqualTo(200);
        return (String) body(response).get("challenge");
    }

    @SuppressWarnings("unchecked")
    private static String handleOf(Map<String, Object> options) {
        return (String) ((Map<String, Object>) options.get("user")).get("id");
    }

    private static APIGatewayV2HTTPEvent signInEvent(String credentialJson) {
        return publicEvent(LOGIN, SoftwareAuthenticator.body(credentialJson, null));
    }

    /** A public route's event, as the sample second step's (no authorizer; same-origin, JSON). */
    private static APIGatewayV2HTTPEvent publicEvent(String routeKey, String body) {
        APIGatewayV2HTTPEvent event = Events.http("mfa-verify.json");
        route(event, routeKey, null);
        event.setBody(body);
        return event;
    }

    /**
     * An authorized route's event, as the sample enrolment's (cookies, CSRF header, same-origin)
     * with the authorizer's context for {@code caller}; {@code id} fills the path's {@code {id}}.
     */
    private static APIGatewayV2HTTPEvent authorized(String routeKey, Principal caller, String body, String id) {
        APIGatewayV2HTTPEvent event = Events.http("mfa-totp-enrol.json");
        route(event, routeKey, id);
        event.getHeaders().put("content-type", "application/json");
        event.getRequestContext().getAuthorizer().setLambda(new LinkedHashMap<>(AuthorizerContext.of(caller)));
        event.setBody(body);
        return event;
    }

    private static void route(APIGatewayV2HTTPEvent event, String routeKey, String id) {
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        String path = routeKey.substring(routeKey.indexOf(' ') + 1);
        if (id != null) {
            path = path.replace("{id}", id);
            event.setPathParameters(Map.of("id", id));
        }
        event.setRouteKey(routeKey);
        event.setRawPath(path);
        event.getRequestContext().setRouteKey(routeKey);
        event.getRequestContext().getHttp().setMethod(method);
        event.getRequestContext().getHttp().setPath(path);
    }

    /** The caller as the authorizer passes it on: the session's methods and authentication time. */
    private static Principal principal(LoginService.LoggedIn login, AuthType type) {
        Session session = login.session();
        return new Principal(session.userId(), session.username(), session.roles(), session.permissions(), session.id(),
                type, session.amr(), Optional.of(session.authTime()));
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

    private static void assertPasskeyFailed(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo(PASSKEY_FAILED);
        assertThat(response.getCookies()).isNull();
    }

    /** The access token's claims as its payload carries them, decoded by hand. */
    private static Map<String, Object> jwtPayload(String jwt) {
        String payload = jwt.split("\\.")[1];
        return Json.parseObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)).orElseThrow();
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
