package dev.authfn.functions.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.auth.Components;
import dev.authfn.core.keys.KeySet;
import dev.authfn.lambda.FormParameters;
import dev.authfn.testkit.lambda.World;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OAuthPrimingTest {

    /** Nothing listens on the discard port: a call to the function's own stores would end in 503, not 401 or 400. */
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
    void servesDiscoveryAndRefusesTheMadeUpClientWithoutReachingATable() {
        OAuthPriming priming = new OAuthPriming(Components.fromEnvironment(ENVIRONMENT));

        List<Integer> statuses = priming.prime();

        List<Integer> expected = new ArrayList<>();
        for (int round = 0; round < OAuthPriming.ROUNDS; round++) {
            expected.addAll(List.of(200, 401, 400));
        }
        assertThat(statuses).isEqualTo(expected);
    }

    @Test
    void theSyntheticRequestsAreWellFormedSoThePrimedPathIsTheServicesNotTheParsersRefusal() {
        assertThat(FormParameters.parse(OAuthPriming.TOKEN_FORM, OAuthHandler.MAX_BODY_BYTES))
                .isInstanceOf(FormParameters.Parsed.class);
        FormParameters.Parsed query = (FormParameters.Parsed) FormParameters.parse(OAuthPriming.AUTHORIZE_QUERY,
                OAuthHandler.MAX_QUERY_LENGTH);
        assertThat(query.values("client_id")).containsExactly(OAuthPriming.CLIENT_ID);
        assertThat(query.values("code_challenge_method")).containsExactly("S256");
    }

    @Test
    void thePrimingStoresKnowNoClientAndReadOrWriteNothingElse() {
        var stores = OAuthPriming.stores();

        assertThat(stores.oauth().client(OAuthPriming.CLIENT_ID)).isEmpty();
        assertThat(stores.oauth().isCorsOrigin("https://app.example.com")).isFalse();
        assertThatThrownBy(() -> stores.users().get("alice")).isInstanceOf(IllegalStateException.class)
                .hasMessage("priming reads no user");
        assertThatThrownBy(() -> stores.sessions().find("x", World.T0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("priming reads no session");
    }

    @Test
    void beforeCheckpointPrimesAndAfterRestoreHasNothingToDo() {
        OAuthPriming priming = new OAuthPriming(Components.fromEnvironment(ENVIRONMENT));

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertThat(priming.prime()).hasSize(3 * OAuthPriming.ROUNDS);
    }
}
