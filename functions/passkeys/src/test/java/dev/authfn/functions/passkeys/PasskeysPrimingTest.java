package dev.authfn.functions.passkeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.auth.Components;
import dev.authfn.core.json.Json;
import dev.authfn.core.passkey.PasskeyStore;
import dev.authfn.core.keys.KeySet;
import dev.authfn.testkit.lambda.World;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasskeysPrimingTest {

    /** Nothing listens on the discard port: a store call would end in 503, not 401. */
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "AUTHFN_KEYS", KeySet.generate(Clock.systemUTC()).toJson(),
            "AUTHFN_ISSUER", World.ISSUER,
            "AUTHFN_AUDIENCE", World.AUDIENCE,
            "AUTHFN_SESSIONS_TABLE", "sessions",
            "AUTHFN_USERS_TABLE", "users",
            "AUTHFN_DYNAMODB_ENDPOINT", "http://127.0.0.1:9",
            "AWS_REGION", "us-east-1",
            "AWS_ACCESS_KEY_ID", "test",
            "AWS_SECRET_ACCESS_KEY", "test");

    @Test
    void refusesEverySyntheticRequestWithoutReachingATable() {
        Components components = Components.fromEnvironment(ENVIRONMENT);
        PasskeysPriming priming = new PasskeysPriming(new PasskeysHandler(components), components);

        List<Integer> statuses = priming.prime();

        List<Integer> expected = new ArrayList<>();
        for (int round = 0; round < PasskeysPriming.ROUNDS; round++) {
            expected.addAll(List.of(401, 401));
        }
        assertThat(statuses).isEqualTo(expected);
    }

    @Test
    void theForeignAssertionHasEveryMemberOfAResponseSoWebAuthn4jParsesItAndRefusesIt() {
        WebAuthn4jCeremonies ceremonies = new WebAuthn4jCeremonies(new RelyingParty(World.HOST, Set.of(World.ISSUER), "x"));
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setHeaders(Map.of("content-type", "application/json"));
        event.setBody(PasskeysPriming.FOREIGN_ASSERTION);
        event.setIsBase64Encoded(false);

        PasskeyRequests.Request request = new PasskeyRequests(ceremonies.json()).read(event, PasskeysHandler.MAX_BODY_BYTES,
                false);

        assertThat(request).isInstanceOf(PasskeyRequests.Ceremony.class);
        String credential = ((PasskeyRequests.Ceremony) request).credentialJson();
        Map<String, Object> parsed = Json.parseObject(credential).orElseThrow();
        assertThat(parsed).containsOnlyKeys("id", "rawId", "type", "response", "clientExtensionResults");
        assertThat(parsed.get("response")).isEqualTo(Map.of("clientDataJSON", "AAAA", "authenticatorData", "AAAA",
                "signature", "AAAA", "userHandle", "AAAA"));
        assertThat(ceremonies.read(credential, PasskeyStore.Ceremony.AUTHENTICATION)).isEmpty();
    }

    @Test
    void beforeCheckpointPrimesAndAfterRestoreHasNothingToDo() {
        Components components = Components.fromEnvironment(ENVIRONMENT);
        PasskeysPriming priming = new PasskeysPriming(new PasskeysHandler(components), components);

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertThat(priming.prime()).hasSize(2 * PasskeysPriming.ROUNDS).containsOnly(401);
    }
}
