package dev.authfn.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalTest {

    static final String ALICE = "4a1f2c9e-2b7d-4e3a-9f0c-6d5e8b7a1c20";

    static APIGatewayV2HTTPEvent http(String file) {
        return EventLoader.loadApiGatewayHttpEvent("events/" + file);
    }

    static APIGatewayProxyRequestEvent rest(String file) {
        return EventLoader.loadApiGatewayRestEvent("events/" + file);
    }

    @Test
    void readsTheLambdaAuthorizerContextOfAnHttpApiEvent() {
        assertThat(Principal.from(http("http-cookie.json"))).contains(new Principal(ALICE, "alice", Set.of("user"),
                Set.of("orders:write"), "AAAAAAAAAAAAAAAAAAAAAA", Principal.AuthType.COOKIE, List.of(), Optional.empty()));
    }

    @Test
    void readsABearerContextWithNoPermissionsAsAnEmptySet() {
        Principal bob = Principal.from(http("http-bearer.json")).orElseThrow();

        assertThat(bob.authType()).isEqualTo(Principal.AuthType.BEARER);
        assertThat(bob.username()).isEqualTo("bob");
        assertThat(bob.permissions()).isEmpty();
        assertThat(bob.roles()).containsExactly("user");
    }

    @Test
    void readsAmrAndAuthTimeWhenTheContextHasThem() {
        Principal alice = Principal.from(http("http-mfa.json")).orElseThrow();

        assertThat(alice.amr()).containsExactly("pwd", "otp");
        assertThat(alice.authTime()).contains(Instant.ofEpochSecond(1795686000L));
        assertThat(alice.roles()).containsExactlyInAnyOrder("admin", "user");
        assertThat(alice.usedMultipleFactors()).isTrue();
    }

    @Test
    void readsTheRestApiAuthorizerContext() {
        assertThat(Principal.from(rest("rest-cookie.json"))).contains(new Principal(ALICE, "alice",
                Set.of("admin", "user"), Set.of("orders:write"), "AAAAAAAAAAAAAAAAAAAAAA", Principal.AuthType.COOKIE,
                List.of(), Optional.empty()));
    }

    @Test
    void readsTheClaimsOfApiGatewaysJwtAuthorizer() {
        assertThat(Principal.from(http("http-jwt-authorizer.json"))).contains(new Principal(ALICE, "alice",
                Set.of("admin", "user"), Set.of("orders:write", "posts:create"), "AAAAAAAAAAAAAAAAAAAAAA",
                Principal.AuthType.JWT_AUTHORIZER, List.of(), Optional.empty()));
    }

    @Test
    void isEmptyWithoutAnAuthorizer() {
        assertThat(Principal.from(http("http-no-authorizer.json"))).isEmpty();
        assertThat(Principal.from(new APIGatewayV2HTTPEvent())).isEmpty();
        assertThat(Principal.from(new APIGatewayProxyRequestEvent())).isEmpty();
        assertThat(Principal.from((APIGatewayV2HTTPEvent) null)).isEmpty();
    }

    @Test
    void isEmptyForAnIncompleteContextOrAnUnknownAuthType() {
        assertThat(Principal.from(http("http-incomplete-context.json"))).isEmpty();
        assertThat(Principal.from(http("http-unknown-auth-type.json"))).isEmpty();
    }

    @Test
    void readsAContextAStreamHandlerParsedWithNumbersForAuthTime() {
        Map<String, Object> context = new HashMap<>(Map.of("sub", ALICE, "username", "alice", "roles", "",
                "permissions", "orders:write", "sid", "AAAAAAAAAAAAAAAAAAAAAA", "auth_type", "bearer",
                "auth_time", 1795686000L));

        Principal alice = Principal.fromAuthorizerContext(context).orElseThrow();

        assertThat(alice.roles()).isEmpty();
        assertThat(alice.authTime()).contains(Instant.ofEpochSecond(1795686000L));
        assertThat(Principal.fromAuthorizerContext(null)).isEmpty();
        context.put("sid", 42);
        assertThat(Principal.fromAuthorizerContext(context)).isEmpty();
    }

    @Test
    void anUnparsableAuthTimeIsAbsentNotAnError() {
        Map<String, Object> context = Map.of("sub", ALICE, "username", "alice", "sid", "S", "auth_type", "cookie",
                "auth_time", "yesterday");

        assertThat(Principal.fromAuthorizerContext(context).orElseThrow().authTime()).isEmpty();
    }

    @Test
    void oneFactorIsNotMultipleFactorsButMfaOrTwoMethodsAre() {
        assertThat(principalWithAmr(List.of("pwd")).usedMultipleFactors()).isFalse();
        assertThat(principalWithAmr(List.of("pwd", "pwd")).usedMultipleFactors()).isFalse();
        assertThat(principalWithAmr(List.of()).usedMultipleFactors()).isFalse();
        assertThat(principalWithAmr(List.of("mfa")).usedMultipleFactors()).isTrue();
        assertThat(principalWithAmr(List.of("pwd", "hwk")).usedMultipleFactors()).isTrue();
    }

    static Principal principalWithAmr(List<String> amr) {
        return new Principal(ALICE, "alice", Set.of("user"), Set.of(), "S", Principal.AuthType.COOKIE, amr, Optional.empty());
    }
}
