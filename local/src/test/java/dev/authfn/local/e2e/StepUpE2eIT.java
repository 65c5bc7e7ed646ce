package dev.authfn.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RFC 9470 step-up end to end (docs/API.md §6.5): the repository's template on the local API, real
 * HTTP. Its default route policy asks {@code GET /protected/step-up} for a multi-factor login at
 * most 15 minutes old; a password login has the route's roles (none) but not that, so the
 * authorizer passes the challenge alone and the protected function answers 401 with it, while
 * {@code GET /protected} answers the same login 200 and shows {@code amr ["pwd"]}. (The second
 * factor that turns the 401 into a 200 is the MFA login's to test.)
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class StepUpE2eIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"A recent multi-factor login is required\", acr_values=\"urn:authfn:acr:mfa\", "
            + "max_age=900";
    private static final Map<String, Object> STEP_UP_PROBLEM = Map.of(
            "type", "urn:authfn:problem:step-up-required",
            "title", "Step-up authentication required",
            "status", 401L,
            "detail", "This route needs a stronger or more recent login; the WWW-Authenticate header says which.");

    private static E2eApi e2e;
    private static Http http;

    @BeforeAll
    static void startTheApi(DynamoDbTestEndpoint dynamodb) throws Exception {
        e2e = E2eApi.start(StepUpE2eIT.class, dynamodb);
        http = new Http(e2e.api().baseUri());
        e2e.addUser("alice", PASSWORD, Set.of("user"), Set.of());
    }

    @AfterAll
    static void stopTheApi() {
        if (e2e != null) {
            e2e.close();
        }
    }

    @Test
    void aPasswordLoginIsRefusedTheStepUpRouteWithTheRfc9470ChallengeByCookieAndByBearer() {
        Login login = Login.json(http, "alice", PASSWORD, "step-up-e2e");

        Http.Response withCookie = login.withCookie(http.get("/protected/step-up")).send();
        Http.Response withBearer = login.withBearer(http.get("/protected/step-up")).send();

        for (Http.Response response : List.of(withCookie, withBearer)) {
            assertThat(response.status()).as("%s", response).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).hasValue(CHALLENGE);
            assertThat(response.header("Content-Type")).hasValue("application/problem+json");
            assertThat(response.header("Cache-Control")).hasValue("no-store");
            assertThat(response.header("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(response.setCookieHeaders()).isEmpty();
            assertThat(response.json()).isEqualTo(STEP_UP_PROBLEM);
        }
    }

    @Test
    void theSameLoginReachesProtectedAndShowsItIsAPasswordLogin() {
        Login login = Login.json(http, "alice", PASSWORD, "step-up-e2e");

        Http.Response withCookie = login.withCookie(http.get("/protected")).send();
        Http.Response withBearer = login.withBearer(http.get("/protected")).send();

        for (Http.Response response : List.of(withCookie, withBearer)) {
            assertThat(response.status()).as("%s", response).isEqualTo(200);
            assertThat(response.header("WWW-Authenticate")).isEmpty();
            assertThat(response.json()).containsEntry("username", "alice")
                    .containsEntry("amr", List.of("pwd"))
                    .containsEntry("acr", "urn:authfn:acr:sfa")
                    .containsKey("auth_time");
        }
    }

    @Test
    void aRequestWithoutCredentialsIsStillTheAuthorizersPlain403() {
        Http.Response response = http.get("/protected/step-up").send();

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("WWW-Authenticate")).isEmpty();
        assertThat(response.json()).isEqualTo(Map.of("message", "Forbidden"));
    }
}
