package dev.authfn.core.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.authz.RoutePolicy.Decision;
import dev.authfn.core.authz.RoutePolicy.Invalid;
import dev.authfn.core.authz.RoutePolicy.ParseResult;
import dev.authfn.core.authz.RoutePolicy.Parsed;
import dev.authfn.core.authz.RoutePolicy.Rule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutePolicyTest {

    private static Principal principal(Set<String> roles, Set<String> permissions) {
        return new Principal("u-1", "alice", roles, permissions, "s-1", AuthType.BEARER);
    }

    private static RoutePolicy parsed(String json) {
        ParseResult result = RoutePolicy.parse(json);
        assertThat(result).isInstanceOf(Parsed.class);
        return ((Parsed) result).policy();
    }

    @Test
    void parsesTheDocumentedShapeIntoTheDefaultPolicy() {
        // given
        String json = """
                {"GET /admin":{"roles":["admin"]},"POST /posts":{"permissions":["posts:create"]}}""";

        // when
        RoutePolicy policy = parsed(json);

        // then
        assertThat(policy).isEqualTo(RoutePolicy.DEFAULT);
    }

    @Test
    void defaultPolicyLetsOnlyAdminsIntoTheAdminRoute() {
        assertThat(RoutePolicy.DEFAULT.evaluate("GET /admin", principal(Set.of("user"), Set.of())))
                .isEqualTo(Decision.MISSING_ROLE);
        assertThat(RoutePolicy.DEFAULT.evaluate("GET /admin", principal(Set.of("admin"), Set.of())))
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void defaultPolicyNeedsPostsCreateToPost() {
        assertThat(RoutePolicy.DEFAULT.evaluate("POST /posts", principal(Set.of("admin"), Set.of("posts:read"))))
                .isEqualTo(Decision.MISSING_PERMISSION);
        assertThat(RoutePolicy.DEFAULT.evaluate("POST /posts", principal(Set.of(), Set.of("posts:create"))))
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void unlistedRouteNeedsAuthenticationOnly() {
        // given
        Principal nobody = principal(Set.of(), Set.of());

        // when / then
        assertThat(RoutePolicy.DEFAULT.evaluate("GET /protected", nobody)).isEqualTo(Decision.ALLOWED);
        assertThat(RoutePolicy.DEFAULT.evaluate("POST /admin", nobody)).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void anyOneOfTheRolesIsEnough() {
        // given
        RoutePolicy policy = parsed("{\"GET /reports\":{\"roles\":[\"admin\",\"auditor\"]}}");

        // when / then
        assertThat(policy.evaluate("GET /reports", principal(Set.of("auditor"), Set.of())))
                .isEqualTo(Decision.ALLOWED);
        assertThat(policy.evaluate("GET /reports", principal(Set.of("user"), Set.of())))
                .isEqualTo(Decision.MISSING_ROLE);
    }

    @Test
    void everyPermissionIsNeeded() {
        // given
        RoutePolicy policy = parsed("{\"PUT /posts/{id}\":{\"permissions\":[\"posts:read\",\"posts:edit\"]}}");

        // when / then
        assertThat(policy.evaluate("PUT /posts/{id}", principal(Set.of(), Set.of("posts:edit"))))
                .isEqualTo(Decision.MISSING_PERMISSION);
        assertThat(policy.evaluate("PUT /posts/{id}", principal(Set.of(), Set.of("posts:read", "posts:edit"))))
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void roleIsCheckedBeforePermissionWhenARuleHasBoth() {
        // given
        RoutePolicy policy = parsed("{\"DELETE /posts/{id}\":{\"roles\":[\"editor\"],\"permissions\":[\"posts:delete\"]}}");

        // when / then
        assertThat(policy.evaluate("DELETE /posts/{id}", principal(Set.of(), Set.of())))
                .isEqualTo(Decision.MISSING_ROLE);
        assertThat(policy.evaluate("DELETE /posts/{id}", principal(Set.of("editor"), Set.of())))
                .isEqualTo(Decision.MISSING_PERMISSION);
        assertThat(policy.evaluate("DELETE /posts/{id}", principal(Set.of("editor"), Set.of("posts:delete"))))
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void anEmptyRuleMeansAuthenticationOnly() {
        // when
        RoutePolicy policy = parsed("{\"GET /me\":{}, \"$default\":{}}");

        // then
        assertThat(policy.rules()).containsEntry("GET /me", new Rule(Set.of(), Set.of()));
        assertThat(policy.evaluate("GET /me", principal(Set.of(), Set.of()))).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void onlyAllowedIsAllowed() {
        assertThat(Decision.ALLOWED.isAllowed()).isTrue();
        assertThat(Decision.MISSING_ROLE.isAllowed()).isFalse();
        assertThat(Decision.MISSING_PERMISSION.isAllowed()).isFalse();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "null", "[]", "\"GET /admin\"", "{\"GET /a\":{}", "{\"GET /a\":{},\"GET /a\":{}}",
        "[[\"GET /admin\",{}]]"})
    void refusesSomethingThatIsNotOneJsonObject(String json) {
        assertThat(RoutePolicy.parse(json)).isEqualTo(
                new Invalid(List.of("not a JSON object (duplicate keys count as invalid)")));
    }

    @Test
    void listsEveryProblemAtOnce() {
        // given
        String json = """
                {
                  "GET /admin": {"role": ["admin"]},
                  "GET\\n/x": {},
                  "POST /posts": {"permissions": []},
                  "PUT /posts": {"roles": ["editor", "has space", 7]},
                  "DELETE /posts": ["admin"],
                  "GET /ok": {"roles": ["admin"], "permissions": "posts:read"}
                }""";

        // when
        ParseResult result = RoutePolicy.parse(json);

        // then
        assertThat(result).isInstanceOf(Invalid.class);
        assertThat(((Invalid) result).problems()).containsExactly(
                "route \"GET /admin\": unknown member \"role\" (only \"roles\" and \"permissions\")",
                "route key #2 is not a method, one space and a path, e.g. \"GET /admin\"",
                "route \"POST /posts\": permissions must be a non-empty array of names",
                "route \"PUT /posts\": roles holds a value that is not a name"
                        + " (1..128 printable ASCII characters, no space or comma)",
                "route \"PUT /posts\": roles holds a value that is not a name"
                        + " (1..128 printable ASCII characters, no space or comma)",
                "route \"DELETE /posts\": must be an object with \"roles\" and/or \"permissions\"",
                "route \"GET /ok\": permissions must be a non-empty array of names");
    }

    @ParameterizedTest
    @ValueSource(strings = {"get /admin", "GET  /admin", "GET admin", "FETCH /admin", "GET /ad min", "/admin"})
    void refusesMalformedRouteKeys(String routeKey) {
        // given
        String json = "{\"" + routeKey + "\":{\"roles\":[\"admin\"]}}";

        // when / then
        assertThat(RoutePolicy.parse(json)).isInstanceOf(Invalid.class);
    }

    @Test
    void routeKeysMatchExactly() {
        // given
        Principal nobody = principal(Set.of(), Set.of());

        // when / then: other spellings are different routes to API Gateway
        assertThat(RoutePolicy.DEFAULT.evaluate("GET /admin/", nobody)).isEqualTo(Decision.ALLOWED);
        assertThat(RoutePolicy.DEFAULT.evaluate("GET /admin", nobody)).isEqualTo(Decision.MISSING_ROLE);
    }

    @Test
    void policyIsImmutable() {
        // given
        HashMap<String, Rule> rules = new HashMap<>(Map.of("GET /a", new Rule(Set.of("x"), Set.of())));

        // when
        RoutePolicy policy = new RoutePolicy(rules);
        rules.clear();

        // then
        assertThat(policy.rules()).containsOnlyKeys("GET /a");
    }
}
