package dev.authfn.functions.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.RequestAuthenticator;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.user.User;
import dev.authfn.lambda.AuthorizerContext;
import dev.authfn.testkit.UnavailableSessionStore;
import dev.authfn.testkit.lambda.Events;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.testkit.InMemoryStores;
import dev.authfn.testkit.lambda.World;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RestAuthorizerHandlerTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String STAGE = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/";

    private static World world;
    private static User alice;
    private static User root;
    private static User reader;
    private static RestAuthorizerHandler handler;
    private final RecordingContext context = new RecordingContext();

    @BeforeAll
    static void wire() {
        world = new World();
        alice = world.addUser("alice", PASSWORD, Set.of("user"), Set.of("posts:create"));
        root = world.addUser("root", PASSWORD, Set.of("admin", "user"), Set.of("posts:create", "users:manage"));
        reader = world.addUser("reader", PASSWORD, Set.of("user"), Set.of());
        handler = new RestAuthorizerHandler(world.components);
    }

    @Test
    void allowsAnAdminTheWholeStageWithNoDeny() {
        LoginService.LoggedIn login = world.login("root", PASSWORD);

        IamPolicyResponseV1 response = handler.handleRequest(request(login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("rest-allow-admin.json",
                Map.of("sub", root.userId(), "sid", login.session().id(), "auth_time",
                        Long.toString(login.session().authTime().getEpochSecond()))));
        assertThat(response.getPrincipalId()).isEqualTo(root.userId());
        assertThat(context.lines()).isEmpty();
    }

    @Test
    void allowsAPlainUserTheStageButDeniesTheAdminRouteExplicitly() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        IamPolicyResponseV1 response = handler.handleRequest(token(login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("rest-allow-user.json",
                Map.of("sub", alice.userId(), "sid", login.session().id(), "auth_time",
                        Long.toString(login.session().authTime().getEpochSecond()))));
    }

    @Test
    void answersAPlainUserOnTheAdminRouteWithThePolicyThatDeniesIt() {
        // API Gateway evaluates the policy against this request's method ARN, and reuses it from its cache
        // for the same token on other routes: the one policy must be right for every route.
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        IamPolicyResponseV1 response = handler.handleRequest(request(login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("rest-allow-user.json",
                Map.of("sub", alice.userId(), "sid", login.session().id(), "auth_time",
                        Long.toString(login.session().authTime().getEpochSecond()))));
        assertThat(Golden.of(handler.handleRequest(token(login), context))).isEqualTo(Golden.of(response));
    }

    @Test
    void deniesEachRouteWhoseRequirementTheUserLacks() {
        LoginService.LoggedIn login = world.login("reader", PASSWORD);

        IamPolicyResponseV1 response = handler.handleRequest(token(login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("rest-allow-reader.json",
                Map.of("sub", reader.userId(), "sid", login.session().id(), "auth_time",
                        Long.toString(login.session().authTime().getEpochSecond()))));
    }

    /**
     * On the step-up route itself a password session is allowed with the challenge alone, as by the
     * HTTP API authorizer; the step-up route is not denied then (the function answers the 401), but
     * every other route it fails is.
     */
    @Test
    void allowsAPasswordSessionOnTheStepUpRouteWithTheChallengeAndNoPrincipal() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        APIGatewayCustomAuthorizerEvent event = token(login);
        event.setMethodArn(STAGE + "GET/protected/step-up");

        IamPolicyResponseV1 response = handler.handleRequest(event, context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("rest-allow-step-up-challenge.json",
                Map.of("sub", alice.userId())));
        assertThat(response.getContext()).doesNotContainKeys(AuthorizerContext.SUB, AuthorizerContext.USERNAME);
        assertThat(context.lines()).containsExactly("WARN authorize outcome=step_up reason=STEP_UP_REQUIRED "
                + "route=GET_/protected/step-up user=alice sid=" + login.session().id());
    }

    @Test
    void carriesTheSameContextKeysAsTheHttpApiAuthorizer() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        IamPolicyResponseV1 response = handler.handleRequest(token(login), context);

        assertThat(response.getContext()).containsOnlyKeys(AuthorizerContext.SUB, AuthorizerContext.USERNAME,
                AuthorizerContext.ROLES, AuthorizerContext.PERMISSIONS, AuthorizerContext.SID, AuthorizerContext.AUTH_TYPE,
                AuthorizerContext.AMR, AuthorizerContext.AUTH_TIME, AuthorizerContext.ACR);
    }

    @Test
    void deniesTheWholeStageForATokenThatDoesNotVerify() {
        IamPolicyResponseV1 response = handler.handleRequest(Events.restAuthorizer("authorizer-rest-token.json"), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("rest-deny.json", Map.of()));
        assertThat(context.lines()).hasSize(1);
        assertThat(context.lines().get(0)).startsWith("WARN authorize outcome=deny reason=BAD_TOKEN/")
                .endsWith(" route=GET_/protected");
    }

    @Test
    void deniesTheWholeStageOnceTheTokensSessionIsRevoked() {
        LoginService.LoggedIn login = world.login("root", PASSWORD);
        world.sessions.revoke(login.session().id(), root.userId());

        IamPolicyResponseV1 response = handler.handleRequest(token(login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("rest-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly("WARN authorize outcome=deny reason=SESSION_ENDED route=GET_/protected");
    }

    @Test
    void deniesARequestWithoutCredentials() {
        APIGatewayCustomAuthorizerEvent event = Events.restAuthorizer("authorizer-rest-request.json");
        event.getHeaders().remove("Authorization");

        IamPolicyResponseV1 response = handler.handleRequest(event, context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("rest-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly("WARN authorize outcome=deny reason=NO_CREDENTIALS route=GET_/admin");
    }

    @Test
    void deniesEverythingForAMalformedMethodArn() {
        LoginService.LoggedIn login = world.login("root", PASSWORD);
        APIGatewayCustomAuthorizerEvent event = token(login);
        event.setMethodArn("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod");

        IamPolicyResponseV1 response = handler.handleRequest(event, context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("rest-deny-malformed-arn.json", Map.of()));
        assertThat(context.lines()).containsExactly("WARN authorize outcome=deny reason=MALFORMED_METHOD_ARN");
    }

    @Test
    void allowsASessionCookieInARequestAuthorizer() {
        LoginService.LoggedIn login = world.login("root", PASSWORD);
        APIGatewayCustomAuthorizerEvent event = Events.restAuthorizer("authorizer-rest-request.json");
        event.getHeaders().remove("Authorization");
        event.getHeaders().put("Cookie", "__Host-session=" + login.sessionCookie() + "; __Host-csrf=" + login.csrfToken());

        IamPolicyResponseV1 response = handler.handleRequest(event, context);

        assertThat(response.getPrincipalId()).isEqualTo(root.userId());
        assertThat(response.getContext()).containsEntry(AuthorizerContext.AUTH_TYPE, "cookie")
                .containsEntry(AuthorizerContext.SID, login.session().id());
        assertThat(Golden.of(response)).contains("{\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":[\""
                + STAGE + "*/*\"]},{\"Effect\":\"Deny\",\"Action\":\"execute-api:Invoke\",\"Resource\":[\""
                + STAGE + "GET/protected/step-up\"]}]");
    }

    @Test
    void deniesACookiePostWithoutTheCsrfToken() {
        LoginService.LoggedIn login = world.login("root", PASSWORD);
        APIGatewayCustomAuthorizerEvent event = Events.restAuthorizer("authorizer-rest-request.json");
        event.getHeaders().remove("Authorization");
        event.getHeaders().put("Cookie", "__Host-session=" + login.sessionCookie() + "; __Host-csrf=" + login.csrfToken());
        event.setHttpMethod("POST");
        event.setResource("/posts");
        event.setMethodArn(STAGE + "POST/posts");

        IamPolicyResponseV1 response = handler.handleRequest(event, context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("rest-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly("WARN authorize outcome=deny reason=CSRF/MISSING route=POST_/posts");
    }

    @Test
    void allowsASameOriginCookiePostWithItsCsrfToken() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        IamPolicyResponseV1 response = handler.handleRequest(cookiePost(login), context);

        assertThat(response.getPrincipalId()).isEqualTo(alice.userId());
        assertThat(response.getContext()).containsEntry(AuthorizerContext.AUTH_TYPE, "cookie")
                .containsEntry(AuthorizerContext.SID, login.session().id());
        assertThat(Golden.of(response)).contains("\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":[\"" + STAGE + "*/*\"]},"
                + "{\"Effect\":\"Deny\",\"Action\":\"execute-api:Invoke\",\"Resource\":[\"" + STAGE + "GET/admin\"]},"
                + "{\"Effect\":\"Deny\",\"Action\":\"execute-api:Invoke\",\"Resource\":[\"" + STAGE
                + "GET/protected/step-up\"]}]");
        assertThat(context.lines()).isEmpty();
    }

    @Test
    void deniesACrossSiteCookiePostEvenWithItsCsrfToken() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        APIGatewayCustomAuthorizerEvent event = cookiePost(login);
        event.getHeaders().put("Sec-Fetch-Site", "cross-site");
        event.getHeaders().put("Origin", "https://evil.example");

        IamPolicyResponseV1 response = handler.handleRequest(event, context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("rest-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly("WARN authorize outcome=deny reason=CROSS_SITE route=POST_/posts");
    }

    @Test
    void deniesTheSampleCookieEventsPlaceholderCookie() {
        IamPolicyResponseV1 response = handler.handleRequest(
                Events.restAuthorizer("authorizer-rest-request-cookie.json"), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("rest-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly("WARN authorize outcome=deny reason=BAD_COOKIE/UNKNOWN_KEY route=POST_/posts");
    }

    @Test
    void deniesAnyRouteForEveryVerbAndIgnoresTheHttpApiDefaultRoute() {
        RestAuthorizerHandler anyRoutes = new RestAuthorizerHandler(world.components(Map.of("AUTHFN_ROUTE_POLICY",
                "{\"ANY /admin\":{\"roles\":[\"admin\"]},\"$default\":{\"roles\":[\"admin\"]}}")));
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        IamPolicyResponseV1 response = anyRoutes.handleRequest(token(login), context);

        assertThat(Golden.of(response)).contains("\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":[\"" + STAGE + "*/*\"]},"
                + "{\"Effect\":\"Deny\",\"Action\":\"execute-api:Invoke\",\"Resource\":[\"" + STAGE + "*/admin\"]}]");
    }

    @Test
    void deniesAndLogsAnErrorWhenTheSessionStoreIsDown() {
        LoginService.LoggedIn login = world.login("root", PASSWORD);
        RestAuthorizerHandler outage = new RestAuthorizerHandler(
                world.components(new InMemoryStores(new UnavailableSessionStore(), world.users)));

        IamPolicyResponseV1 response = outage.handleRequest(token(login), context);

        assertThat(Golden.of(response)).isEqualTo(Golden.load("rest-deny.json", Map.of()));
        assertThat(context.lines()).containsExactly(
                "ERROR authorize outcome=deny reason=STORE_UNAVAILABLE route=GET_/protected");
    }

    /** events/authorizer-rest-token.json (TOKEN, GET /protected) carrying the login's access token. */
    private static APIGatewayCustomAuthorizerEvent token(LoginService.LoggedIn login) {
        APIGatewayCustomAuthorizerEvent event = Events.restAuthorizer("authorizer-rest-token.json");
        event.setAuthorizationToken("Bearer " + login.accessToken());
        return event;
    }

    /**
     * events/authorizer-rest-request-cookie.json (REQUEST, same-origin POST /posts) carrying the login's
     * session and CSRF cookies in its {@code Cookie} header and the CSRF token in {@code X-CSRF-Token}.
     */
    private static APIGatewayCustomAuthorizerEvent cookiePost(LoginService.LoggedIn login) {
        APIGatewayCustomAuthorizerEvent event = Events.restAuthorizer("authorizer-rest-request-cookie.json");
        event.getHeaders().put("Cookie", "__Host-session=" + login.sessionCookie() + "; __Host-csrf=" + login.csrfToken());
        event.getHeaders().put("X-CSRF-Token", login.csrfToken());
        return event;
    }

    /** events/authorizer-rest-request.json (REQUEST, GET /admin) carrying the login's access token. */
    private static APIGatewayCustomAuthorizerEvent request(LoginService.LoggedIn login) {
        APIGatewayCustomAuthorizerEvent event = Events.restAuthorizer("authorizer-rest-request.json");
        event.getHeaders().put("Authorization", "Bearer " + login.accessToken());
        return event;
    }
}
