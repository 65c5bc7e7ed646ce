package dev.authfn.core.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.authz.RoutePolicy.Decision;
import dev.authfn.core.authz.RoutePolicy.Invalid;
import dev.authfn.core.authz.RoutePolicy.ParseResult;
import dev.authfn.core.authz.RoutePolicy.Parsed;
import dev.authfn.core.authz.RoutePolicy.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutePolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

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
                {"GET /admin":{"roles":["admin"]},"POST /posts":{"permissions":["posts:create"]},
                 "GET /protected/step-up":{"mfa":true,"max_age":"PT15M"}}""";

        // when
        RoutePolicy policy = parsed(json);

        // then
        assertThat(policy).isEqualTo(RoutePolicy.DEFAULT);
    }

    @Test
    void defaultPolicyLetsOnlyAdminsIntoTheAdminRoute() {
        assertThat(RoutePolicy.DEFAULT.evaluate("GET /admin", principal(Set.of("user"), Set.of()), NOW))
                .isEqualTo(Decision.MISSING_ROLE);
        assertThat(RoutePolicy.DEFAULT.evaluate("GET /admin", principal(Set.of("admin"), Set.of()), NOW))
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void defaultPolicyNeedsPostsCreateToPost() {
        assertThat(RoutePolicy.DEFAULT.evaluate("POST /posts", principal(Set.of("admin"), Set.of("posts:read")), NOW))
                .isEqualTo(Decision.MISSING_PERMISSION);
        assertThat(RoutePolicy.DEFAULT.evaluate("POST /posts", principal(Set.of(), Set.of("posts:create")), NOW))
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void unlistedRouteNeedsAuthenticationOnly() {
        // given
        Principal nobody = principal(Set.of(), Set.of());

        // when / then
        assertThat(RoutePolicy.DEFAULT.evaluate("GET /protected", nobody, NOW)).isEqualTo(Decision.ALLOWED);
        assertThat(RoutePolicy.DEFAULT.evaluate("POST /admin", nobody, NOW)).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void anyOneOfTheRolesIsEnough() {
        // given
        RoutePolicy policy = parsed("{\"GET /reports\":{\"roles\":[\"admin\",\"auditor\"]}}");

        // when / then
        assertThat(policy.evaluate("GET /reports", principal(Set.of("auditor"), Set.of()), NOW))
                .isEqualTo(Decision.ALLOWED);
        assertThat(policy.evaluate("GET /reports", principal(Set.of("user"), Set.of()), NOW))
                .isEqualTo(Decision.MISSING_ROLE);
    }

    @Test
    void everyPermissionIsNeeded() {
        // given
        RoutePolicy policy = parsed("{\"PUT /posts/{id}\":{\"permissions\":[\"posts:read\",\"posts:edit\"]}}");

        // when / then
        assertThat(policy.evaluate("PUT /posts/{id}", principal(Set.of(), Set.of("posts:edit")), NOW))
                .isEqualTo(Decision.MISSING_PERMISSION);
        assertThat(policy.evaluate("PUT /posts/{id}", principal(Set.of(), Set.of("posts:read", "posts:edit")), NOW))
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void roleIsCheckedBeforePermissionWhenARuleHasBoth() {
        // given
        RoutePolicy policy = parsed("{\"DELETE /posts/{id}\":{\"roles\":[\"editor\"],\"permissions\":[\"posts:delete\"]}}");

        // when / then
        assertThat(policy.evaluate("DELETE /posts/{id}", principal(Set.of(), Set.of()), NOW))
                .isEqualTo(Decision.MISSING_ROLE);
        assertThat(policy.evaluate("DELETE /posts/{id}", principal(Set.of("editor"), Set.of()), NOW))
                .isEqualTo(Decision.MISSING_PERMISSION);
        assertThat(policy.evaluate("DELETE /posts/{id}", principal(Set.of("editor"), Set.of("posts:delete")), NOW))
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void anEmptyRuleMeansAuthenticationOnly() {
        // when
        RoutePolicy policy = parsed("{\"GET /me\":{}, \"$default\":{}}");

        // then
        assertThat(policy.rules()).containsEntry("GET /me", new Rule(Set.of(), Set.of()));
        assertThat(policy.evaluate("GET /me", principal(Set.of(), Set.of()), NOW)).isEqualTo(Decision.ALLOWED);
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
                "route \"GET /admin\": unknown member \"role\""
                        + " (only \"roles\", \"permissions\", \"mfa\", \"acr\" and \"max_age\")",
                "route key #2 is not a method, one space and a path, e.g. \"GET /admin\"",
                "route \"POST /posts\": permissions must be a non-empty array of names",
                "route \"PUT /posts\": roles holds a value that is not a name"
                        + " (1..128 printable ASCII characters, no space or comma)",
                "route \"PUT /posts\": roles holds a value that is not a name"
                        + " (1..128 printable ASCII characters, no space or comma)",
                "route \"DELETE /posts\": must be an object"
                        + " (with \"roles\", \"permissions\", \"mfa\", \"acr\" or \"max_age\")",
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
        assertThat(RoutePolicy.DEFAULT.evaluate("GET /admin/", nobody, NOW)).isEqualTo(Decision.ALLOWED);
        assertThat(RoutePolicy.DEFAULT.evaluate("GET /admin", nobody, NOW)).isEqualTo(Decision.MISSING_ROLE);
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

    // --- step-up (RFC 9470) ---

    private static Principal logIn(Set<String> roles, List<String> amr, Optional<Instant> authTime) {
        return new Principal("u-1", "alice", roles, Set.of(), "s-1", AuthType.COOKIE, amr, authTime);
    }

    private static final Principal PASSWORD_NOW = logIn(Set.of("admin"), Amr.PASSWORD, Optional.of(NOW));
    private static final Principal MFA_NOW = logIn(Set.of("admin"), Amr.PASSWORD_AND_OTP, Optional.of(NOW));

    @Test
    void parsesMfaAcrAndMaxAgeIntoTheRulesStepUp() {
        RoutePolicy policy = parsed("""
                {"GET /a":{"mfa":true,"max_age":"PT15M"},
                 "GET /b":{"roles":["admin"],"acr":["urn:authfn:acr:mfa","urn:authfn:acr:sfa"]},
                 "GET /c":{"max_age":"PT24H","mfa":false},
                 "GET /d":{"roles":["admin"]}}""");

        assertThat(policy.rules()).containsEntry("GET /a",
                new Rule(Set.of(), Set.of(), new StepUp(true, List.of(), Optional.of(Duration.ofMinutes(15)))));
        assertThat(policy.rule("GET /b").orElseThrow().stepUp().acrValues()).as("in order of preference")
                .containsExactly("urn:authfn:acr:mfa", "urn:authfn:acr:sfa");
        assertThat(policy.rule("GET /c").orElseThrow().stepUp()).isEqualTo(StepUp.recentLogin(Duration.ofDays(1)));
        assertThat(policy.rule("GET /d").orElseThrow().stepUp()).isEqualTo(StepUp.NONE);
        assertThat(policy.rule("GET /e")).isEmpty();
    }

    @Test
    void listsEveryStepUpProblemLikeTheOthers() {
        String json = """
                {
                  "GET /a": {"mfa": "yes"},
                  "GET /b": {"acr": []},
                  "GET /c": {"acr": ["urn:authfn:acr:gold", 3]},
                  "GET /d": {"max_age": "15 minutes"},
                  "GET /e": {"max_age": 900},
                  "GET /f": {"max_age": "PT0S"},
                  "GET /g": {"max_age": "PT24H1S"},
                  "GET /h": {"max_age": "PT0.5S"},
                  "GET /i": {"max_age": "-PT5M"},
                  "GET /j": {"mfa": true, "acr": ["urn:authfn:acr:sfa"]}
                }""";

        ParseResult result = RoutePolicy.parse(json);

        String known = " holds a value that is not a class authfn knows (urn:authfn:acr:sfa, urn:authfn:acr:mfa)";
        assertThat(((Invalid) result).problems()).containsExactly(
                "route \"GET /a\": mfa must be true or false",
                "route \"GET /b\": acr must be a non-empty array of authentication context classes",
                "route \"GET /c\": acr" + known,
                "route \"GET /c\": acr" + known,
                "route \"GET /d\": max_age must be an ISO-8601 duration such as \"PT5M\"",
                "route \"GET /e\": max_age must be an ISO-8601 duration such as \"PT5M\"",
                "route \"GET /f\": max_age must be whole seconds, from PT1S to PT24H",
                "route \"GET /g\": max_age must be whole seconds, from PT1S to PT24H",
                "route \"GET /h\": max_age must be whole seconds, from PT1S to PT24H",
                "route \"GET /i\": max_age must be whole seconds, from PT1S to PT24H",
                "route \"GET /j\": \"mfa\": true with \"acr\" values that exclude urn:authfn:acr:mfa can never be met");
    }

    @Test
    void mfaNeedsASecondFactor() {
        RoutePolicy policy = parsed("{\"GET /a\":{\"mfa\":true}}");

        assertThat(policy.evaluate("GET /a", PASSWORD_NOW, NOW)).isEqualTo(Decision.STEP_UP_REQUIRED);
        assertThat(policy.evaluate("GET /a", MFA_NOW, NOW)).isEqualTo(Decision.ALLOWED);
        assertThat(policy.evaluate("GET /a", logIn(Set.of(), Amr.PASSWORD_AND_OTP, Optional.empty()), NOW))
                .as("no max_age: the login's age does not matter").isEqualTo(Decision.ALLOWED);
    }

    @Test
    void acrNeedsOneOfItsClasses() {
        RoutePolicy policy = parsed("{\"GET /mfa\":{\"acr\":[\"urn:authfn:acr:mfa\"]},"
                + "\"GET /sfa\":{\"acr\":[\"urn:authfn:acr:sfa\"]}}");

        assertThat(policy.evaluate("GET /mfa", PASSWORD_NOW, NOW)).isEqualTo(Decision.STEP_UP_REQUIRED);
        assertThat(policy.evaluate("GET /mfa", MFA_NOW, NOW)).isEqualTo(Decision.ALLOWED);
        assertThat(policy.evaluate("GET /sfa", PASSWORD_NOW, NOW)).isEqualTo(Decision.ALLOWED);
        assertThat(policy.evaluate("GET /sfa", MFA_NOW, NOW)).as("one of them, literally")
                .isEqualTo(Decision.STEP_UP_REQUIRED);
    }

    @Test
    void maxAgeAllowsALoginExactlyThatOldAndRefusesOneSecondOlder() {
        RoutePolicy policy = parsed("{\"GET /a\":{\"max_age\":\"PT5M\"}}");
        Principal exactly = logIn(Set.of(), Amr.PASSWORD, Optional.of(NOW.minus(Duration.ofMinutes(5))));
        Principal secondOver = logIn(Set.of(), Amr.PASSWORD, Optional.of(NOW.minus(Duration.ofMinutes(5)).minusSeconds(1)));

        assertThat(policy.evaluate("GET /a", exactly, NOW)).isEqualTo(Decision.ALLOWED);
        assertThat(policy.evaluate("GET /a", secondOver, NOW)).isEqualTo(Decision.STEP_UP_REQUIRED);
        assertThat(policy.evaluate("GET /a", PASSWORD_NOW, NOW)).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void maxAgeRefusesALoginWhoseTimeIsUnknownHoweverRecentItMayBe() {
        RoutePolicy policy = parsed("{\"GET /a\":{\"max_age\":\"PT24H\"}}");

        assertThat(policy.evaluate("GET /a", logIn(Set.of(), Amr.PASSWORD_AND_OTP, Optional.empty()), NOW))
                .isEqualTo(Decision.STEP_UP_REQUIRED);
        assertThat(policy.evaluate("GET /a", logIn(Set.of(), Amr.PASSWORD, Optional.of(Instant.EPOCH)), NOW))
                .isEqualTo(Decision.STEP_UP_REQUIRED);
    }

    @Test
    void mfaAndMaxAgeTogetherNeedBoth() {
        RoutePolicy policy = parsed("{\"GET /a\":{\"mfa\":true,\"max_age\":\"PT15M\"}}");
        Principal oldMfa = logIn(Set.of(), Amr.PASSWORD_AND_OTP, Optional.of(NOW.minus(Duration.ofMinutes(16))));

        assertThat(policy.evaluate("GET /a", oldMfa, NOW)).isEqualTo(Decision.STEP_UP_REQUIRED);
        assertThat(policy.evaluate("GET /a", PASSWORD_NOW, NOW)).isEqualTo(Decision.STEP_UP_REQUIRED);
        assertThat(policy.evaluate("GET /a", MFA_NOW, NOW)).isEqualTo(Decision.ALLOWED);
    }

    /** A principal that may not use the route at all is told so (403), not invited to log in again (401). */
    @Test
    void rolesAndPermissionsAreCheckedBeforeStepUp() {
        RoutePolicy policy = parsed("{\"GET /a\":{\"roles\":[\"admin\"],\"mfa\":true},"
                + "\"GET /b\":{\"permissions\":[\"x:y\"],\"mfa\":true}}");
        Principal userWithPassword = logIn(Set.of("user"), Amr.PASSWORD, Optional.of(NOW));

        assertThat(policy.evaluate("GET /a", userWithPassword, NOW)).isEqualTo(Decision.MISSING_ROLE);
        assertThat(policy.evaluate("GET /b", userWithPassword, NOW)).isEqualTo(Decision.MISSING_PERMISSION);
        assertThat(policy.evaluate("GET /a", PASSWORD_NOW, NOW)).isEqualTo(Decision.STEP_UP_REQUIRED);
        assertThat(Decision.STEP_UP_REQUIRED.isAllowed()).isFalse();
    }

    @Test
    void theDefaultPolicyAsksTheStepUpRouteForARecentSecondFactorAndTheAdminRouteForTheRoleOnly() {
        Principal admin = logIn(Set.of("admin"), Amr.PASSWORD, Optional.of(NOW.minus(Duration.ofHours(7))));
        Principal freshMfa = logIn(Set.of(), Amr.PASSWORD_AND_OTP, Optional.of(NOW.minus(Duration.ofMinutes(15))));

        assertThat(RoutePolicy.DEFAULT.evaluate("GET /admin", admin, NOW)).isEqualTo(Decision.ALLOWED);
        assertThat(RoutePolicy.DEFAULT.evaluate("GET /protected/step-up", admin, NOW))
                .isEqualTo(Decision.STEP_UP_REQUIRED);
        assertThat(RoutePolicy.DEFAULT.evaluate("GET /protected/step-up", freshMfa, NOW)).isEqualTo(Decision.ALLOWED);
        assertThat(RoutePolicy.DEFAULT.evaluate("GET /protected/step-up", freshMfa, NOW.plusSeconds(1)))
                .isEqualTo(Decision.STEP_UP_REQUIRED);
    }

    @Test
    void aRuleAnswersItsStepUpsChallenge() {
        Rule rule = parsed("{\"GET /a\":{\"mfa\":true,\"max_age\":\"PT15M\"}}").rule("GET /a").orElseThrow();

        assertThat(rule.challenge().wwwAuthenticate()).isEqualTo("Bearer error=\"insufficient_user_authentication\", "
                + "error_description=\"A recent multi-factor login is required\", acr_values=\"urn:authfn:acr:mfa\", "
                + "max_age=900");
    }
}
