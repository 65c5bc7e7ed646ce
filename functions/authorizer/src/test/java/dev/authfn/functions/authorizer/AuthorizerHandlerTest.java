package dev.authfn.functions.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.RequestAuthenticator;
import dev.authfn.core.authz.Amr;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.session.Session;
import dev.authfn.core.token.SessionToken;
import dev.authfn.core.user.User;
import dev.authfn.lambda.AuthorizerContext;
import dev.authfn.lambda.RouteGuard;
import dev.authfn.testkit.UnavailableSessionStore;
import dev.authfn.testkit.lambda.Events;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.testkit.InMemoryStores;
import dev.authfn.testkit.lambda.World;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthorizerHandlerTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String DENY_LINE = "WARN authorize outcome=deny reason=%s route=%s ip=203.0.113.10";

    private static World world;
    private static User alice;
    private static User root;
    private static AuthorizerHandler handler;
    private final RecordingContext context = new RecordingContext();

    @BeforeAll
    static void wire() {
        world = new World();
        alice = world.addUser("alice", PASSWORD, Set.of("user"), Set.of("posts:create"));
        root = world.addUser("root", PASSWORD, Set.of("admin", "user"), Set.of("posts:create", "users:manage"));
        handler = new AuthorizerHandler(world.components);
    }

    @Test
    void allowsACookieGetWithThePrincipalAsContext() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        SimpleIAMPolicyResponse response = handler.handleRequest(withCookies("authorizer-cookie-get.json", login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-allow-cookie.json",
                Map.of("sub", alice.userId(), "sid", login.session().id(), "auth_time",
                        Long.toString(login.session().authTime().getEpochSecond()))));
        assertThat(context.lines()).isEmpty();
    }

    @Test
    void deniesARequestWithoutCredentialsWithAnEmptyContext() {
        SimpleIAMPolicyResponse response = handler.handleRequest(Events.authorizer("authorizer-no-credentials.json"), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly(DENY_LINE.formatted("NO_CREDENTIALS", "GET_/protected"));
    }

    @Test
    void neverTakesACredentialFromTheUrl() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        APIGatewayV2CustomAuthorizerEvent event = Events.authorizer("authorizer-no-credentials.json");
        event.setRawQueryString("access_token=" + login.accessToken() + "&session=" + login.sessionCookie());
        event.setQueryStringParameters(Map.of("access_token", login.accessToken(), "session", login.sessionCookie()));

        SimpleIAMPolicyResponse response = handler.handleRequest(event, context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly(DENY_LINE.formatted("NO_CREDENTIALS", "GET_/protected"));
        assertNoCredentialIn(context.lines(), login.accessToken(), login.sessionCookie());
    }

    @Test
    void deniesATamperedCookieAndLogsNoCredential() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        String cookie = login.sessionCookie();
        int inMac = cookie.lastIndexOf('.') + 10;
        String tampered = cookie.substring(0, inMac) + (cookie.charAt(inMac) == 'A' ? 'B' : 'A') + cookie.substring(inMac + 1);
        APIGatewayV2CustomAuthorizerEvent event = Events.authorizer("authorizer-cookie-get.json");
        event.setCookies(List.of("__Host-session=" + tampered, "__Host-csrf=" + login.csrfToken()));

        SimpleIAMPolicyResponse response = handler.handleRequest(event, context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly(DENY_LINE.formatted("BAD_COOKIE/BAD_SIGNATURE", "GET_/protected"));
        assertNoCredentialIn(context.lines(), cookie, tampered, login.csrfToken(), login.accessToken());
    }

    @Test
    void deniesTheSampleEventsPlaceholderCookie() {
        SimpleIAMPolicyResponse response = handler.handleRequest(Events.authorizer("authorizer-cookie-get.json"), context);

        assertThat(response.getIsAuthorized()).isFalse();
        assertThat(response.getContext()).isEmpty();
        assertThat(context.lines()).containsExactly(DENY_LINE.formatted("BAD_COOKIE/UNKNOWN_KEY", "GET_/protected"));
    }

    @Test
    void deniesTwoSessionCookies() {
        LoginService.LoggedIn first = world.login("alice", PASSWORD);
        LoginService.LoggedIn second = world.login("alice", PASSWORD);
        APIGatewayV2CustomAuthorizerEvent event = Events.authorizer("authorizer-cookie-get.json");
        event.setCookies(List.of("__Host-session=" + first.sessionCookie(), "__Host-session=" + second.sessionCookie()));

        SimpleIAMPolicyResponse response = handler.handleRequest(event, context);

        assertThat(response.getIsAuthorized()).isFalse();
        assertThat(context.lines()).containsExactly(DENY_LINE.formatted("DUPLICATE_COOKIE", "GET_/protected"));
    }

    @Test
    void allowsAnAdminBearerTokenOnTheAdminRoute() {
        LoginService.LoggedIn login = world.login("root", PASSWORD);

        SimpleIAMPolicyResponse response = handler.handleRequest(withBearer("authorizer-bearer.json", login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-allow-bearer-admin.json",
                Map.of("sub", root.userId(), "sid", login.session().id(), "auth_time",
                        Long.toString(login.session().authTime().getEpochSecond()))));
    }

    @Test
    void deniesAPlainUserOnTheAdminRoute() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        SimpleIAMPolicyResponse response = handler.handleRequest(withBearer("authorizer-bearer.json", login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly(DENY_LINE.formatted("FORBIDDEN/MISSING_ROLE", "GET_/admin"));
        assertNoCredentialIn(context.lines(), login.accessToken());
    }

    @Test
    void deniesAPlainUserCookieOnTheAdminRouteAndAllowsAnAdminCookie() {
        APIGatewayV2CustomAuthorizerEvent asUser = withCookies("authorizer-cookie-get.json", world.login("alice", PASSWORD));
        APIGatewayV2CustomAuthorizerEvent asAdmin = withCookies("authorizer-cookie-get.json", world.login("root", PASSWORD));
        for (APIGatewayV2CustomAuthorizerEvent event : List.of(asUser, asAdmin)) {
            event.setRouteKey("GET /admin");
            event.setRawPath("/admin");
            event.setRouteArn("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/$default/GET/admin");
            event.getRequestContext().setRouteKey("GET /admin");
            event.getRequestContext().getHttp().setPath("/admin");
        }

        assertThat(handler.handleRequest(asUser, context).getIsAuthorized()).isFalse();
        assertThat(handler.handleRequest(asAdmin, context).getIsAuthorized()).isTrue();
    }

    @Test
    void deniesABearerTokenOnceItsSessionIsRevoked() {
        LoginService.LoggedIn login = world.login("root", PASSWORD);
        assertThat(handler.handleRequest(withBearer("authorizer-bearer.json", login), context).getIsAuthorized()).isTrue();

        world.sessions.revoke(login.session().id(), root.userId());
        SimpleIAMPolicyResponse response = handler.handleRequest(withBearer("authorizer-bearer.json", login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly(DENY_LINE.formatted("SESSION_ENDED", "GET_/admin"));
    }

    @Test
    void statelessBearerTokensOutliveTheirSessionUntilExpiry() {
        AuthorizerHandler stateless = new AuthorizerHandler(world.components(Map.of("AUTHFN_STATELESS_BEARER", "true")));
        LoginService.LoggedIn login = world.login("root", PASSWORD);

        world.sessions.revoke(login.session().id(), root.userId());

        assertThat(stateless.handleRequest(withBearer("authorizer-bearer.json", login), context).getIsAuthorized()).isTrue();
    }

    @Test
    void deniesABearerTokenThatDoesNotVerify() {
        SimpleIAMPolicyResponse response = handler.handleRequest(Events.authorizer("authorizer-bearer.json"), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-deny.json", Map.of()));
        assertThat(context.lines()).hasSize(1);
        assertThat(context.lines().get(0)).startsWith("WARN authorize outcome=deny reason=BAD_TOKEN/").endsWith(" route=GET_/admin ip=203.0.113.10");
    }

    @Test
    void deniesACookiePostWithoutTheCsrfToken() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        APIGatewayV2CustomAuthorizerEvent event = withCookies("authorizer-cookie-post.json", login);
        event.getHeaders().remove("x-csrf-token");

        SimpleIAMPolicyResponse response = handler.handleRequest(event, context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly(DENY_LINE.formatted("CSRF/MISSING", "POST_/posts"));
    }

    @Test
    void allowsACookiePostWithTheCsrfToken() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        SimpleIAMPolicyResponse response = handler.handleRequest(withCookies("authorizer-cookie-post.json", login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-allow-cookie.json",
                Map.of("sub", alice.userId(), "sid", login.session().id(), "auth_time",
                        Long.toString(login.session().authTime().getEpochSecond()))));
    }

    @Test
    void deniesACookiePostWithTheCsrfTokenOfAnotherSession() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        LoginService.LoggedIn other = world.login("alice", PASSWORD);
        APIGatewayV2CustomAuthorizerEvent event = withCookies("authorizer-cookie-post.json", login);
        event.setCookies(List.of("__Host-session=" + login.sessionCookie(), "__Host-csrf=" + other.csrfToken()));
        event.getHeaders().put("x-csrf-token", other.csrfToken());

        SimpleIAMPolicyResponse response = handler.handleRequest(event, context);

        assertThat(response.getIsAuthorized()).isFalse();
        assertThat(context.lines()).containsExactly(DENY_LINE.formatted("CSRF/BAD_SIGNATURE", "POST_/posts"));
    }

    @Test
    void deniesACrossSiteCookiePostEvenWithTheCsrfToken() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        APIGatewayV2CustomAuthorizerEvent event = withCookies("authorizer-cookie-post.json", login);
        event.getHeaders().put("sec-fetch-site", "cross-site");

        SimpleIAMPolicyResponse response = handler.handleRequest(event, context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly(DENY_LINE.formatted("CROSS_SITE", "POST_/posts"));
    }

    @Test
    void deniesACookiePostFromAForeignOrigin() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        APIGatewayV2CustomAuthorizerEvent event = withCookies("authorizer-cookie-post.json", login);
        event.getHeaders().remove("sec-fetch-site");
        event.getHeaders().put("origin", "https://evil.example");

        SimpleIAMPolicyResponse response = handler.handleRequest(event, context);

        assertThat(response.getIsAuthorized()).isFalse();
        assertThat(context.lines()).containsExactly(DENY_LINE.formatted("FOREIGN_ORIGIN", "POST_/posts"));
    }

    @Test
    void allowsABearerPostWithoutACsrfToken() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        APIGatewayV2CustomAuthorizerEvent event = withBearer("authorizer-cookie-post.json", login);
        event.setCookies(null);
        event.getHeaders().remove("x-csrf-token");

        assertThat(handler.handleRequest(event, context).getIsAuthorized()).isTrue();
    }

    @Test
    void deniesAndLogsAnErrorWhenTheSessionStoreIsDown() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        AuthorizerHandler outage = new AuthorizerHandler(
                world.components(new InMemoryStores(new UnavailableSessionStore(), world.users)));

        SimpleIAMPolicyResponse response = outage.handleRequest(withCookies("authorizer-cookie-get.json", login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly(
                "ERROR authorize outcome=deny reason=STORE_UNAVAILABLE route=GET_/protected ip=203.0.113.10");
    }

    // --- step-up (RFC 9470) ---

    private static final String CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"A recent multi-factor login is required\", acr_values=\"urn:authfn:acr:mfa\", "
            + "max_age=900";

    /**
     * A password session on a route whose policy asks for a recent second factor: allowed, but with
     * a context of the challenge alone, so no function finds a principal in it; the route guard then
     * answers the 401 with the challenge.
     */
    @Test
    void allowsAPasswordCookieOnAStepUpRouteWithTheChallengeAndNoPrincipal() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        SimpleIAMPolicyResponse response = handler.handleRequest(withCookies("authorizer-step-up.json", login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-allow-step-up-challenge.json", Map.of()));
        assertThat(context.lines()).containsExactly("WARN authorize outcome=step_up reason=STEP_UP_REQUIRED "
                + "route=GET_/protected/step-up ip=203.0.113.10 user=alice sid=" + login.session().id());
        // the session id is public and logged; the cookie's secret and MAC, the tokens never are
        assertNoCredentialIn(context.lines(), login.sessionCookie().replace(login.session().id(), ""),
                login.csrfToken(), login.accessToken());
        assertThat(AuthorizerContext.principal(functionEvent(response))).isEmpty();
        APIGatewayV2HTTPResponse refused = ((RouteGuard.Refused) new RouteGuard(world.routePolicy, "protected",
                world.clock).check(functionEvent(response), context)).response();
        assertThat(refused.getStatusCode()).isEqualTo(401);
        assertThat(refused.getHeaders()).containsEntry("WWW-Authenticate", CHALLENGE)
                .containsEntry("Content-Type", "application/problem+json");
    }

    @Test
    void allowsAPasswordBearerTokenOnAStepUpRouteWithTheChallengeAndNoPrincipal() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        APIGatewayV2CustomAuthorizerEvent event = withBearer("authorizer-step-up.json", login);
        event.setCookies(null);

        SimpleIAMPolicyResponse response = handler.handleRequest(event, context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-allow-step-up-challenge.json", Map.of()));
        assertThat(context.lines()).containsExactly("WARN authorize outcome=step_up reason=STEP_UP_REQUIRED "
                + "route=GET_/protected/step-up ip=203.0.113.10 user=alice sid=" + login.session().id());
    }

    /** A recent multi-factor session passes, by cookie and by bearer token, with its principal as context. */
    @Test
    void allowsARecentMultiFactorSessionOnTheStepUpRouteWithItsPrincipal() {
        Instant now = world.clock.instant();
        SessionToken token = SessionToken.generate(new SecureRandom());
        Session session = new Session(token.id(), token.secretHash(), alice.userId(), "alice", alice.roles(),
                alice.permissions(), now, now, now.plus(Duration.ofMinutes(30)), now.plus(Duration.ofHours(8)), "JUnit",
                "203.0.113.10", Amr.PASSWORD_AND_OTP, now.minus(Duration.ofMinutes(15)));
        world.sessions.create(session);
        String cookie = world.codecs.get().cookies().sign(token, now);
        String accessToken = world.codecs.get().issuer().issue(alice.userId(), "alice", session.id(), alice.roles(),
                alice.permissions(), session.amr(), session.authTime());
        APIGatewayV2CustomAuthorizerEvent byCookie = Events.authorizer("authorizer-step-up.json");
        byCookie.setCookies(List.of("__Host-session=" + cookie));
        APIGatewayV2CustomAuthorizerEvent byBearer = Events.authorizer("authorizer-step-up.json");
        byBearer.setCookies(null);
        byBearer.getHeaders().put("authorization", "Bearer " + accessToken);

        for (APIGatewayV2CustomAuthorizerEvent event : List.of(byCookie, byBearer)) {
            SimpleIAMPolicyResponse response = handler.handleRequest(event, context);

            assertThat(response.getIsAuthorized()).isTrue();
            assertThat(response.getContext()).containsEntry("amr", "pwd otp mfa")
                    .containsEntry("acr", "urn:authfn:acr:mfa")
                    .containsEntry("auth_time", Long.toString(now.minus(Duration.ofMinutes(15)).getEpochSecond()))
                    .doesNotContainKey("step_up");
        }
        assertThat(context.lines()).isEmpty();
    }

    /** A user refused the route's roles gets API Gateway's 403, never an invitation to log in again. */
    @Test
    void deniesAMissingRoleOnAStepUpRouteRatherThanChallenging() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        AuthorizerHandler guarded = new AuthorizerHandler(world.components(Map.of(AuthfnConfig.ENV_ROUTE_POLICY,
                "{\"GET /protected/step-up\":{\"roles\":[\"admin\"],\"mfa\":true}}")));

        SimpleIAMPolicyResponse response = guarded.handleRequest(withCookies("authorizer-step-up.json", login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("http-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly(DENY_LINE.formatted("FORBIDDEN/MISSING_ROLE", "GET_/protected/step-up"));
    }

    /** The HTTP API event a function receives after this authorizer response. */
    private static APIGatewayV2HTTPEvent functionEvent(SimpleIAMPolicyResponse response) {
        APIGatewayV2HTTPEvent event = Events.http("protected-step-up.json");
        event.getRequestContext().getAuthorizer().setLambda(new LinkedHashMap<>(response.getContext()));
        return event;
    }

    /** The event with the logged-in session's cookies, and its CSRF token wherever the file sends one. */
    private static APIGatewayV2CustomAuthorizerEvent withCookies(String file, LoginService.LoggedIn login) {
        APIGatewayV2CustomAuthorizerEvent event = Events.authorizer(file);
        event.setCookies(List.of("__Host-session=" + login.sessionCookie(), "__Host-csrf=" + login.csrfToken()));
        if (event.getHeaders().containsKey("x-csrf-token")) {
            event.getHeaders().put("x-csrf-token", login.csrfToken());
        }
        return event;
    }

    private static APIGatewayV2CustomAuthorizerEvent withBearer(String file, LoginService.LoggedIn login) {
        APIGatewayV2CustomAuthorizerEvent event = Events.authorizer(file);
        event.getHeaders().put("authorization", "Bearer " + login.accessToken());
        return event;
    }

    private static void assertNoCredentialIn(List<String> lines, String... credentials) {
        List<String> fragments = new ArrayList<>();
        for (String credential : credentials) {
            for (String part : credential.split("\\.")) {
                if (part.length() >= 16) {
                    fragments.add(part);
                }
            }
        }
        assertThat(String.join("\n", lines)).doesNotContain(fragments.toArray(String[]::new));
    }
}
