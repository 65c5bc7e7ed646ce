package dev.authfn.functions.protectedapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.lambda.AuthorizerContext;
import dev.authfn.core.json.Json;
import dev.authfn.testkit.lambda.Events;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.core.config.AuthfnConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProtectedHandlerTest {

    private static final String ALICE_ID = "4a1f2c9e-2b7d-4e3a-9f0c-6d5e8b7a1c20";
    private static final String ROOT_ID = "9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e";
    private static final Principal READER = new Principal("0d5c1e7a-3b2f-4c9d-8e6a-5f4b3a2c1d0e", "reader",
            Set.of("user"), Set.of(), "RRRRRRRRRRRRRRRRRRRRRR", AuthType.BEARER);
    private static final String FORBIDDEN = "{\"type\":\"urn:authfn:problem:forbidden\",\"title\":\"Forbidden\","
            + "\"status\":403,\"detail\":\"You may not use this route.\"}";

    private final ProtectedHandler handler = new ProtectedHandler(config(Map.of()));
    private final RecordingContext context = new RecordingContext();

    @Test
    void protectedAnswersWhoTheCallerIs() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("protected.json"), context);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders())
                .containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "no-store");
        assertThat(response.getCookies()).isNull();
        Map<String, Object> body = Json.parseObject(response.getBody()).orElseThrow();
        assertThat(body).containsOnlyKeys("message", "sub", "username", "roles", "permissions", "session_id", "auth_type",
                        "amr", "auth_time", "acr")
                .isEqualTo(Map.of(
                        "message", "You are authenticated.",
                        "sub", ALICE_ID,
                        "username", "alice",
                        "roles", List.of("user"),
                        "permissions", List.of("posts:create"),
                        "session_id", "AAAAAAAAAAAAAAAAAAAAAA",
                        "auth_type", "cookie",
                        "amr", List.of("pwd"),
                        "auth_time", "2026-11-26T09:55:00Z",
                        "acr", "urn:authfn:acr:sfa"));
        assertThat(context.lines()).isEmpty();
    }

    @Test
    void listsRolesAndPermissionsSorted() {
        Principal principal = new Principal(ROOT_ID, "root", Set.of("user", "admin", "auditor"),
                Set.of("users:manage", "posts:create"), "FFFFFFFFFFFFFFFFFFFFFF", AuthType.BEARER);

        Map<String, Object> body = Json.parseObject(
                handler.handleRequest(as("protected.json", principal), context).getBody()).orElseThrow();

        assertThat(body).containsEntry("roles", List.of("admin", "auditor", "user"))
                .containsEntry("permissions", List.of("posts:create", "users:manage"))
                .containsEntry("auth_type", "bearer");
    }

    /** A context from an authorizer that wrote no amr or auth_time reads as a password login of unknown age. */
    @Test
    void aContextWithoutAmrOrAuthTimeShowsAPasswordLoginAndNoAuthTime() {
        APIGatewayV2HTTPEvent event = Events.http("protected.json");
        event.getRequestContext().getAuthorizer().getLambda().keySet().removeAll(Set.of("amr", "auth_time", "acr"));

        Map<String, Object> body = Json.parseObject(handler.handleRequest(event, context).getBody()).orElseThrow();

        assertThat(body).containsEntry("amr", List.of("pwd")).containsEntry("acr", "urn:authfn:acr:sfa")
                .doesNotContainKey("auth_time");
    }

    @Test
    void showsASecondFactorAsTheMultiFactorClass() {
        Principal principal = new Principal(ROOT_ID, "root", Set.of("user"), Set.of(), "FFFFFFFFFFFFFFFFFFFFFF",
                AuthType.COOKIE, List.of("pwd", "otp", "mfa"), Optional.of(Instant.parse("2026-11-26T09:59:30Z")));

        Map<String, Object> body = Json.parseObject(
                handler.handleRequest(as("protected.json", principal), context).getBody()).orElseThrow();

        assertThat(body).containsEntry("amr", List.of("pwd", "otp", "mfa"))
                .containsEntry("auth_time", "2026-11-26T09:59:30Z")
                .containsEntry("acr", "urn:authfn:acr:mfa");
    }

    @Test
    void adminRefusesAPlainUser() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(as("admin.json", READER), context);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders())
                .containsEntry("Content-Type", "application/problem+json")
                .containsEntry("Cache-Control", "no-store");
        assertThat(response.getBody()).isEqualTo(FORBIDDEN);
        assertThat(context.lines()).containsExactly(
                "WARN protected outcome=forbidden reason=MISSING_ROLE route=GET_/admin user=reader");
    }

    @Test
    void adminAnswersAnAdministrator() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("admin.json"), context);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store");
        assertThat(Json.parseObject(response.getBody()).orElseThrow()).isEqualTo(Map.of(
                "message", "You are an administrator.",
                "sub", ROOT_ID,
                "username", "root",
                "roles", List.of("admin", "user"),
                "permissions", List.of("posts:create"),
                "session_id", "FFFFFFFFFFFFFFFFFFFFFF",
                "auth_type", "bearer",
                "amr", List.of("pwd"),
                "auth_time", "2026-11-26T09:55:00Z",
                "acr", "urn:authfn:acr:sfa"));
    }

    @Test
    void postsRefusesACallerWithoutThePermission() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(as("posts-create.json", READER), context);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getBody()).isEqualTo(FORBIDDEN);
        assertThat(context.lines()).containsExactly(
                "WARN protected outcome=forbidden reason=MISSING_PERMISSION route=POST_/posts user=reader");
    }

    @Test
    void postsCreatesAPostForACallerWithThePermission() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("posts-create.json"), context);

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(response.getHeaders())
                .containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "no-store");
        Map<String, Object> body = Json.parseObject(response.getBody()).orElseThrow();
        assertThat(body).containsOnlyKeys("id", "author", "message")
                .containsEntry("author", "alice")
                .containsEntry("message", "Post created.");
        assertThat((String) body.get("id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void everyRouteRefusesARequestWithoutAuthorizerContext() {
        for (String file : new String[] {"protected.json", "admin.json", "posts-create.json"}) {
            APIGatewayV2HTTPEvent event = Events.http(file);
            event.getRequestContext().setAuthorizer(null);

            APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);

            assertThat(response.getStatusCode()).as(file).isEqualTo(401);
            assertThat(response.getHeaders()).as(file)
                    .containsEntry("Content-Type", "application/problem+json")
                    .containsEntry("Cache-Control", "no-store");
            assertThat(response.getBody()).as(file).isEqualTo("{\"type\":\"urn:authfn:problem:not-authenticated\","
                    + "\"title\":\"Not authenticated\",\"status\":401,\"detail\":\"This route needs an authenticated session.\"}");
        }
        assertThat(context.lines()).containsExactly(
                "WARN protected outcome=refused reason=NO_AUTHORIZER_CONTEXT route=GET_/protected",
                "WARN protected outcome=refused reason=NO_AUTHORIZER_CONTEXT route=GET_/admin",
                "WARN protected outcome=refused reason=NO_AUTHORIZER_CONTEXT route=POST_/posts");
    }

    @Test
    void anUnknownAuthTypeIsNoContext() {
        APIGatewayV2HTTPEvent event = Events.http("protected.json");
        event.getRequestContext().getAuthorizer().getLambda().put(AuthorizerContext.AUTH_TYPE, "basic");

        assertThat(handler.handleRequest(event, context).getStatusCode()).isEqualTo(401);
    }

    // --- GET /protected/step-up ---

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final String STEP_UP_CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"A recent multi-factor login is required\", acr_values=\"urn:authfn:acr:mfa\", "
            + "max_age=900";
    private static final String STEP_UP_BODY = "{\"type\":\"urn:authfn:problem:step-up-required\","
            + "\"title\":\"Step-up authentication required\",\"status\":401,\"detail\":\"This route needs a stronger "
            + "or more recent login; the WWW-Authenticate header says which.\"}";

    private final ProtectedHandler atNow = new ProtectedHandler(config(Map.of()), Clock.fixed(NOW, ZoneOffset.UTC));

    /** events/protected-step-up.json: what the authorizer passes for a password session, the challenge alone. */
    @Test
    void stepUpAnswersTheAuthorizersChallengeWith401() {
        APIGatewayV2HTTPResponse response = atNow.handleRequest(Events.http("protected-step-up.json"), context);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).isEqualTo(Map.of("Content-Type", "application/problem+json",
                "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff", "WWW-Authenticate", STEP_UP_CHALLENGE));
        assertThat(response.getBody()).isEqualTo(STEP_UP_BODY);
        assertThat(context.lines()).containsExactly(
                "WARN protected outcome=refused reason=STEP_UP_REQUIRED route=GET_/protected/step-up");
    }

    /** Defence in depth: a password principal that reached the function anyway is refused the same way. */
    @Test
    void stepUpRefusesAPasswordPrincipalWithTheSameChallenge() {
        Principal password = new Principal(ALICE_ID, "alice", Set.of("user"), Set.of(), "AAAAAAAAAAAAAAAAAAAAAA",
                AuthType.COOKIE, List.of("pwd"), Optional.of(NOW));

        APIGatewayV2HTTPResponse response = atNow.handleRequest(as("protected-step-up.json", password), context);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).containsEntry("WWW-Authenticate", STEP_UP_CHALLENGE);
        assertThat(response.getBody()).isEqualTo(STEP_UP_BODY);
    }

    @Test
    void stepUpAnswersARecentMultiFactorLoginLikeProtectedPlusALine() {
        Principal mfa = new Principal(ALICE_ID, "alice", Set.of("user"), Set.of(), "AAAAAAAAAAAAAAAAAAAAAA",
                AuthType.COOKIE, List.of("pwd", "otp", "mfa"), Optional.of(NOW.minus(Duration.ofMinutes(15))));

        APIGatewayV2HTTPResponse response = atNow.handleRequest(as("protected-step-up.json", mfa), context);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store").doesNotContainKey("WWW-Authenticate");
        assertThat(Json.parseObject(response.getBody()).orElseThrow()).isEqualTo(Map.ofEntries(
                Map.entry("message", "You are authenticated."),
                Map.entry("sub", ALICE_ID),
                Map.entry("username", "alice"),
                Map.entry("roles", List.of("user")),
                Map.entry("permissions", List.of()),
                Map.entry("session_id", "AAAAAAAAAAAAAAAAAAAAAA"),
                Map.entry("auth_type", "cookie"),
                Map.entry("amr", List.of("pwd", "otp", "mfa")),
                Map.entry("auth_time", "2026-11-26T09:45:00Z"),
                Map.entry("acr", "urn:authfn:acr:mfa"),
                Map.entry("step_up", "This route needed a recent multi-factor login, and yours is one.")));
        assertThat(context.lines()).isEmpty();
    }

    @Test
    void anUnknownRouteIsNotFound() {
        APIGatewayV2HTTPEvent event = Events.http("protected.json");
        event.setRouteKey("GET /elsewhere");

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getBody()).contains("\"type\":\"urn:authfn:problem:not-found\"");
    }

    @Test
    void readsTheRoutePolicyFromTheEnvironment() {
        ProtectedHandler configured = new ProtectedHandler(config(Map.of(
                "AUTHFN_ROUTE_POLICY", "{\"GET /protected\":{\"roles\":[\"auditor\"]}}")));

        Principal auditor = new Principal(ROOT_ID, "carol", Set.of("auditor"), Set.of(), "CCCCCCCCCCCCCCCCCCCCCC",
                AuthType.COOKIE);

        assertThat(configured.handleRequest(Events.http("protected.json"), context).getStatusCode()).isEqualTo(403);
        assertThat(configured.handleRequest(as("protected.json", auditor), context).getStatusCode()).isEqualTo(200);
    }

    private static APIGatewayV2HTTPEvent as(String file, Principal principal) {
        APIGatewayV2HTTPEvent event = Events.http(file);
        event.getRequestContext().getAuthorizer().setLambda(new LinkedHashMap<>(AuthorizerContext.of(principal)));
        return event;
    }

    private static AuthfnConfig config(Map<String, String> environment) {
        return AuthfnConfig.fromEnvironment(environment, EnumSet.noneOf(AuthfnConfig.Requirement.class));
    }
}
