package dev.authfn.functions.protectedapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.config.AuthfnConfig;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProtectedPrimingTest {

    @Test
    void everyRouteAnswersTheSyntheticPrincipalUnderTheDefaultPolicy() {
        ProtectedPriming priming = new ProtectedPriming(new ProtectedHandler(config(Map.of())));

        List<Integer> statuses = priming.prime();

        List<Integer> expected = new ArrayList<>();
        for (int round = 0; round < ProtectedPriming.ROUNDS; round++) {
            expected.addAll(List.of(200, 200, 201, 200));
        }
        assertThat(ProtectedPriming.ROUTES).containsExactly("GET /protected", "GET /admin", "POST /posts",
                "GET /protected/step-up");
        assertThat(statuses).isEqualTo(expected);
    }

    @Test
    void aStricterPolicyPrimesTheRefusalInstead() {
        ProtectedPriming priming = new ProtectedPriming(new ProtectedHandler(config(
                Map.of("AUTHFN_ROUTE_POLICY", "{\"GET /protected\":{\"roles\":[\"auditor\"]}}"))));

        assertThat(priming.prime().get(0)).isEqualTo(403);
    }

    @Test
    void beforeCheckpointPrimesAndAfterRestoreHasNothingToDo() {
        ProtectedPriming priming = new ProtectedPriming(new ProtectedHandler(config(Map.of())));

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertThat(priming.prime()).doesNotContain(401, 403, 404, 500);
    }

    private static AuthfnConfig config(Map<String, String> environment) {
        return AuthfnConfig.fromEnvironment(environment, EnumSet.noneOf(AuthfnConfig.Requirement.class));
    }
}
