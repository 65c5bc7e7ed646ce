package dev.authfn.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.google.gson.Gson;
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
    void mfaRefusesASingleFactorSessionAsMfaRequired() {
        Access.Denied denied = (Access.Denied) Require.mfa().check(PrincipalTest.http("http-cookie.json"));

        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.type()).isEqualTo("urn:authfn:problem:mfa-required");
        assertThat(denied.body()).isEqualTo("{\"type\":\"urn:authfn:problem:mfa-required\",\"title\":"
                + "\"Second factor required\",\"status\":403,\"detail\":"
                + "\"This route needs a session established with a second factor.\"}");
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
}
