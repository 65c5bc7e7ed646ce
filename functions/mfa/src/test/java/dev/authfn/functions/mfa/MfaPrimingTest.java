package dev.authfn.functions.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.auth.Components;
import dev.authfn.core.keys.KeySet;
import dev.authfn.testkit.lambda.World;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MfaPrimingTest {

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
        MfaPriming priming = new MfaPriming(new MfaHandler(components), components);

        List<Integer> statuses = priming.prime();

        List<Integer> expected = new ArrayList<>();
        for (int round = 0; round < MfaPriming.ROUNDS; round++) {
            expected.addAll(List.of(401, 401));
        }
        assertThat(statuses).isEqualTo(expected);
    }

    @Test
    void theForeignTokenHasTheRealShapeSoItsMacIsComparedAndNoKeyOfOursAcceptsIt() {
        Components components = Components.fromEnvironment(ENVIRONMENT);
        String[] parts = MfaPriming.FOREIGN_TOKEN.split("\\.", -1);
        Base64.Decoder decoder = Base64.getUrlDecoder();
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

        assertThat(parts).hasSize(2);
        assertThat(encoder.encodeToString(decoder.decode(parts[0]))).as("canonical base64url").isEqualTo(parts[0]);
        assertThat(new String(decoder.decode(parts[0]), StandardCharsets.US_ASCII))
                .isEqualTo("{\"v\":1,\"kid\":\"snapstart-priming\",\"sub\":\"snapstart-priming\","
                        + "\"name\":\"snapstart priming\",\"att\":\"" + "A".repeat(43) + "\",\"exp\":0}");
        assertThat(decoder.decode(parts[1])).as("an HMAC-SHA256's length").hasSize(32);
        assertThat(encoder.encodeToString(decoder.decode(parts[1]))).isEqualTo(parts[1]);
        assertThat(components.codecs().get().mfaTokens().verify(MfaPriming.FOREIGN_TOKEN, Instant.EPOCH)).isEmpty();
    }

    @Test
    void beforeCheckpointPrimesAndAfterRestoreHasNothingToDo() {
        Components components = Components.fromEnvironment(ENVIRONMENT);
        MfaPriming priming = new MfaPriming(new MfaHandler(components), components);

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertThat(priming.prime()).hasSize(2 * MfaPriming.ROUNDS).containsOnly(401);
    }
}
