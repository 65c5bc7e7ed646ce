package dev.authfn.functions.protectedapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.authz.RoutePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProtectedPrimingTest {

    @Test
    void everyRouteAnswersTheSyntheticPrincipalUnderTheDefaultPolicy() {
        ProtectedPriming priming = new ProtectedPriming(new ProtectedHandler(Map.of()));

        List<Integer> statuses = priming.prime();

        List<Integer> expected = new ArrayList<>();
        for (int round = 0; round < ProtectedPriming.ROUNDS; round++) {
            expected.addAll(List.of(200, 200, 201));
        }
        assertThat(ProtectedPriming.ROUTES).containsExactly("GET /protected", "GET /admin", "POST /posts");
        assertThat(statuses).isEqualTo(expected);
    }

    @Test
    void aStricterPolicyPrimesTheRefusalInstead() {
        RoutePolicy onlyAuditors = new RoutePolicy(
                Map.of("GET /protected", new RoutePolicy.Rule(Set.of("auditor"), Set.of())));
        ProtectedPriming priming = new ProtectedPriming(new ProtectedHandler(onlyAuditors));

        assertThat(priming.prime().get(0)).isEqualTo(403);
    }

    @Test
    void beforeCheckpointPrimesAndAfterRestoreHasNothingToDo() {
        ProtectedPriming priming = new ProtectedPriming(new ProtectedHandler(Map.of()));

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertThat(priming.prime()).doesNotContain(401, 403, 404, 500);
    }
}
