package dev.authfn.functions.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.keys.KeySet;
import dev.authfn.testkit.lambda.FunctionJar;
import dev.authfn.testkit.lambda.World;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The packaged target/authfn-jwks-lambda.jar: what it holds, and that it serves its route on its own. */
@Tag(FunctionJar.TAG)
class JwksJarIT {

    private static final String HANDLER = "dev.authfn.functions.jwks.JwksHandler";
    private static final String EVENT = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent";

    @Test
    void holdsTheHandlerAndNoAwsSdk() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            assertThat(jar.path().getFileName()).hasToString("authfn-jwks-lambda.jar");
            assertThat(jar.entries())
                    .contains(FunctionJar.entryOf(HANDLER))
                    .noneMatch(entry -> entry.startsWith("software/amazon/awssdk/"));
        }
    }

    @Test
    void servesTheKeysFromTheJarAlone() throws Exception {
        KeySet keys = KeySet.generate(Clock.systemUTC());
        try (FunctionJar jar = FunctionJar.packaged()) {
            Object handler = jar.newHandler(HANDLER, Map.of("AUTHFN_ISSUER", World.ISSUER, "AUTHFN_KEYS", keys.toJson()));

            Object jwks = jar.invoke(handler, jar.event(EVENT, "jwks.json"));

            assertThat(FunctionJar.get(jwks, "statusCode")).isEqualTo(200);
            assertThat((String) FunctionJar.get(jwks, "body"))
                    .contains("\"kid\":\"" + keys.activeJwtKey().kid() + "\"")
                    .doesNotContain("\"d\":");
        }
    }
}
