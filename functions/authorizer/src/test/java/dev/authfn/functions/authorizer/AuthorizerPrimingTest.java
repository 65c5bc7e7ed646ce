package dev.authfn.functions.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.keys.KeySet;
import dev.authfn.auth.Components;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizerPrimingTest {

    /** Nothing listens on the discard port: a session read that reached the network would fail. */
    private static final String NO_DYNAMODB = "http://127.0.0.1:9";

    private static Map<String, String> environment(boolean statelessBearer) {
        Map<String, String> environment = new HashMap<>();
        environment.put("AUTHFN_KEYS", KeySet.generate(Clock.systemUTC()).toJson());
        environment.put("AUTHFN_ISSUER", "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com");
        environment.put("AUTHFN_AUDIENCE", "authfn-api");
        environment.put("AUTHFN_SESSIONS_TABLE", "sessions");
        environment.put("AUTHFN_DYNAMODB_ENDPOINT", NO_DYNAMODB);
        environment.put("AUTHFN_STATELESS_BEARER", Boolean.toString(statelessBearer));
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_ACCESS_KEY_ID", "test");
        environment.put("AWS_SECRET_ACCESS_KEY", "test");
        return environment;
    }

    private static Components runtime(boolean statelessBearer) {
        return Components.fromEnvironment(environment(statelessBearer), AuthorizerHandler.REQUIRED);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void authorizesTheSyntheticBearerAndCookieRequestsWithoutReachingDynamoDb(boolean statelessBearer) {
        AuthorizerPriming priming = new AuthorizerPriming(runtime(statelessBearer));

        Map<String, Boolean> authorized = priming.prime();

        assertThat(authorized).containsExactly(entry("bearer", true), entry("cookie", true));
    }

    @Test
    void beforeCheckpointPrimesAndAfterRestoreHasNothingToDo() {
        AuthorizerPriming priming = new AuthorizerPriming(runtime(false));

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertThat(priming.prime()).containsValues(true, true);
    }

    @Test
    void aHandlerBuiltThroughTheRootDecides() {
        AuthorizerHandler handler = new AuthorizerHandler(runtime(true));

        assertThat(handler.handleRequest(
                dev.authfn.testkit.lambda.Events.authorizer("authorizer-no-credentials.json"), null).getIsAuthorized())
                .isFalse();
    }
}
