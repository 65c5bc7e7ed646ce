package dev.authfn.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The examples of this library's Javadoc (package-info, {@link Principal}, {@link Require}) and of
 * docs/INTEGRATING.md, run as written there.
 */
class DocumentedExamplesTest {

    // package-info.java and docs/INTEGRATING.md, step 5
    private static final Require WRITE = Require.permission("orders:write");

    private static APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event) {
        return switch (WRITE.check(event)) {
            case Access.Granted granted -> created(granted.principal());
            case Access.Denied denied -> denied.toHttpApiResponse();
        };
    }

    private static APIGatewayV2HTTPResponse created(Principal principal) {
        APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
        response.setStatusCode(201);
        response.setHeaders(Map.of("Cache-Control", "no-store"));
        response.setBody(principal.username());
        return response;
    }

    @Test
    void thePackageExampleCreatesForAWriterAndRefusesOthers() {
        assertThat(handleRequest(PrincipalTest.http("http-cookie.json")).getStatusCode()).isEqualTo(201);
        assertThat(handleRequest(PrincipalTest.http("http-cookie.json")).getBody()).isEqualTo("alice");
        assertThat(handleRequest(PrincipalTest.http("http-bearer.json")).getStatusCode()).isEqualTo(403);
        assertThat(handleRequest(PrincipalTest.http("http-no-authorizer.json")).getStatusCode()).isEqualTo(401);
    }

    @Test
    void thePrincipalExample() {
        APIGatewayV2HTTPEvent event = PrincipalTest.http("http-mfa.json");
        // Principal's class Javadoc
        Optional<Principal> caller = Principal.from(event);
        String who = caller.map(Principal::username).orElse("nobody");
        boolean admin = caller.filter(p -> p.hasRole("admin")).isPresent();

        assertThat(who).isEqualTo("alice");
        assertThat(admin).isTrue();
        assertThat(Principal.from(PrincipalTest.http("http-no-authorizer.json")).map(Principal::username)
                .orElse("nobody")).isEqualTo("nobody");
    }

    @Test
    void theRequireExamples() {
        // Require's class Javadoc
        Require admins = Require.role("admin");
        Require writers = Require.role("admin").or(Require.permission("orders:write"));
        Require stepUp = Require.permission("payouts:send").and(Require.mfa());
        Require fresh = Require.recentLogin(Duration.ofMinutes(5));

        APIGatewayV2HTTPEvent bob = PrincipalTest.http("http-bearer.json");
        APIGatewayV2HTTPEvent alice = PrincipalTest.http("http-cookie.json");
        assertThat(admins.check(alice)).isInstanceOf(Access.Denied.class);
        assertThat(writers.check(alice)).isInstanceOf(Access.Granted.class);
        assertThat(writers.check(bob)).isInstanceOf(Access.Denied.class);
        assertThat(((Access.Denied) stepUp.check(alice)).type()).isEqualTo("urn:authfn:problem:forbidden");
        assertThat(((Access.Denied) fresh.check(alice)).type()).as("no auth_time in the context")
                .isEqualTo("urn:authfn:problem:step-up-required");
    }
}
