package dev.authfn.local.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.dynamodb.internal.UserItems;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;

/**
 * SECURITY.md "Attacks and bad inputs", Authorization, over real HTTP with the default route
 * policy ({@code GET /admin} needs role {@code admin}, {@code POST /posts} permission
 * {@code posts:create}).
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class AuthorizationAttacksIT {

    private static SecurityApi sut;
    private static Http http;

    @BeforeAll
    static void start(DynamoDbTestEndpoint dynamodb) throws Exception {
        sut = SecurityApi.start(AuthorizationAttacksIT.class, dynamodb);
        http = sut.http();
        sut.addUser("alice", Set.of("user"), Set.of("posts:create"));
        sut.addUser("bob", Set.of("user"), Set.of());
        sut.addUser("root", Set.of("admin"), Set.of());
    }

    @AfterAll
    static void stop() {
        if (sut != null) {
            sut.close();
        }
    }

    @Test
    void userOnTheAdminRouteIs403WithCookieOrBearer() {
        Login alice = sut.login("alice");
        Login root = sut.login("root");

        Expect.deniedByTheAuthorizer(alice.withCookie(http.get("/admin")).send());
        Expect.deniedByTheAuthorizer(alice.withBearer(http.get("/admin")).send());
        assertThat(sut.logLines()).anyMatch(line -> line.contains("\"reason\":\"FORBIDDEN/") && line.contains("\"route\":\"GET /admin\""));
        assertThat(root.withCookie(http.get("/admin")).send().status()).as("control").isEqualTo(200);
        assertThat(root.withBearer(http.get("/admin")).send().status()).as("control").isEqualTo(200);
    }

    @Test
    void missingPermissionIs403() {
        Login bob = sut.login("bob");
        Login alice = sut.login("alice");

        Expect.deniedByTheAuthorizer(bob.withBearer(http.post("/posts")).send());
        Expect.deniedByTheAuthorizer(bob.withCookieAndCsrf(http.post("/posts")).send());
        assertThat(alice.withBearer(http.post("/posts")).send().status()).as("control").isEqualTo(201);
    }

    @Test
    void anotherUsersSessionIdInDeleteIs404AndTheSessionLives() {
        Login victim = sut.login("alice");
        Login attacker = sut.login("bob");
        Login attackersOther = sut.login("bob");

        Http.Response cookie = attacker.withCookieAndCsrf(http.delete("/auth/sessions/" + victim.sessionId())).send();
        Http.Response bearer = attacker.withBearer(http.delete("/auth/sessions/" + victim.sessionId())).send();
        Http.Response unknown = attacker.withBearer(http.delete("/auth/sessions/AAAAAAAAAAAAAAAAAAAAAA")).send();
        Http.Response malformed = attacker.withBearer(http.delete("/auth/sessions/..%2F..%2Fx")).send();

        for (Http.Response response : List.of(cookie, bearer, unknown)) {
            Expect.problem(response, 404, "not-found");
        }
        assertThat(cookie.body()).isEqualTo(unknown.body());
        assertThat(malformed.status()).as("%s", malformed).isEqualTo(404);
        assertThat(sut.sessionItem(victim.sessionId())).isPresent();
        assertThat(victim.withCookie(http.get("/protected")).send().status()).isEqualTo(200);

        Http.Response own = attacker.withBearer(http.delete("/auth/sessions/" + attackersOther.sessionId())).send();
        assertThat(own.status()).as("control: ending one's own session").isEqualTo(204);
        assertThat(sut.sessionItem(attackersOther.sessionId())).isEmpty();
    }

    @Test
    void roleRemovedFromAUserReachesTheSessionAtTheLatestOnRefresh() {
        sut.addUser("demoted", Set.of("admin"), Set.of());
        Login login = sut.login("demoted");
        assertThat(login.withCookie(http.get("/admin")).send().status()).isEqualTo(200);

        sut.dynamodb().updateItem(UpdateItemRequest.builder().tableName(sut.api().usersTable())
                .key(UserItems.key("demoted")).updateExpression("SET #roles = :roles")
                .expressionAttributeNames(Map.of("#roles", UserItems.ROLES))
                .expressionAttributeValues(Map.of(":roles", AttributeValue.fromL(List.of(AttributeValue.fromS("user")))))
                .build());

        // Documented (docs/SECURITY.md): until the next refresh the session keeps the roles it was issued.
        assertThat(login.withCookie(http.get("/admin")).send().status()).isEqualTo(200);

        Http.Response refresh = login.withCookieAndCsrf(http.post("/auth/refresh")).send();
        assertThat(refresh.status()).as("%s", refresh).isEqualTo(200);
        String newAccessToken = (String) refresh.json().get("access_token");

        Expect.deniedByTheAuthorizer(login.withCookie(http.get("/admin")).send());
        Expect.deniedByTheAuthorizer(http.get("/admin").bearer(newAccessToken).send());
        assertThat(sut.sessionItem(login.sessionId()).orElseThrow().get("roles").l())
                .containsExactly(AttributeValue.fromS("user"));
        // Also documented: the access token issued before the change carries its roles until it expires (5 minutes).
        assertThat(login.withBearer(http.get("/admin")).send().status()).isEqualTo(200);
    }

    @Test
    void disablingAUserEndsTheirSessionsForCookieAndBearer() {
        sut.addUser("leaver", Set.of("user"), Set.of());
        Login one = sut.login("leaver");
        Login two = sut.login("leaver");

        assertThat(sut.admin().disable("leaver")).hasValue(2);

        for (Login login : List.of(one, two)) {
            Expect.deniedByTheAuthorizer(login.withCookie(http.get("/protected")).send());
            Expect.deniedByTheAuthorizer(login.withBearer(http.get("/protected")).send());
            assertThat(sut.sessionItem(login.sessionId())).isEmpty();
        }
        Expect.problem(http.post("/auth/login").json(Map.of("username", "leaver", "password", SecurityApi.PASSWORD)).send(),
                401, "invalid-credentials");
    }

    @Test
    void disablingAUserEndsTheSessionsOfLoginsTheSessionsIndexDoesNotShowYet() {
        sut.addUser("fresh-leaver", Set.of("user"), Set.of());
        Login one = sut.login("fresh-leaver");
        Login two = sut.login("fresh-leaver");

        // An index a minute behind shows neither session: only the registrations on the user find them.
        assertThat(sut.admin(Duration.ofMinutes(1)).disable("fresh-leaver")).hasValue(2);

        for (Login login : List.of(one, two)) {
            Expect.deniedByTheAuthorizer(login.withCookie(http.get("/protected")).send());
            Expect.deniedByTheAuthorizer(login.withBearer(http.get("/protected")).send());
            assertThat(sut.sessionItem(login.sessionId())).isEmpty();
        }
    }

    @Test
    void usersListOnlyTheirOwnSessionsAndLogoutAllEndsThemAll() {
        sut.addUser("lister", Set.of("user"), Set.of());
        Login one = sut.login("lister");
        Login two = sut.login("lister");
        sut.login("alice");

        Http.Response listed = one.withBearer(http.get("/auth/sessions")).send();
        assertThat(listed.status()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sessions = (List<Map<String, Object>>) listed.json().get("sessions");
        assertThat(sessions).extracting(s -> s.get("id")).containsExactlyInAnyOrder(one.sessionId(), two.sessionId());

        assertThat(two.withCookieAndCsrf(http.post("/auth/logout-all")).send().status()).isEqualTo(204);
        assertThat(sut.sessionItem(one.sessionId())).isEmpty();
        assertThat(sut.sessionItem(two.sessionId())).isEmpty();
        Expect.deniedByTheAuthorizer(one.withBearer(http.get("/protected")).send());
    }
}
