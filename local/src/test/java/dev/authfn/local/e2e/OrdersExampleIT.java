package dev.authfn.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * examples/orders end to end (docs/INTEGRATING.md): its template served by the local API together
 * with authfn's own routes, as {@code ./authfn start-api --template examples/orders/template.yaml}
 * does, with {@code POST /orders} in authfn's route policy; a user logs in through authfn and calls
 * both routes with the session cookie (and the CSRF token for the POST) and with the bearer token.
 * Real HTTP, the real authorizer and handlers, DynamoDB at the run's endpoint.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class OrdersExampleIT {

    static final Path ORDERS_TEMPLATE = Path.of("..", "examples", "orders", "template.yaml");
    /** authfn's built-in policy, repeated (a value replaces it), plus the example's route. */
    static final String ROUTE_POLICY = "{\"GET /admin\":{\"roles\":[\"admin\"]},"
            + "\"POST /posts\":{\"permissions\":[\"posts:create\"]},"
            + "\"GET /protected/step-up\":{\"mfa\":true,\"max_age\":\"PT15M\"},"
            + "\"POST /orders\":{\"permissions\":[\"orders:write\"]}}";
    private static final String PASSWORD = "correct horse battery staple";
    private static final Map<String, Object> GATEWAY_FORBIDDEN = Map.of("message", "Forbidden");
    private static final Map<String, Object> ORDER = Map.of("item", "espresso beans", "quantity", 2);
    /** The same quantity as the JSON reader of the tests gives it back. */
    private static final long TWO = 2L;

    private static E2eApi e2e;
    private static Http http;

    @BeforeAll
    static void startTheApi(DynamoDbTestEndpoint dynamodb) throws Exception {
        e2e = E2eApi.start(OrdersExampleIT.class, dynamodb, ORDERS_TEMPLATE,
                Map.of("RoutePolicy", ROUTE_POLICY, "AuthfnAuthorizerArn",
                        "arn:aws:lambda:us-east-1:123456789012:function:AuthorizerFunction:live"));
        http = new Http(e2e.api().baseUri());
        e2e.addUser("alice", PASSWORD, Set.of("user"), Set.of("orders:write"));
        e2e.addUser("bob", PASSWORD, Set.of("user"), Set.of());
    }

    @AfterAll
    static void stopTheApi() {
        if (e2e != null) {
            e2e.close();
        }
    }

    @Test
    void servesTheExamplesRoutesBesideAuthfnsOwn() {
        assertThat(e2e.api().template().routes()).extracting(r -> r.routeKey() + " " + r.functionId()
                        + " " + r.authorizer().orElse("public"))
                .contains("POST /auth/login LoginFunction public", "GET /protected ProtectedFunction AuthfnAuthorizer",
                        "GET /orders ListOrdersFunction AuthfnAuthorizer",
                        "POST /orders CreateOrderFunction AuthfnAuthorizer")
                .doesNotContain("GET /orders ListOrdersStatelessFunction public");
        assertThat(e2e.api().template().authorizers().get("AuthfnAuthorizer").functionId()).isEqualTo("AuthorizerFunction");
    }

    @Test
    void listsWithTheSessionCookie() {
        Login alice = Login.json(http, "alice", PASSWORD, "orders-e2e");

        Http.Response response = alice.withCookie(http.get("/orders")).send();

        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertJsonNoStore(response, "application/json");
        assertThat(response.json()).isEqualTo(Map.of("owner", "alice", "auth_type", "cookie", "orders", List.of()));
    }

    @Test
    void listsWithTheBearerToken() {
        Login bob = Login.json(http, "bob", PASSWORD, "orders-e2e");

        Http.Response response = bob.withBearer(http.get("/orders")).send();

        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertJsonNoStore(response, "application/json");
        assertThat(response.json()).isEqualTo(Map.of("owner", "bob", "auth_type", "bearer", "orders", List.of()));
    }

    @Test
    void createsWithTheSessionCookieAndTheCsrfToken() {
        Login alice = Login.json(http, "alice", PASSWORD, "orders-e2e");

        Http.Response response = alice.withCookieAndCsrf(http.post("/orders")).json(ORDER).send();

        assertThat(response.status()).as("%s", response).isEqualTo(201);
        assertJsonNoStore(response, "application/json");
        assertCreatedBy(response, "alice");
    }

    @Test
    void createsWithTheBearerTokenWithoutCsrf() {
        Login alice = Login.json(http, "alice", PASSWORD, "orders-e2e");

        Http.Response response = alice.withBearer(http.post("/orders")).json(ORDER).send();

        assertThat(response.status()).as("%s", response).isEqualTo(201);
        assertCreatedBy(response, "alice");
    }

    @Test
    void theAuthorizerRefusesACookiePostWithoutTheCsrfToken() {
        Login alice = Login.json(http, "alice", PASSWORD, "orders-e2e");

        Http.Response response = alice.withCookie(http.post("/orders")).json(ORDER).send();

        assertThat(response.status()).as("%s", response).isEqualTo(403);
        assertThat(response.json()).isEqualTo(GATEWAY_FORBIDDEN);
    }

    @Test
    void theAuthorizerRefusesAPostWithoutOrdersWrite() {
        Login bob = Login.json(http, "bob", PASSWORD, "orders-e2e");

        Http.Response byBearer = bob.withBearer(http.post("/orders")).json(ORDER).send();
        Http.Response byCookie = bob.withCookieAndCsrf(http.post("/orders")).json(ORDER).send();

        assertThat(byBearer.status()).as("%s", byBearer).isEqualTo(403);
        assertThat(byBearer.json()).isEqualTo(GATEWAY_FORBIDDEN);
        assertThat(byCookie.status()).as("%s", byCookie).isEqualTo(403);
        assertThat(byCookie.json()).isEqualTo(GATEWAY_FORBIDDEN);
    }

    @Test
    void neitherRouteAnswersWithoutACredential() {
        Http.Response list = http.get("/orders").send();
        Http.Response create = http.post("/orders").json(ORDER).send();

        assertThat(list.status()).as("%s", list).isEqualTo(403);
        assertThat(list.json()).isEqualTo(GATEWAY_FORBIDDEN);
        assertThat(create.status()).as("%s", create).isEqualTo(403);
        assertThat(create.json()).isEqualTo(GATEWAY_FORBIDDEN);
    }

    @Test
    void aLoggedOutSessionsTokenNoLongerLists() {
        Login bob = Login.json(http, "bob", PASSWORD, "orders-e2e");
        assertThat(bob.withBearer(http.get("/orders")).send().status()).isEqualTo(200);

        Http.Response logout = bob.withBearer(http.post("/auth/logout")).send();
        Http.Response after = bob.withBearer(http.get("/orders")).send();

        assertThat(logout.status()).as("%s", logout).isEqualTo(204);
        assertThat(after.status()).as("%s", after).isEqualTo(403);
        assertThat(after.json()).isEqualTo(GATEWAY_FORBIDDEN);
    }

    @Test
    void aMalformedOrderIsAProblem() {
        Login alice = Login.json(http, "alice", PASSWORD, "orders-e2e");

        Http.Response response = alice.withBearer(http.post("/orders")).json(Map.of("item", "espresso beans")).send();

        assertThat(response.status()).as("%s", response).isEqualTo(400);
        assertJsonNoStore(response, "application/problem+json");
        assertThat(response.json()).isEqualTo(Map.of("type", "urn:authfn:problem:malformed-request",
                "title", "Malformed request", "status", 400L,
                "detail", "quantity must be a whole number from 1 to 100."));
    }

    private static void assertJsonNoStore(Http.Response response, String contentType) {
        assertThat(response.header("Content-Type")).contains(contentType);
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.setCookieHeaders()).isEmpty();
    }

    private static void assertCreatedBy(Http.Response response, String username) {
        Map<String, Object> body = response.json();
        assertThat(body).containsOnlyKeys("id", "item", "quantity", "created_by");
        assertThat(body).containsEntry("item", "espresso beans").containsEntry("quantity", TWO)
                .containsEntry("created_by", username);
        assertThat((String) body.get("id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }
}
