package dev.authfn.functions.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.SessionService;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.jwt.AccessTokenClaims;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.session.Session;
import dev.authfn.core.user.User;
import dev.authfn.lambda.AuthorizerContext;
import dev.authfn.core.json.Json;
import dev.authfn.testkit.UnavailableSessionStore;
import dev.authfn.testkit.lambda.Events;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.testkit.InMemoryStores;
import dev.authfn.testkit.lambda.World;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionHandlerTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String CLEAR_SESSION = "__Host-session=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax";
    private static final String CLEAR_CSRF = "__Host-csrf=; Max-Age=0; Path=/; Secure; SameSite=Strict";
    private static final String NOT_AUTHENTICATED = "{\"type\":\"urn:authfn:problem:not-authenticated\","
            + "\"title\":\"Not authenticated\",\"status\":401,\"detail\":\"This route needs an authenticated session.\"}";

    private World world;
    private User alice;
    private User bob;
    private SessionHandler handler;
    private final RecordingContext context = new RecordingContext();

    @BeforeEach
    void wire() {
        world = new World();
        alice = world.addUser("alice", PASSWORD, Set.of("user"), Set.of("posts:create"));
        bob = world.addUser("bob", PASSWORD, Set.of("user"), Set.of());
        handler = new SessionHandler(world.components);
    }

    @Test
    void refreshAnswersNewTokensLikeLoginAndSetsOnlyTheCsrfCookie() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        String sessionId = login.session().id();
        world.clock.advance(Duration.ofMinutes(10));

        APIGatewayV2HTTPResponse response = handler.handleRequest(event("refresh.json", cookiePrincipal(alice, login)), context);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders())
                .containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "no-store");
        Map<String, Object> body = Json.parseObject(response.getBody()).orElseThrow();
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "csrf_token", "session")
                .containsEntry("token_type", "Bearer")
                .containsEntry("expires_in", 300L);
        assertThat(body.get("session")).isEqualTo(Map.of(
                "id", sessionId,
                "expires_at", World.T0.plus(Duration.ofHours(8)).toString(),
                "idle_expires_at", World.T0.plus(Duration.ofMinutes(40)).toString()));
        String csrfToken = (String) body.get("csrf_token");
        assertThat(csrfToken).isNotEqualTo(login.csrfToken());
        assertThat(world.codecs.get().csrf().verify(sessionId, csrfToken)).isEmpty();
        assertThat(response.getCookies()).containsExactly(
                "__Host-csrf=" + csrfToken + "; Max-Age=28200; Path=/; Secure; SameSite=Strict");

        AccessTokenResult token = world.codecs.get().verifier().verify((String) body.get("access_token"));
        assertThat(token).isInstanceOf(AccessTokenResult.Verified.class);
        AccessTokenClaims claims = ((AccessTokenResult.Verified) token).claims();
        assertThat(claims.subject()).isEqualTo(alice.userId());
        assertThat(claims.sessionId()).isEqualTo(sessionId);
        assertThat(claims.roles()).containsExactly("user");
        assertThat(claims.permissions()).containsExactly("posts:create");
        assertThat(claims.issuedAt()).isEqualTo(World.T0.plus(Duration.ofMinutes(10)));
        assertThat(world.sessions.find(sessionId, world.clock.instant()).orElseThrow().idleExpiresAt())
                .isEqualTo(World.T0.plus(Duration.ofMinutes(40)));
        assertThat(context.lines()).containsExactly("INFO refresh outcome=success user=alice sid=" + sessionId);
        assertThat(String.join("\n", context.lines())).doesNotContain(csrfToken, (String) body.get("access_token"));
    }

    @Test
    void refreshWithABearerTokenIsForbidden() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        APIGatewayV2HTTPResponse response = handler.handleRequest(event("refresh.json", bearerPrincipal(alice, login)), context);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders())
                .containsEntry("Content-Type", "application/problem+json")
                .containsEntry("Cache-Control", "no-store");
        assertThat(response.getBody()).isEqualTo("{\"type\":\"urn:authfn:problem:forbidden\",\"title\":\"Forbidden\","
                + "\"status\":403,\"detail\":\"Refresh needs the session cookie, not a bearer token.\"}");
        assertThat(response.getCookies()).isNull();
        assertThat(context.lines()).containsExactly(
                "WARN refresh outcome=refused reason=NOT_COOKIE user=alice sid=" + login.session().id());
    }

    @Test
    void refreshOfARevokedSessionIsUnauthenticated() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        world.sessions.revoke(login.session().id(), alice.userId());

        APIGatewayV2HTTPResponse response = handler.handleRequest(event("refresh.json", cookiePrincipal(alice, login)), context);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store");
        assertThat(response.getBody()).isEqualTo("{\"type\":\"urn:authfn:problem:not-authenticated\","
                + "\"title\":\"Not authenticated\",\"status\":401,\"detail\":\"The session has ended; log in again.\"}");
        assertThat(response.getCookies()).isNull();
    }

    @Test
    void refreshAfterTheIdleTimeoutIsUnauthenticatedThoughTheItemIsStillStored() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        world.clock.advance(Duration.ofMinutes(31));

        APIGatewayV2HTTPResponse response = handler.handleRequest(event("refresh.json", cookiePrincipal(alice, login)), context);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getCookies()).isNull();
    }

    @Test
    void refreshOfADisabledUsersSessionIsUnauthenticated() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        world.users.disable("alice");

        APIGatewayV2HTTPResponse response = handler.handleRequest(event("refresh.json", cookiePrincipal(alice, login)), context);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(world.sessions.listLive(alice.userId(), world.clock.instant())).isEmpty();
    }

    @Test
    void logoutEndsTheSessionAndClearsBothCookies() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        LoginService.LoggedIn other = world.login("alice", PASSWORD);

        APIGatewayV2HTTPResponse response = handler.handleRequest(event("logout.json", cookiePrincipal(alice, login)), context);

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getBody()).isNull();
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store").doesNotContainKey("Content-Type");
        assertThat(response.getCookies()).containsExactly(CLEAR_SESSION, CLEAR_CSRF);
        assertThat(world.sessions.find(login.session().id(), world.clock.instant())).isEmpty();
        assertThat(world.sessions.find(other.session().id(), world.clock.instant())).isPresent();
        assertThat(context.lines()).containsExactly("INFO logout outcome=success user=alice sid=" + login.session().id());
    }

    @Test
    void logoutWithABearerTokenEndsItsSessionToo() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        APIGatewayV2HTTPResponse response = handler.handleRequest(event("logout.json", bearerPrincipal(alice, login)), context);

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getCookies()).containsExactly(CLEAR_SESSION, CLEAR_CSRF);
        assertThat(world.sessions.find(login.session().id(), world.clock.instant())).isEmpty();
    }

    @Test
    void logoutOfAnEndedSessionStillAnswers204() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        world.sessions.revoke(login.session().id(), alice.userId());

        APIGatewayV2HTTPResponse response = handler.handleRequest(event("logout.json", cookiePrincipal(alice, login)), context);

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getCookies()).containsExactly(CLEAR_SESSION, CLEAR_CSRF);
    }

    @Test
    void logoutAllEndsEverySessionOfTheUserAndNoOneElses() {
        LoginService.LoggedIn first = world.login("alice", PASSWORD);
        world.login("alice", PASSWORD);
        world.login("alice", PASSWORD);
        LoginService.LoggedIn bobs = world.login("bob", PASSWORD);

        APIGatewayV2HTTPResponse response = handler.handleRequest(event("logout-all.json", cookiePrincipal(alice, first)), context);

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getBody()).isNull();
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store");
        assertThat(response.getCookies()).containsExactly(CLEAR_SESSION, CLEAR_CSRF);
        assertThat(world.sessions.listLive(alice.userId(), world.clock.instant())).isEmpty();
        assertThat(world.sessions.find(bobs.session().id(), world.clock.instant())).isPresent();
        assertThat(context.lines()).containsExactly("INFO logout-all outcome=success user=alice sessions=3");
    }

    /** With AUTHFN_STATELESS_BEARER=true the authorizer lets such a token through until it expires. */
    @ParameterizedTest
    @ValueSource(strings = {"sessions-list.json", "sessions-revoke.json", "logout-all.json"})
    void aBearerTokenOfALoggedOutSessionIsRefusedOnEveryRouteThatActsOnSessions(String file) {
        LoginService.LoggedIn loggedOut = world.login("alice", PASSWORD);
        LoginService.LoggedIn sibling = world.login("alice", PASSWORD);
        world.sessions.revoke(loggedOut.session().id(), alice.userId());
        APIGatewayV2HTTPEvent event = event(file, bearerPrincipal(alice, loggedOut));
        if (file.equals("sessions-revoke.json")) {
            event.setPathParameters(Map.of("id", sibling.session().id()));
        }

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getBody()).isEqualTo("{\"type\":\"urn:authfn:problem:not-authenticated\","
                + "\"title\":\"Not authenticated\",\"status\":401,\"detail\":\"The session has ended; log in again.\"}");
        assertThat(response.getCookies()).isNull();
        assertThat(world.sessions.find(sibling.session().id(), world.clock.instant())).isPresent();
        assertThat(context.lines()).singleElement().asString()
                .startsWith("WARN ").contains("outcome=refused reason=SESSION_ENDED user=alice");
    }

    @Test
    void listShowsTheUsersLiveSessionsAndMarksTheCurrentOne() {
        LoginService.LoggedIn first = world.login("alice", PASSWORD);
        world.clock.advance(Duration.ofMinutes(1));
        LoginService.LoggedIn second = world.login("alice", PASSWORD);
        world.login("bob", PASSWORD);
        world.clock.advance(Duration.ofMinutes(1));

        APIGatewayV2HTTPResponse response = handler.handleRequest(event("sessions-list.json", cookiePrincipal(alice, second)), context);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders())
                .containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "no-store");
        assertThat(response.getCookies()).isNull();
        assertThat(Json.parseObject(response.getBody()).orElseThrow()).isEqualTo(Map.of("sessions", List.of(
                listed(first.session(), false),
                listed(second.session(), true))));
    }

    /** Each listed session says how and when its user authenticated, in the methods' order. */
    @Test
    void listShowsHowAndWhenEachSessionsUserAuthenticated() {
        LoginService.LoggedIn current = world.login("alice", PASSWORD);
        Instant now = world.clock.instant();
        Session multiFactor = new Session("MFAMFAMFAMFAMFAMFAMFAA", "aGFzaA", alice.userId(), "alice", Set.of("user"),
                Set.of(), now.plusMillis(1), now.plusMillis(1), now.plus(Duration.ofMinutes(30)),
                now.plus(Duration.ofHours(8)), "JUnit", "203.0.113.10", List.of("pwd", "otp", "mfa"),
                now.minusSeconds(20));
        world.sessions.create(multiFactor);

        APIGatewayV2HTTPResponse response = handler.handleRequest(event("sessions-list.json", cookiePrincipal(alice, current)), context);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = (List<Map<String, Object>>) Json.parseObject(response.getBody()).orElseThrow()
                .get("sessions");
        assertThat(listed).extracting(session -> session.get("amr"))
                .containsExactly(List.of("pwd"), List.of("pwd", "otp", "mfa"));
        assertThat(listed).extracting(session -> session.get("auth_time"))
                .containsExactly(now.toString(), now.minusSeconds(20).toString());
    }

    @Test
    void listLeavesOutEndedSessions() {
        LoginService.LoggedIn ended = world.login("alice", PASSWORD);
        world.clock.advance(Duration.ofMinutes(31));
        LoginService.LoggedIn current = world.login("alice", PASSWORD);

        APIGatewayV2HTTPResponse response = handler.handleRequest(event("sessions-list.json", cookiePrincipal(alice, current)), context);

        assertThat(Json.parseObject(response.getBody()).orElseThrow())
                .isEqualTo(Map.of("sessions", List.of(listed(current.session(), true))));
        assertThat(response.getBody()).doesNotContain(ended.session().id());
    }

    @Test
    void revokeEndsAnotherOfTheUsersOwnSessions() {
        LoginService.LoggedIn current = world.login("alice", PASSWORD);
        LoginService.LoggedIn other = world.login("alice", PASSWORD);

        APIGatewayV2HTTPResponse response = handler.handleRequest(
                revoke(cookiePrincipal(alice, current), other.session().id()), context);

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getBody()).isNull();
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store");
        assertThat(response.getCookies()).isNull();
        assertThat(world.sessions.find(other.session().id(), world.clock.instant())).isEmpty();
        assertThat(world.sessions.find(current.session().id(), world.clock.instant())).isPresent();
        assertThat(context.lines()).containsExactly("INFO revoke outcome=success user=alice sid=" + other.session().id());
    }

    @Test
    void revokeOfSomeoneElsesSessionIsNotFoundAndLeavesItAlone() {
        LoginService.LoggedIn current = world.login("alice", PASSWORD);
        LoginService.LoggedIn bobs = world.login("bob", PASSWORD);

        APIGatewayV2HTTPResponse response = handler.handleRequest(
                revoke(cookiePrincipal(alice, current), bobs.session().id()), context);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeaders())
                .containsEntry("Content-Type", "application/problem+json")
                .containsEntry("Cache-Control", "no-store");
        assertThat(response.getBody()).isEqualTo("{\"type\":\"urn:authfn:problem:not-found\",\"title\":\"Not found\","
                + "\"status\":404,\"detail\":\"No such session.\"}");
        assertThat(world.sessions.find(bobs.session().id(), world.clock.instant())).isPresent();
        assertThat(context.lines()).containsExactly("WARN revoke outcome=not_found user=alice");
    }

    @Test
    void revokeOfAMalformedOrUnknownIdLooksTheSameAsSomeoneElses() {
        LoginService.LoggedIn current = world.login("alice", PASSWORD);
        LoginService.LoggedIn bobs = world.login("bob", PASSWORD);
        String foreign = handler.handleRequest(revoke(cookiePrincipal(alice, current), bobs.session().id()), context).getBody();

        for (String id : new String[] {"not-a-session-id", "GGGGGGGGGGGGGGGGGGGGGG", "", "../../admin",
            current.session().id() + "x"}) {
            APIGatewayV2HTTPResponse response = handler.handleRequest(revoke(cookiePrincipal(alice, current), id), context);

            assertThat(response.getStatusCode()).as(id).isEqualTo(404);
            assertThat(response.getBody()).as(id).isEqualTo(foreign);
        }
        APIGatewayV2HTTPEvent noId = event("sessions-revoke.json", cookiePrincipal(alice, current));
        noId.setPathParameters(null);
        assertThat(handler.handleRequest(noId, context).getStatusCode()).isEqualTo(404);
        assertThat(world.sessions.find(current.session().id(), world.clock.instant())).isPresent();
    }

    @Test
    void everyRouteRefusesARequestWithoutAuthorizerContext() {
        for (String file : new String[] {"refresh.json", "logout.json", "logout-all.json", "sessions-list.json",
            "sessions-revoke.json"}) {
            APIGatewayV2HTTPEvent event = Events.http(file);
            event.getRequestContext().setAuthorizer(null);

            APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);

            assertThat(response.getStatusCode()).as(file).isEqualTo(401);
            assertThat(response.getHeaders()).as(file)
                    .containsEntry("Content-Type", "application/problem+json")
                    .containsEntry("Cache-Control", "no-store");
            assertThat(response.getBody()).as(file).isEqualTo(NOT_AUTHENTICATED);
            assertThat(response.getCookies()).as(file).isNull();
        }
        assertThat(context.lines()).hasSize(5).allMatch(line -> line.startsWith("WARN session outcome=refused reason=NO_AUTHORIZER_CONTEXT"));
    }

    @Test
    void anIncompleteAuthorizerContextIsNoContext() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        APIGatewayV2HTTPEvent event = event("sessions-list.json", cookiePrincipal(alice, login));
        event.getRequestContext().getAuthorizer().getLambda().remove(AuthorizerContext.SID);

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getBody()).isEqualTo(NOT_AUTHENTICATED);
    }

    @Test
    void checksTheRoutePolicyAgain() {
        SessionHandler guarded = new SessionHandler(world.components(
                Map.of("AUTHFN_ROUTE_POLICY", "{\"GET /auth/sessions\":{\"roles\":[\"auditor\"]}}")));
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        APIGatewayV2HTTPResponse response = guarded.handleRequest(event("sessions-list.json", cookiePrincipal(alice, login)), context);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store");
        assertThat(response.getBody()).isEqualTo("{\"type\":\"urn:authfn:problem:forbidden\",\"title\":\"Forbidden\","
                + "\"status\":403,\"detail\":\"You may not use this route.\"}");
        assertThat(context.lines()).containsExactly(
                "WARN session outcome=forbidden reason=MISSING_ROLE route=GET_/auth/sessions user=alice");
    }

    @Test
    void anUnknownRouteIsNotFound() {
        LoginService.LoggedIn login = world.login("alice", PASSWORD);
        APIGatewayV2HTTPEvent event = event("sessions-list.json", cookiePrincipal(alice, login));
        event.setRouteKey("GET /auth/whoami");

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getBody()).contains("\"type\":\"urn:authfn:problem:not-found\"");
    }

    @Test
    void aStoreOutageAnswers503() {
        SessionHandler outage = new SessionHandler(
                world.components(new InMemoryStores(new UnavailableSessionStore(), world.users)));
        LoginService.LoggedIn login = world.login("alice", PASSWORD);

        APIGatewayV2HTTPResponse response = outage.handleRequest(event("sessions-list.json", cookiePrincipal(alice, login)), context);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store");
        assertThat(response.getBody()).isEqualTo("{\"type\":\"urn:authfn:problem:store-unavailable\","
                + "\"title\":\"Service unavailable\",\"status\":503,\"detail\":\"Sessions are unavailable; try again shortly.\"}");
        assertThat(context.lines()).containsExactly(
                "ERROR session outcome=error reason=STORE_UNAVAILABLE route=GET_/auth/sessions");
    }

    /** The events/ file with the authorizer context of a real session in place of its placeholder. */
    private static APIGatewayV2HTTPEvent event(String file, Principal principal) {
        APIGatewayV2HTTPEvent event = Events.http(file);
        event.getRequestContext().getAuthorizer().setLambda(new LinkedHashMap<>(AuthorizerContext.of(principal)));
        return event;
    }

    private static APIGatewayV2HTTPEvent revoke(Principal principal, String sessionId) {
        APIGatewayV2HTTPEvent event = event("sessions-revoke.json", principal);
        event.setRawPath("/auth/sessions/" + sessionId);
        event.getRequestContext().getHttp().setPath("/auth/sessions/" + sessionId);
        event.setPathParameters(new LinkedHashMap<>(Map.of("id", sessionId)));
        return event;
    }

    private static Principal cookiePrincipal(User user, LoginService.LoggedIn login) {
        return new Principal(user.userId(), user.username(), user.roles(), user.permissions(), login.session().id(),
                AuthType.COOKIE);
    }

    private static Principal bearerPrincipal(User user, LoginService.LoggedIn login) {
        return new Principal(user.userId(), user.username(), user.roles(), user.permissions(), login.session().id(),
                AuthType.BEARER);
    }

    /** A session as GET /auth/sessions lists it (never touched since login in these tests). */
    private static Map<String, Object> listed(Session session, boolean current) {
        Instant created = session.createdAt();
        return Map.of(
                "id", session.id(),
                "created_at", created.toString(),
                "amr", List.of("pwd"),
                "auth_time", created.toString(),
                "last_seen_at", created.toString(),
                "expires_at", created.plus(Duration.ofMinutes(30)).toString(),
                "user_agent", "JUnit",
                "source_ip", "203.0.113.10",
                "current", current);
    }
}
