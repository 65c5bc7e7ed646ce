package dev.authfn.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.google.gson.Gson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequireTest {

    private static final String FORBIDDEN = "{\"type\":\"urn:authfn:problem:forbidden\",\"title\":\"Forbidden\","
            + "\"status\":403,\"detail\":\"You may not use this route.\"}";
    private static final Map<String, String> PROBLEM_HEADERS = Map.of("Content-Type", "application/problem+json",
            "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff");
    private static final String STEP_UP_BODY = "{\"type\":\"urn:authfn:problem:step-up-required\","
            + "\"title\":\"Step-up authentication required\",\"status\":401,\"detail\":\"This route needs a stronger "
            + "or more recent login; the WWW-Authenticate header says which.\"}";
    private static final String MFA_CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"A multi-factor login is required\", acr_values=\"urn:authfn:acr:mfa\"";
    private static final String AUTHORIZER_CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"A recent multi-factor login is required\", acr_values=\"urn:authfn:acr:mfa\", "
            + "max_age=900";
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private static Map<String, String> withChallenge(String challenge) {
        Map<String, String> headers = new LinkedHashMap<>(PROBLEM_HEADERS);
        headers.put("WWW-Authenticate", challenge);
        return headers;
    }

    private static Principal loggedIn(List<String> amr, Optional<Instant> authTime) {
        return new Principal("u", "alice", Set.of("user"), Set.of(), "S", Principal.AuthType.COOKIE, amr, authTime);
    }

    @Test
    void grantsAPermissionTheCallerHas() {
        Access access = Require.permission("orders:write").check(PrincipalTest.http("http-cookie.json"));

        assertThat(access).isInstanceOf(Access.Granted.class);
        assertThat(((Access.Granted) access).principal().username()).isEqualTo("alice");
    }

    @Test
    void refusesAMissingPermissionWith403ProblemJsonAndNoStore() {
        Access access = Require.permission("orders:write").check(PrincipalTest.http("http-bearer.json"));

        APIGatewayV2HTTPResponse response = ((Access.Denied) access).toHttpApiResponse();
        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo(FORBIDDEN);
        assertThat(response.getIsBase64Encoded()).isFalse();
        assertThat(response.getCookies()).isNull();
    }

    @Test
    void refusesAnEventWithoutTheAuthorizerWith401() {
        Access.Denied denied = (Access.Denied) Require.authenticated().check(PrincipalTest.http("http-no-authorizer.json"));

        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.body()).isEqualTo("{\"type\":\"urn:authfn:problem:not-authenticated\",\"title\":"
                + "\"Not authenticated\",\"status\":401,\"detail\":\"This route needs an authenticated session.\"}");
        assertThat(denied.headers()).isEqualTo(PROBLEM_HEADERS);
    }

    @Test
    void orGrantsWhenEitherHoldsAndAndOnlyWhenBothHold() {
        Principal bob = PrincipalTest.principalWithAmr(List.of()); // role user, no permission
        Require adminOrUser = Require.role("admin").or(Require.role("user"));
        Require userAndWriter = Require.role("user").and(Require.permission("orders:write"));

        assertThat(adminOrUser.isMetBy(bob)).isTrue();
        assertThat(Require.role("admin").isMetBy(bob)).isFalse();
        assertThat(userAndWriter.isMetBy(bob)).isFalse();
        assertThat(Require.role("user").and(Require.authenticated()).isMetBy(bob)).isTrue();
        assertThat(adminOrUser).hasToString("(role admin or role user)");
        assertThat(userAndWriter).hasToString("(role user and permission orders:write)");
    }

    @Test
    void mfaRefusesASingleFactorSessionWithTheStepUpChallenge() {
        Access.Denied denied = (Access.Denied) Require.mfa().check(PrincipalTest.http("http-cookie.json"));

        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.type()).isEqualTo("urn:authfn:problem:step-up-required");
        assertThat(denied.body()).isEqualTo(STEP_UP_BODY);
        assertThat(denied.headers()).isEqualTo(withChallenge(MFA_CHALLENGE));
        assertThat(denied.toHttpApiResponse().getHeaders()).containsEntry("WWW-Authenticate", MFA_CHALLENGE);
        assertThat(denied.toRestResponse().getHeaders()).containsEntry("WWW-Authenticate", MFA_CHALLENGE);
    }

    @Test
    void mfaGrantsASessionWithTwoFactors() {
        assertThat(Require.role("admin").and(Require.mfa()).check(PrincipalTest.http("http-mfa.json")))
                .isInstanceOf(Access.Granted.class);
    }

    @Test
    void aMissingRoleBesideAMissingSecondFactorIsPlainForbidden() {
        Access.Denied denied = (Access.Denied) Require.role("admin").and(Require.mfa())
                .check(PrincipalTest.http("http-cookie.json"));

        assertThat(denied.type()).isEqualTo("urn:authfn:problem:forbidden");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.headers()).isEqualTo(PROBLEM_HEADERS);
    }

    @Test
    void checksRestEventsAndAnswersARestResponse() {
        Access granted = Require.role("admin").check(PrincipalTest.rest("rest-cookie.json"));
        Access.Denied denied = (Access.Denied) Require.role("auditor").check(PrincipalTest.rest("rest-cookie.json"));

        assertThat(granted).isInstanceOf(Access.Granted.class);
        APIGatewayProxyResponseEvent response = denied.toRestResponse();
        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).isEqualTo(PROBLEM_HEADERS);
        assertThat(response.getBody()).isEqualTo(FORBIDDEN);
    }

    @Test
    void theStreamResponseJsonIsAProxyResponse() {
        Access.Denied denied = (Access.Denied) Require.role("admin").check(Map.of("sub", "u", "username", "bob",
                "sid", "S", "auth_type", "bearer"));

        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = new Gson().fromJson(denied.toResponseJson(), Map.class);
        assertThat(parsed).isEqualTo(Map.of("statusCode", 403.0, "headers", PROBLEM_HEADERS, "body", FORBIDDEN,
                "isBase64Encoded", false));
    }

    @Test
    void namesMustBeNonEmptyWithoutWhitespace() {
        assertThatThrownBy(() -> Require.role("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Require.permission("orders: write")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Require.permission(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anEmptyOptionalIsNotAuthenticated() {
        assertThat(((Access.Denied) Require.authenticated().check(Optional.empty())).status()).isEqualTo(401);
        assertThat(Require.authenticated().check(Optional.of(new Principal("u", "n", Set.of(), Set.of(), "s",
                Principal.AuthType.BEARER, List.of(), Optional.empty())))).isInstanceOf(Access.Granted.class);
    }

    /** The authorizer's answer for a login too weak for the route policy: a context of the challenge alone. */
    @Test
    void answersTheAuthorizersStepUpChallengeWhateverTheRequirement() {
        for (Require require : List.of(Require.authenticated(), Require.role("admin"), Require.mfa())) {
            Access.Denied denied = (Access.Denied) require.check(PrincipalTest.http("http-step-up.json"));

            assertThat(denied.status()).isEqualTo(401);
            assertThat(denied.body()).isEqualTo(STEP_UP_BODY);
            assertThat(denied.headers()).isEqualTo(withChallenge(AUTHORIZER_CHALLENGE));
        }
        assertThat(Principal.from(PrincipalTest.http("http-step-up.json"))).isEmpty();
        assertThat(((Access.Denied) Require.authenticated().check(Map.of("step_up", AUTHORIZER_CHALLENGE)))
                .wwwAuthenticate()).contains(AUTHORIZER_CHALLENGE);
        APIGatewayProxyRequestEvent rest = PrincipalTest.rest("rest-cookie.json");
        rest.getRequestContext().setAuthorizer(Map.of("step_up", AUTHORIZER_CHALLENGE));
        assertThat(((Access.Denied) Require.authenticated().check(rest)).toRestResponse().getHeaders())
                .containsEntry("WWW-Authenticate", AUTHORIZER_CHALLENGE);
    }

    @Test
    void aStepUpValueThatIsNoChallengeIsNotAuthenticated() {
        Access.Denied denied = (Access.Denied) Require.authenticated().check(Map.of("step_up", "x\r\nSet-Cookie: a=b"));

        assertThat(denied.type()).isEqualTo("urn:authfn:problem:not-authenticated");
        assertThat(denied.headers()).isEqualTo(PROBLEM_HEADERS);
    }

    @Test
    void recentLoginAllowsExactlyItsAgeAndRefusesOneSecondMoreWithMaxAge() {
        Require fresh = Require.recentLogin(Duration.ofMinutes(5)).withClock(Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(fresh.check(Optional.of(loggedIn(List.of("pwd"), Optional.of(NOW.minusSeconds(300))))))
                .isInstanceOf(Access.Granted.class);
        Access.Denied denied = (Access.Denied) fresh.check(Optional.of(loggedIn(List.of("pwd"),
                Optional.of(NOW.minusSeconds(301)))));
        assertThat(denied.status()).isEqualTo(401);
        assertThat(denied.headers()).containsEntry("WWW-Authenticate", "Bearer error=\"insufficient_user_authentication\", "
                + "error_description=\"A more recent login is required\", max_age=300");
        assertThat(((Access.Denied) fresh.check(Optional.of(loggedIn(List.of("pwd"), Optional.empty())))).status())
                .as("an unknown login time is never recent").isEqualTo(401);
    }

    @Test
    void recentLoginTakesWholeSecondsUpToADay() {
        for (Duration bad : List.of(Duration.ZERO, Duration.ofDays(1).plusSeconds(1), Duration.ofMillis(500))) {
            assertThatThrownBy(() -> Require.recentLogin(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aCombinedStepUpAsksForEverythingItsPartsDemand() {
        Require both = Require.mfa().and(Require.recentLogin(Duration.ofMinutes(15)))
                .or(Require.recentLogin(Duration.ofMinutes(5)).and(Require.mfa())).withClock(Clock.fixed(NOW, ZoneOffset.UTC));

        Access.Denied denied = (Access.Denied) both.check(Optional.of(loggedIn(List.of("pwd"), Optional.of(NOW))));

        assertThat(denied.wwwAuthenticate()).contains("Bearer error=\"insufficient_user_authentication\", "
                + "error_description=\"A recent multi-factor login is required\", acr_values=\"urn:authfn:acr:mfa\", "
                + "max_age=300");
        assertThat(both.check(Optional.of(loggedIn(List.of("pwd", "otp", "mfa"), Optional.of(NOW.minusSeconds(600))))))
                .isInstanceOf(Access.Granted.class);
    }
}
