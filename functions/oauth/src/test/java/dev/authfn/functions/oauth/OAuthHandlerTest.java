package dev.authfn.functions.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.LoginService;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.Stores;
import dev.authfn.core.json.Json;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.OAuthCredential;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStore;
import dev.authfn.testkit.UnavailableSessionStore;
import dev.authfn.testkit.lambda.Events;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.testkit.lambda.World;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
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
 * The OAuth function's routes over the in-memory stores, with events made from the sample events
 * of {@code events/} as API Gateway sends them: what each answer's status, headers and body are,
 * which credential each endpoint reads (the cookie on authorize only, the bearer token on userinfo
 * only), CORS for a registered public client's origin alone, and what the audit lines say (and
 * never hold). The world's clock stands still unless a test moves it.
 */
class OAuthHandlerTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String IP = "203.0.113.10";
    private static final String CALLBACK = "https://app.example.com/callback";
    private static final String SPA_ORIGIN = "https://app.example.com";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    private static final String ISS = "&iss=" + URLEncoder.encode(World.ISSUER, StandardCharsets.UTF_8);
    private static final String AUTHORIZE_ROUTE = "route=GET_/oauth2/authorize ip=" + IP;
    private static final String TOKEN_ROUTE = "route=POST_/oauth2/token ip=" + IP;

    private static final Map<String, String> TOKEN_HEADERS = Map.of("Content-Type", "application/json",
            "Cache-Control", "no-store", "Pragma", "no-cache", "X-Content-Type-Options", "nosniff", "Vary", "Origin");

    private final World world = new World();
    private final RecordingContext context = new RecordingContext();
    private final OAuthHandler handler = new OAuthHandler(world.components);
    private final User alice = world.addUser("alice", PASSWORD, Set.of("user"), Set.of("posts:create"));
    private final String billingSecret = OAuthCredential.generate(new SecureRandom());

    OAuthHandlerTest() {
        OAuthStore clients = world.users.oauth();
        clients.addClient(new OAuthClient("spa", Optional.empty(), List.of(CALLBACK, "http://127.0.0.1/cb"),
                Set.of("openid", "profile", "email", "offline_access", "posts:create"), World.T0));
        clients.addClient(new OAuthClient("billing", Optional.of(OAuthCredential.hash(billingSecret)),
                List.of("https://billing.example/cb"), Set.of("openid", "posts:create"), World.T0));
    }

    // --- GET /oauth2/authorize: who may be sent back ---

    @Test
    void anUnknownClientGetsA400PageAndIsSentNowhere() {
        APIGatewayV2HTTPResponse response = call(authorize(Map.of("client_id", "nobody")));

        assertPage(response, 400);
        assertThat(response.getHeaders()).doesNotContainKey("Location");
        assertThat(response.getBody()).contains("<p>The application that sent you here is not registered.</p>");
        assertThat(context.lines()).containsExactly(
                "WARN oauth.authorize outcome=refused reason=unknown_client " + AUTHORIZE_ROUTE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/callbacK", "https://app.example.com/callback/",
        "https://app.example.com/callback?next=1", "https://evil.example", "https://evil.example/callback",
        "https://app.example.com.evil.example/callback", "https://app.example.com@evil.example/callback",
        "//evil.example/callback", "javascript:alert(1)"})
    void aRedirectUriThatIsNotRegisteredCharacterForCharacterGetsA400PageWithoutLocation(String redirectUri) {
        String loggedIn = sessionCookie(world.login("alice", PASSWORD));

        APIGatewayV2HTTPResponse response = call(authorize(Map.of("redirect_uri", redirectUri), loggedIn));

        assertPage(response, 400);
        assertThat(response.getHeaders()).doesNotContainKey("Location");
        assertThat(response.getBody()).doesNotContain("evil").doesNotContain("javascript")
                .contains("not one registered for this application");
        assertThat(world.users.oauth().clients()).hasSize(2);
        assertThat(context.lines()).containsExactly(
                "WARN oauth.authorize outcome=refused reason=bad_redirect_uri " + AUTHORIZE_ROUTE + " user=alice");
    }

    // --- errors sent back to the client ---

    @Test
    void noPkceGoesBackToTheClientAsInvalidRequestWithStateAndIss() {
        APIGatewayV2HTTPResponse response = call(request(withoutChallenge()));

        assertRedirect(response);
        assertThat(response.getHeaders().get("Location")).isEqualTo(CALLBACK + "?error=invalid_request&error_description="
                + URLEncoder.encode("PKCE is required: code_challenge is missing.", StandardCharsets.UTF_8)
                + "&state=xyz" + ISS);
        assertThat(context.lines()).containsExactly(
                "WARN oauth.authorize outcome=refused reason=invalid_request " + AUTHORIZE_ROUTE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "S512", "s256"})
    void aPkceMethodOtherThanS256IsInvalidRequest(String method) {
        Map<String, String> back = location(call(authorize(Map.of("code_challenge_method", method))));

        assertThat(back).containsEntry("error", "invalid_request").containsEntry("state", "xyz")
                .containsEntry("iss", World.ISSUER).doesNotContainKey("code");
    }

    @Test
    void noPkceMethodMeansPlainAndIsRefused() {
        Map<String, String> parameters = defaults();
        parameters.remove("code_challenge_method");

        assertThat(location(call(request(parameters)))).containsEntry("error", "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "id_token", "code token", "code id_token"})
    void anyResponseTypeButCodeIsUnsupported(String responseType) {
        Map<String, String> back = location(call(authorize(Map.of("response_type", responseType))));

        assertThat(back).containsEntry("error", "unsupported_response_type").containsEntry("state", "xyz")
                .containsEntry("iss", World.ISSUER);
    }

    @Test
    void promptNoneWithoutASessionIsLoginRequiredBackAtTheClient() {
        APIGatewayV2HTTPResponse response = call(authorize(Map.of("prompt", "none")));

        assertRedirect(response);
        assertThat(location(response)).containsEntry("error", "login_required").containsEntry("state", "xyz")
                .containsEntry("iss", World.ISSUER);
        assertThat(context.lines()).containsExactly(
                "WARN oauth.authorize outcome=refused reason=login_required " + AUTHORIZE_ROUTE);
    }

    @Test
    void aRepeatedParameterIsReadFromTheRawQueryStringAndRefused() {
        APIGatewayV2HTTPEvent event = authorize(Map.of());
        event.setRawQueryString(event.getRawQueryString() + "&scope=openid");
        // API Gateway's joined map says nothing of the repeat (it would read "openid profile,openid"): never read.
        event.setQueryStringParameters(Map.of("client_id", "nobody"));

        assertThat(location(call(event))).containsEntry("error", "invalid_request")
                .containsEntry("error_description", "A parameter was given more than once.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_id=spa&state=%zz", "client_id=spa&state=%FF%FE", "client_id=sp%"})
    void aQueryThatIsNotPercentEncodedUtf8GetsA400PageBeforeAnyClientIsRead(String query) {
        APIGatewayV2HTTPEvent event = authorize(Map.of());
        event.setRawQueryString(query);

        APIGatewayV2HTTPResponse response = call(event);

        assertPage(response, 400);
        assertThat(response.getBody()).contains("A parameter is not valid percent-encoded UTF-8.");
        assertThat(context.lines()).containsExactly(
                "WARN oauth.authorize outcome=refused reason=invalid_request " + AUTHORIZE_ROUTE);
    }

    @Test
    void aQueryOverEightKibibytesGetsA400Page() {
        APIGatewayV2HTTPEvent event = authorize(Map.of("nonce", "n".repeat(OAuthHandler.MAX_QUERY_LENGTH)));

        APIGatewayV2HTTPResponse response = call(event);

        assertPage(response, 400);
        assertThat(response.getBody()).contains("The parameters are longer than 8192 characters.");
    }

    // --- the caller's session ---

    @Test
    void withoutASessionTheLoginPageIsServedWithItsScriptAndStyleAllowedByHashAlone() throws Exception {
        APIGatewayV2HTTPResponse response = call(authorize(Map.of()));

        assertPage(response, 200);
        String page = response.getBody();
        String script = between(page, "<script>", "</script>");
        String style = between(page, "<style>", "</style>");
        assertThat(response.getHeaders().get("Content-Security-Policy")).isEqualTo("default-src 'none'; script-src 'sha256-"
                + sha256(script) + "'; style-src 'sha256-" + sha256(style) + "'; connect-src 'self'; img-src 'self';"
                + " form-action 'none'; frame-ancestors 'none'; base-uri 'none'");
        assertThat(page).containsOnlyOnce("<script").containsOnlyOnce("<style").doesNotContain(" style=")
                .doesNotContain("onclick").doesNotContain("src=").doesNotContain("http://").doesNotContain("https://");
        assertThat(page).contains("<label for=\"username\">", "autocomplete=\"username\"",
                "autocomplete=\"current-password\"", "autocomplete=\"one-time-code\"", "role=\"status\"");
        assertThat(script).contains("fetch(path, init)", "'../auth/login'", "'../auth/mfa/verify'",
                "'../auth/passkeys/login/options'", "'../auth/passkeys/login'", "credentials: 'same-origin'",
                "'content-type': 'application/json'", "mfa_required", "location.replace('authorize'",
                "window.PublicKeyCredential", "parseRequestOptionsFromJSON", "credential.toJSON()");
        assertThat(response.getCookies()).isNull();
        assertThat(context.lines()).containsExactly(
                "INFO oauth.authorize outcome=login reason=login_required " + AUTHORIZE_ROUTE);
    }

    @Test
    void aLiveSessionCookieGetsACodeBackAtTheClientWithStateAndIss() {
        String cookie = sessionCookie(world.login("alice", PASSWORD));

        APIGatewayV2HTTPResponse response = call(authorize(Map.of(), cookie));

        assertRedirect(response);
        String location = response.getHeaders().get("Location");
        assertThat(location).startsWith(CALLBACK + "?code=").endsWith("&state=xyz" + ISS);
        assertThat(location(response).get("code")).matches("[A-Za-z0-9_-]{43}");
        assertThat(context.lines()).containsExactly(
                "INFO oauth.authorize outcome=success reason=issued " + AUTHORIZE_ROUTE + " user=alice");
        assertThat(String.join("\n", context.records())).doesNotContain(location(response).get("code"))
                .doesNotContain(cookie.substring(cookie.indexOf('=') + 1));
    }

    @Test
    void promptLoginShowsTheLoginPageEvenWithASession() {
        String cookie = sessionCookie(world.login("alice", PASSWORD));

        APIGatewayV2HTTPResponse response = call(authorize(Map.of("prompt", "login"), cookie));

        assertPage(response, 200);
        assertThat(response.getBody()).contains("<h1>Sign in</h1>");
        assertThat(context.lines()).containsExactly(
                "INFO oauth.authorize outcome=login reason=login_requested " + AUTHORIZE_ROUTE + " user=alice");
    }

    @Test
    void aBearerTokenIsNoSessionForTheAuthorizationEndpoint() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        APIGatewayV2HTTPEvent event = authorize(Map.of());
        event.getHeaders().put("authorization", "Bearer " + login.accessToken());

        assertPage(call(event), 200);
    }

    @Test
    void aForgedOrEndedCookieIsNoSession() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        world.sessions.revoke(login.session().id(), alice.userId());

        assertPage(call(authorize(Map.of(), sessionCookie(login))), 200);
        assertPage(call(authorize(Map.of(), "__Host-session=AAAA.BBBB.CCCC")), 200);
    }

    @Test
    void aSessionStoreOutageIsA503PageNotALoginPage() {
        OAuthHandler down = new OAuthHandler(world.components(stores(new UnavailableSessionStore(), world.users.oauth())));
        String cookie = sessionCookie(world.login("alice", PASSWORD));

        APIGatewayV2HTTPResponse response = down.handleRequest(authorize(Map.of(), cookie), context);

        assertPage(response, 503);
        assertThat(response.getBody()).contains("Signing in is unavailable right now; try again shortly.");
        assertThat(context.lines()).containsExactly(
                "ERROR oauth.authorize outcome=error reason=STORE_UNAVAILABLE " + AUTHORIZE_ROUTE);
    }

    @Test
    void theAuthorizationEndpointSendsNoCorsHeaders() {
        APIGatewayV2HTTPEvent event = authorize(Map.of());
        event.getHeaders().put("origin", SPA_ORIGIN);

        assertThat(call(event).getHeaders()).doesNotContainKeys("Access-Control-Allow-Origin", "Vary");
    }

    // --- POST /oauth2/token: what is refused before the service ---

    @Test
    void aBodyThatIsNotAFormIsInvalidRequest() {
        APIGatewayV2HTTPEvent event = token("{\"grant_type\":\"client_credentials\"}");
        event.getHeaders().put("content-type", "application/json");

        APIGatewayV2HTTPResponse response = call(event);

        assertTokenError(response, 400, "invalid_request", "The body must be application/x-www-form-urlencoded.");
        assertThat(context.lines()).containsExactly(
                "WARN oauth.token outcome=refused reason=invalid_request " + TOKEN_ROUTE);
    }

    @Test
    void aFormWithoutContentTypeIsInvalidRequest() {
        APIGatewayV2HTTPEvent event = token("grant_type=client_credentials");
        event.getHeaders().remove("content-type");

        assertTokenError(call(event), 400, "invalid_request", "The body must be application/x-www-form-urlencoded.");
    }

    @Test
    void theFormsMediaTypeMayCarryACharsetAndAnyCase() {
        APIGatewayV2HTTPEvent event = token("grant_type=password&client_id=spa");
        event.getHeaders().put("content-type", "Application/X-WWW-Form-URLEncoded; charset=UTF-8");

        assertTokenError(call(event), 400, "unsupported_grant_type",
                "grant_type must be authorization_code, refresh_token or client_credentials.");
    }

    @Test
    void aBodyOverEightKibibytesIsInvalidRequestBeforeItIsRead() {
        String exactly = "grant_type=password&client_id=spa&pad=";
        exactly += "x".repeat(OAuthHandler.MAX_BODY_BYTES - exactly.length());

        assertThat(call(token(exactly)).getStatusCode()).isEqualTo(400);
        assertThat(body(call(token(exactly)))).containsEntry("error", "unsupported_grant_type");
        assertTokenError(call(token(exactly + "x")), 400, "invalid_request", "The body is larger than 8192 bytes.");
    }

    @Test
    void aBase64BodyIsDecodedAsApiGatewaySendsIt() {
        APIGatewayV2HTTPEvent event = token(Base64.getEncoder().encodeToString(
                "grant_type=password&client_id=spa".getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);

        assertTokenError(call(event), 400, "unsupported_grant_type",
                "grant_type must be authorization_code, refresh_token or client_credentials.");

        event.setBody("not base64!");
        assertTokenError(call(event), 400, "invalid_request", "The body is not valid base64 or UTF-8.");
    }

    @Test
    void aRepeatedParameterIsInvalidRequest() {
        assertTokenError(call(token("grant_type=client_credentials&client_id=spa&client_id=spa")), 400,
                "invalid_request", "A parameter was given more than once.");
    }

    @Test
    void anUnknownGrantTypeIsUnsupported() {
        assertTokenError(call(token("grant_type=password&client_id=spa&username=alice&password=x")), 400,
                "unsupported_grant_type", "grant_type must be authorization_code, refresh_token or client_credentials.");
        assertThat(context.lines()).containsExactly(
                "WARN oauth.token outcome=refused reason=unsupported_grant_type " + TOKEN_ROUTE);
        assertThat(String.join("\n", context.records())).doesNotContain("password=x");
    }

    @Test
    void anUnregisteredClientIsInvalidClientWithoutAChallengeWhenItUsedNoBasic() {
        APIGatewayV2HTTPResponse response = call(token("grant_type=authorization_code&client_id=nobody&code="
                + "A".repeat(43) + "&redirect_uri=" + enc(CALLBACK) + "&code_verifier=" + VERIFIER));

        assertTokenError(response, 401, "invalid_client", "Client authentication failed.");
        assertThat(response.getHeaders()).doesNotContainKey("WWW-Authenticate");
    }

    @Test
    void aConfidentialClientWithTheWrongSecretIsInvalidClientWithABasicChallenge() {
        APIGatewayV2HTTPEvent event = token("grant_type=client_credentials");
        event.getHeaders().put("authorization", basic("billing", OAuthCredential.generate(new SecureRandom())));

        APIGatewayV2HTTPResponse response = call(event);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).containsEntry("WWW-Authenticate", "Basic realm=\"authfn\"");
        assertThat(body(response)).isEqualTo(Map.of("error", "invalid_client",
                "error_description", "Client authentication failed."));
        assertThat(String.join("\n", context.records())).doesNotContain("Basic ");
    }

    @Test
    void aConfidentialClientWithItsSecretGetsClientCredentialsTokens() {
        APIGatewayV2HTTPEvent event = token("grant_type=client_credentials");
        event.getHeaders().put("authorization", basic("billing", billingSecret));

        APIGatewayV2HTTPResponse response = call(event);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(withCors(TOKEN_HEADERS));
        assertThat(body(response)).containsEntry("token_type", "Bearer").containsEntry("scope", "posts:create")
                .containsKey("access_token").doesNotContainKeys("refresh_token", "id_token");
        assertThat(context.lines()).containsExactly(
                "INFO oauth.token outcome=success reason=client_credentials " + TOKEN_ROUTE);
    }

    @Test
    void twoClientAuthenticationMethodsAtOnceAreInvalidRequest() {
        APIGatewayV2HTTPEvent event = token("grant_type=client_credentials&client_secret=" + billingSecret);
        event.getHeaders().put("authorization", basic("billing", billingSecret));

        assertTokenError(call(event), 400, "invalid_request", "Use one client authentication method, not two.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "=", "&&&", "%", "%%", "grant_type", "grant_type=", "=authorization_code",
        "grant_type=authorization_code", "grant_type=authorization_code&client_id=spa",
        "grant_type=authorization_code&client_id=spa&code=x&redirect_uri=y&code_verifier=z",
        "grant_type=authorization_code&client_id=spa&code=%00&redirect_uri=%0d%0a&code_verifier=%E2%80%AE",
        "grant_type=refresh_token&client_id=spa&refresh_token=a.b", "grant_type=refresh_token&client_id=spa&refresh_token=...",
        "grant_type=refresh_token&client_id=spa", "grant_type=client_credentials&client_id=spa",
        "client_id=spa\u0000&grant_type=client_credentials", "client_id=%F0%9F%98%80", "a=%C3%28",
        "grant_type=authorization_code&client_id=spa&scope=%22%5C", "\uD800", "grant_type[]=x&client_id[]=spa"})
    void aMalformedBodyIsAFourHundredOrFourHundredOneJsonErrorNeverAFiveHundred(String form) {
        APIGatewayV2HTTPResponse response = call(token(form));

        assertThat(response.getStatusCode()).isIn(400, 401);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "no-store").containsEntry("Pragma", "no-cache");
        assertThat(body(response)).containsOnlyKeys("error", "error_description");
        assertThat((String) body(response).get("error")).isIn("invalid_request", "invalid_client", "invalid_grant",
                "invalid_scope", "unsupported_grant_type", "unauthorized_client");
    }

    @Test
    void anOAuthStoreOutageIsTemporarilyUnavailable() {
        OAuthHandler down = new OAuthHandler(world.components(stores(world.sessions, unavailableOAuthStore())));

        APIGatewayV2HTTPResponse response = down.handleRequest(token("grant_type=client_credentials&client_id=spa"),
                context);

        assertTokenError(response, 503, "temporarily_unavailable", "The service is unavailable; try again shortly.");
        assertThat(context.lines()).containsExactly("ERROR oauth.token outcome=error reason=STORE_UNAVAILABLE "
                + TOKEN_ROUTE);
    }

    // --- the whole flow: code, exchange, refresh, userinfo, revoke ---

    @Test
    void aCodeExchangeThenARefreshThenUserinfoThenARevocationEndTheGrant() {
        String cookie = sessionCookie(world.login("alice", PASSWORD));
        String code = location(call(authorize(Map.of(), cookie))).get("code");

        APIGatewayV2HTTPResponse exchanged = call(token(exchange(code)));

        assertThat(exchanged.getStatusCode()).as(exchanged.getBody()).isEqualTo(200);
        assertThat(exchanged.getHeaders()).isEqualTo(withCors(TOKEN_HEADERS));
        Map<String, Object> tokens = body(exchanged);
        assertThat(tokens).containsOnlyKeys("access_token", "token_type", "expires_in", "scope", "id_token",
                "refresh_token").containsEntry("token_type", "Bearer").containsEntry("expires_in", 300L)
                .containsEntry("scope", "offline_access openid profile");
        String refreshToken = (String) tokens.get("refresh_token");
        String accessToken = (String) tokens.get("access_token");

        APIGatewayV2HTTPResponse reused = call(token(exchange(code)));
        assertTokenError(reused, 400, "invalid_grant",
                "The grant is invalid, expired, revoked, or was issued to another client.");

        // The reuse ended the first exchange's grant (RFC 6749 §4.1.2): start again.
        code = location(call(authorize(Map.of(), cookie))).get("code");
        tokens = body(call(token(exchange(code))));
        refreshToken = (String) tokens.get("refresh_token");
        accessToken = (String) tokens.get("access_token");

        APIGatewayV2HTTPResponse refreshed = call(token("grant_type=refresh_token&client_id=spa&refresh_token="
                + enc(refreshToken)));
        assertThat(refreshed.getStatusCode()).as(refreshed.getBody()).isEqualTo(200);
        String rotated = (String) body(refreshed).get("refresh_token");
        assertThat(rotated).isNotEqualTo(refreshToken).startsWith(refreshToken.substring(0, refreshToken.indexOf('.') + 1));

        APIGatewayV2HTTPResponse userinfo = call(userinfo("GET", "Bearer " + accessToken));
        assertThat(userinfo.getStatusCode()).isEqualTo(200);
        assertThat(body(userinfo)).isEqualTo(Map.of("sub", alice.userId(), "preferred_username", "alice"));
        assertThat(userinfo.getHeaders()).containsEntry("Cache-Control", "no-store").containsEntry("Vary", "Origin");

        APIGatewayV2HTTPEvent revoke = token("token=" + enc(rotated) + "&token_type_hint=refresh_token&client_id=spa");
        revoke.setRouteKey("POST /oauth2/revoke");
        APIGatewayV2HTTPResponse revoked = call(revoke);
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        assertThat(revoked.getBody()).isNull();
        assertThat(revoked.getHeaders()).isEqualTo(Map.of("Cache-Control", "no-store", "Pragma", "no-cache",
                "X-Content-Type-Options", "nosniff", "Vary", "Origin", "Access-Control-Allow-Origin", SPA_ORIGIN));

        assertTokenError(call(token("grant_type=refresh_token&client_id=spa&refresh_token=" + enc(rotated))), 400,
                "invalid_grant", "The grant is invalid, expired, revoked, or was issued to another client.");
        APIGatewayV2HTTPResponse afterRevoke = call(userinfo("GET", "Bearer " + accessToken));
        assertThat(afterRevoke.getStatusCode()).isEqualTo(401);
        assertThat(afterRevoke.getHeaders()).containsEntry("WWW-Authenticate", "Bearer error=\"invalid_token\"");

        assertThat(context.lines()).contains(
                "INFO oauth.token outcome=success reason=code_exchanged " + TOKEN_ROUTE + " user=" + alice.userId(),
                "WARN oauth.token outcome=refused reason=code_reused " + TOKEN_ROUTE,
                "INFO oauth.token outcome=success reason=refreshed " + TOKEN_ROUTE + " user=" + alice.userId(),
                "INFO oauth.userinfo outcome=success route=GET_/oauth2/userinfo ip=" + IP + " user=alice",
                "INFO oauth.revoke outcome=success reason=refresh_revoked route=POST_/oauth2/revoke ip=" + IP,
                "WARN oauth.userinfo outcome=refused reason=SESSION_ENDED route=GET_/oauth2/userinfo ip=" + IP);
        String logged = String.join("\n", context.records());
        for (String secret : List.of(code, accessToken, refreshToken, rotated, VERIFIER, (String) tokens.get("id_token"))) {
            assertThat(logged).doesNotContain(secret);
        }
    }

    // --- /oauth2/userinfo ---

    @Test
    void userinfoWithoutATokenIs401WithTheBearerChallengeAndAProblem() {
        APIGatewayV2HTTPResponse response = call(userinfo("GET", null));

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).isEqualTo(Map.of("Content-Type", "application/problem+json",
                "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff",
                "WWW-Authenticate", "Bearer error=\"invalid_token\"", "Vary", "Origin"));
        assertThat(response.getBody()).isEqualTo("{\"type\":\"urn:authfn:problem:not-authenticated\","
                + "\"title\":\"Not authenticated\",\"status\":401,\"detail\":\"A valid bearer access token is required.\"}");
        assertThat(context.lines()).containsExactly(
                "WARN oauth.userinfo outcome=refused reason=NO_CREDENTIALS route=GET_/oauth2/userinfo ip=" + IP);
    }

    @Test
    void userinfoTakesNoCookieEvenOfALiveSession() {
        APIGatewayV2HTTPEvent event = userinfo("POST", null);
        event.setCookies(List.of(sessionCookie(world.login("alice", PASSWORD))));

        APIGatewayV2HTTPResponse response = call(event);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).containsEntry("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic YWxpY2U6c2VjcmV0", "Bearer ", "Bearer not.a.jwt", "bearer eyJhbGciOiJub25lIn0.e30.",
        "Token abc", "Bearer\tabc"})
    void userinfoRefusesAnythingButAValidBearerToken(String authorization) {
        APIGatewayV2HTTPResponse response = call(userinfo("GET", authorization));

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).containsEntry("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        assertThat(String.join("\n", context.records())).doesNotContain("YWxpY2U6c2VjcmV0").doesNotContain("not.a.jwt")
                .doesNotContain("eyJhbGciOiJub25lIn0");
    }

    @Test
    void aTokenWithoutTheOpenidScopeIs403InsufficientScope() {
        // The login's own access token carries the user's permissions as its scope, not openid.
        String accessToken = world.login("alice", PASSWORD).accessToken();

        APIGatewayV2HTTPResponse response = call(userinfo("POST", "Bearer " + accessToken));

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).containsEntry("WWW-Authenticate",
                "Bearer error=\"insufficient_scope\", scope=\"openid\"");
        assertThat(response.getBody()).startsWith("{\"type\":\"urn:authfn:problem:forbidden\",");
        assertThat(context.lines()).containsExactly(
                "WARN oauth.userinfo outcome=refused reason=no_openid_scope route=POST_/oauth2/userinfo ip=" + IP
                        + " user=alice");
    }

    @Test
    void aSessionStoreOutageOnUserinfoIs503() {
        String accessToken = world.login("alice", PASSWORD).accessToken();
        OAuthHandler down = new OAuthHandler(world.components(stores(new UnavailableSessionStore(), world.users.oauth())));

        APIGatewayV2HTTPResponse response = down.handleRequest(userinfo("GET", "Bearer " + accessToken), context);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getBody()).startsWith("{\"type\":\"urn:authfn:problem:store-unavailable\",");
    }

    @Test
    void theSampleRevocationAndUserinfoEventsAreAnsweredAsTheContractSays() {
        APIGatewayV2HTTPResponse revoked = call(Events.http("oauth-revoke.json"));
        assertThat(revoked.getStatusCode()).as("an unknown token: 200, nothing changes").isEqualTo(200);
        assertThat(revoked.getHeaders()).containsEntry("Cache-Control", "no-store").containsEntry("Pragma", "no-cache")
                .containsEntry("Access-Control-Allow-Origin", "https://app.example.com");

        APIGatewayV2HTTPResponse userinfo = call(Events.http("oauth-userinfo.json"));
        assertThat(userinfo.getStatusCode()).isEqualTo(401);
        assertThat(userinfo.getHeaders()).containsEntry("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }

    // --- discovery and CORS (§18.8) ---

    @Test
    void theDiscoveryDocumentIsPublicAndCacheableForFiveMinutes() {
        APIGatewayV2HTTPResponse response = call(Events.http("oauth-discovery.json"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(Map.of("Content-Type", "application/json",
                "Cache-Control", "public, max-age=300", "X-Content-Type-Options", "nosniff", "Vary", "Origin"));
        assertThat(body(response)).containsEntry("issuer", World.ISSUER)
                .containsEntry("authorization_endpoint", World.ISSUER + "/oauth2/authorize")
                .containsEntry("token_endpoint", World.ISSUER + "/oauth2/token")
                .containsEntry("jwks_uri", World.ISSUER + "/.well-known/jwks.json")
                .containsEntry("code_challenge_methods_supported", List.of("S256"))
                .containsEntry("response_types_supported", List.of("code"));
        assertThat(context.lines()).isEmpty();
    }

    @Test
    void aRegisteredPublicClientsOriginMayReadTheAnswersButNoOtherOrigin() {
        APIGatewayV2HTTPEvent fromSpa = discovery(SPA_ORIGIN);
        APIGatewayV2HTTPEvent fromEvil = discovery("https://evil.example");
        APIGatewayV2HTTPEvent fromConfidential = discovery("https://billing.example");

        assertThat(call(fromSpa).getHeaders()).containsEntry("Access-Control-Allow-Origin", SPA_ORIGIN)
                .containsEntry("Vary", "Origin").doesNotContainKey("Access-Control-Allow-Credentials");
        assertThat(call(fromEvil).getHeaders()).doesNotContainKeys("Access-Control-Allow-Origin",
                "Access-Control-Allow-Credentials");
        assertThat(call(fromConfidential).getHeaders()).doesNotContainKey("Access-Control-Allow-Origin");
        APIGatewayV2HTTPEvent tokenFromEvil = token("grant_type=client_credentials&client_id=spa");
        tokenFromEvil.getHeaders().put("origin", "https://evil.example");
        assertThat(call(tokenFromEvil).getHeaders()).doesNotContainKey("Access-Control-Allow-Origin");
        APIGatewayV2HTTPEvent userinfoFromSpa = userinfo("GET", null);
        userinfoFromSpa.getHeaders().put("origin", SPA_ORIGIN);
        assertThat(call(userinfoFromSpa).getHeaders()).containsEntry("Access-Control-Allow-Origin", SPA_ORIGIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth2/token:POST", "/oauth2/revoke:POST", "/oauth2/userinfo:GET, POST",
        "/.well-known/openid-configuration:GET"})
    void aPreflightFromARegisteredOriginIs204WithTheRoutesMethods(String pathAndMethods) {
        String path = pathAndMethods.substring(0, pathAndMethods.indexOf(':'));
        APIGatewayV2HTTPEvent event = preflight(path, SPA_ORIGIN);

        APIGatewayV2HTTPResponse response = call(event);

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getBody()).isNull();
        assertThat(response.getHeaders()).isEqualTo(Map.of("Cache-Control", "no-store", "X-Content-Type-Options", "nosniff",
                "Access-Control-Allow-Origin", SPA_ORIGIN, "Vary", "Origin",
                "Access-Control-Allow-Methods", pathAndMethods.substring(pathAndMethods.indexOf(':') + 1),
                "Access-Control-Allow-Headers", "authorization, content-type", "Access-Control-Max-Age", "600"));
    }

    @Test
    void aPreflightFromAnyOtherOriginIs204WithNoCorsHeader() {
        for (String origin : List.of("https://evil.example", "https://billing.example", "null", "")) {
            APIGatewayV2HTTPResponse response = call(preflight("/oauth2/token", origin));

            assertThat(response.getStatusCode()).isEqualTo(204);
            assertThat(response.getHeaders().keySet()).noneMatch(name -> name.startsWith("Access-Control-"));
        }
    }

    @Test
    void anotherRouteIsNotFound() {
        APIGatewayV2HTTPEvent event = Events.http("oauth-discovery.json");
        event.setRouteKey("GET /oauth2/other");

        assertThat(call(event).getStatusCode()).isEqualTo(404);
        event.setRouteKey("OPTIONS /oauth2/authorize");
        assertThat(call(event).getStatusCode()).isEqualTo(404);
    }

    // --- helpers ---

    private APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, context);
    }

    private static Map<String, String> defaults() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", "spa");
        parameters.put("redirect_uri", CALLBACK);
        parameters.put("scope", "openid profile offline_access");
        parameters.put("state", "xyz");
        parameters.put("code_challenge", CHALLENGE);
        parameters.put("code_challenge_method", "S256");
        return parameters;
    }

    private static Map<String, String> withoutChallenge() {
        Map<String, String> parameters = defaults();
        parameters.remove("code_challenge");
        return parameters;
    }

    /** The sample authorization request with these parameters over the defaults. */
    private static APIGatewayV2HTTPEvent authorize(Map<String, String> overrides, String... cookies) {
        Map<String, String> parameters = defaults();
        parameters.putAll(overrides);
        return request(parameters, cookies);
    }

    /** The sample authorization request with exactly these parameters. */
    private static APIGatewayV2HTTPEvent request(Map<String, String> parameters, String... cookies) {
        StringBuilder query = new StringBuilder();
        parameters.forEach((name, value) -> query.append(query.isEmpty() ? "" : "&").append(enc(name)).append('=')
                .append(enc(value)));
        APIGatewayV2HTTPEvent event = Events.http("oauth-authorize.json");
        event.setHeaders(new HashMap<>(event.getHeaders()));
        event.setRawQueryString(query.toString());
        event.setCookies(cookies.length == 0 ? null : List.of(cookies));
        return event;
    }

    private static APIGatewayV2HTTPEvent token(String form) {
        APIGatewayV2HTTPEvent event = Events.http("oauth-token.json");
        event.setHeaders(new HashMap<>(event.getHeaders()));
        event.setBody(form);
        return event;
    }

    private static String exchange(String code) {
        return "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=" + enc(CALLBACK)
                + "&client_id=spa&code_verifier=" + VERIFIER;
    }

    private static APIGatewayV2HTTPEvent userinfo(String method, String authorization) {
        APIGatewayV2HTTPEvent event = Events.http("oauth-discovery.json");
        event.setHeaders(new HashMap<>(event.getHeaders()));
        event.setRouteKey(method + " /oauth2/userinfo");
        event.setRawPath("/oauth2/userinfo");
        event.getRequestContext().getHttp().setMethod(method);
        event.getRequestContext().getHttp().setPath("/oauth2/userinfo");
        if (authorization != null) {
            event.getHeaders().put("authorization", authorization);
        }
        return event;
    }

    private static APIGatewayV2HTTPEvent discovery(String origin) {
        APIGatewayV2HTTPEvent event = Events.http("oauth-discovery.json");
        event.setHeaders(new HashMap<>(event.getHeaders()));
        event.getHeaders().put("origin", origin);
        return event;
    }

    private static APIGatewayV2HTTPEvent preflight(String path, String origin) {
        APIGatewayV2HTTPEvent event = Events.http("oauth-discovery.json");
        event.setHeaders(new HashMap<>(event.getHeaders()));
        event.setRouteKey("OPTIONS " + path);
        event.setRawPath(path);
        event.getRequestContext().getHttp().setMethod("OPTIONS");
        event.getHeaders().put("origin", origin);
        event.getHeaders().put("access-control-request-method", "POST");
        event.getHeaders().put("access-control-request-headers", "content-type");
        return event;
    }

    private static String sessionCookie(LoginService.LoggedIn login) {
        return "__Host-session=" + login.sessionCookie();
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> body(APIGatewayV2HTTPResponse response) {
        return Json.parseObject(response.getBody()).orElseThrow(() -> new AssertionError("not JSON: " + response.getBody()));
    }

    private static Map<String, String> withCors(Map<String, String> headers) {
        Map<String, String> with = new HashMap<>(headers);
        with.put("Access-Control-Allow-Origin", SPA_ORIGIN);
        return with;
    }

    /** The redirect's query parameters, decoded. */
    private static Map<String, String> location(APIGatewayV2HTTPResponse response) {
        assertRedirect(response);
        Map<String, String> parameters = new LinkedHashMap<>();
        String query = URI.create(response.getHeaders().get("Location")).getRawQuery();
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static void assertRedirect(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(302);
        assertThat(response.getBody()).isNull();
        assertThat(response.getHeaders()).containsOnlyKeys("Location", "Cache-Control", "X-Content-Type-Options",
                "Content-Security-Policy", "X-Frame-Options", "Referrer-Policy");
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store")
                .containsEntry("Referrer-Policy", "no-referrer").containsEntry("X-Frame-Options", "DENY");
        assertThat(response.getHeaders().get("Location")).startsWith(CALLBACK + "?");
    }

    private static void assertPage(APIGatewayV2HTTPResponse response, int status) {
        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(response.getHeaders()).isEqualTo(Map.of("Content-Type", "text/html; charset=utf-8",
                "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff",
                "Content-Security-Policy", HostedPages.CONTENT_SECURITY_POLICY, "X-Frame-Options", "DENY",
                "Referrer-Policy", "no-referrer"));
        assertThat(response.getBody()).startsWith("<!doctype html>");
    }

    private static void assertTokenError(APIGatewayV2HTTPResponse response, int status, String error, String description) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "no-store").containsEntry("Pragma", "no-cache");
        assertThat(body(response)).isEqualTo(Map.of("error", error, "error_description", description));
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    private static String sha256(String text) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private Stores stores(SessionStore sessions, OAuthStore oauth) {
        UserStore users = world.users;
        return new Stores() {
            @Override
            public SessionStore sessions() {
                return sessions;
            }

            @Override
            public UserStore users() {
                return users;
            }

            @Override
            public OAuthStore oauth() {
                return oauth;
            }
        };
    }

    private static OAuthStore unavailableOAuthStore() {
        return (OAuthStore) Proxy.newProxyInstance(OAuthStore.class.getClassLoader(), new Class<?>[] {OAuthStore.class},
                (proxy, method, arguments) -> {
                    throw new StoreUnavailableException(method.getName() + " failed: users table unreachable (test)", null);
                });
    }
}
