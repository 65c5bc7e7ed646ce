package dev.authfn.functions.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.keys.KeySet;
import dev.authfn.auth.Components;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoginPrimingTest {

    /** Nothing listens on the discard port: a store call would end in 503, not 401. */
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "AUTHFN_KEYS", KeySet.generate(Clock.systemUTC()).toJson(),
            "AUTHFN_ISSUER", "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
            "AUTHFN_AUDIENCE", "authfn-api",
            "AUTHFN_SESSIONS_TABLE", "sessions",
            "AUTHFN_USERS_TABLE", "users",
            "AUTHFN_DYNAMODB_ENDPOINT", "http://127.0.0.1:9",
            "AWS_REGION", "us-east-1",
            "AWS_ACCESS_KEY_ID", "test",
            "AWS_SECRET_ACCESS_KEY", "test");

    @Test
    void refusesTheSyntheticLoginsWithoutReachingTheUsersTable() {
        LoginHandler handler = new LoginHandler(Components.fromEnvironment(ENVIRONMENT));
        LoginPriming priming = new LoginPriming(handler,
                Components.fromEnvironment(ENVIRONMENT));

        assertThat(priming.prime()).containsExactly(401, 401);
    }

    @Test
    void beforeCheckpointPrimes() {
        LoginPriming priming = new LoginPriming(new LoginHandler(Components.fromEnvironment(ENVIRONMENT)),
                Components.fromEnvironment(ENVIRONMENT));

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertThat(priming.prime()).hasSize(LoginPriming.ROUNDS);
    }
}
