package dev.authfn.functions.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.keys.KeySet;
import dev.authfn.testkit.lambda.World;
import dev.authfn.auth.Components;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwksPrimingTest {

    private static Map<String, String> environment() {
        return Map.of(
                "AUTHFN_KEYS", KeySet.generate(Clock.systemUTC()).toJson(),
                "AUTHFN_ISSUER", World.ISSUER);
    }

    @Test
    void servesTheKeysFromTheKeySetInMemory() {
        JwksPriming priming = new JwksPriming(new JwksHandler(Components.fromEnvironment(environment())));

        assertThat(priming.prime())
                .hasSize(JwksPriming.ROUNDS * JwksPriming.ROUTES.size())
                .containsOnly(200);
    }

    @Test
    void beforeCheckpointPrimesAndAfterRestoreHasNothingToDo() {
        JwksPriming priming = new JwksPriming(new JwksHandler(Components.fromEnvironment(environment())));

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertThat(priming.prime()).isEqualTo(Collections.nCopies(JwksPriming.ROUNDS * JwksPriming.ROUTES.size(), 200));
    }
}
