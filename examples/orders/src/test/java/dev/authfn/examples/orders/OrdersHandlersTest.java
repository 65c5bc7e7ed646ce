package dev.authfn.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.google.gson.Gson;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example's handlers on its own events/ (the files sam local invoke takes too). */
class OrdersHandlersTest {

    private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json",
            "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff");
    private static final String FORBIDDEN = "{\"type\":\"urn:authfn:problem:forbidden\",\"title\":\"Forbidden\","
            + "\"status\":403,\"detail\":\"You may not use this route.\"}";

    private static APIGatewayV2HTTPEvent event(String file) {
        return EventLoader.loadApiGatewayHttpEvent("events/" + file);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(APIGatewayV2HTTPResponse response) {
        return new Gson().fromJson(response.getBody(), Map.class);
    }

    @Test
    void listsForABearerCaller() {
        APIGatewayV2HTTPResponse response = new ListOrdersHandler().handleRequest(event("orders-list.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        assertThat(response.getBody()).isEqualTo("{\"owner\":\"bob\",\"auth_type\":\"bearer\",\"orders\":[]}");
    }

    @Test
    void listsBehindApiGatewaysJwtAuthorizer() {
        APIGatewayV2HTTPResponse response = new ListOrdersHandler().handleRequest(event("orders-list-native-jwt.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).isEqualTo("{\"owner\":\"alice\",\"auth_type\":\"jwt\",\"orders\":[]}");
    }

    @Test
    void createsForAWriter() {
        APIGatewayV2HTTPResponse response = new CreateOrderHandler().handleRequest(event("orders-create.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(response.getHeaders()).isEqualTo(JSON_HEADERS);
        Map<String, Object> body = body(response);
        assertThat(body).containsOnlyKeys("id", "item", "quantity", "created_by");
        assertThat(body).containsEntry("item", "espresso beans").containsEntry("quantity", 2.0)
                .containsEntry("created_by", "alice");
        assertThat((String) body.get("id")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void refusesACallerWithoutOrdersWrite() {
        APIGatewayV2HTTPResponse response = new CreateOrderHandler().handleRequest(event("orders-create-forbidden.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json")
                .containsEntry("Cache-Control", "no-store");
        assertThat(response.getBody()).isEqualTo(FORBIDDEN);
    }

    @Test
    void refusesAnEventThatDidNotPassTheAuthorizer() {
        APIGatewayV2HTTPEvent event = event("orders-create.json");
        event.getRequestContext().setAuthorizer(null);

        assertThat(new CreateOrderHandler().handleRequest(event, null).getStatusCode()).isEqualTo(401);
        assertThat(new ListOrdersHandler().handleRequest(event, null).getStatusCode()).isEqualTo(401);
    }

    @Test
    void refusesAMalformedOrder() {
        for (String bad : new String[] {"", "[]", "{\"item\":\"x\"}", "{\"item\":\"\",\"quantity\":1}",
                "{\"item\":\"x\",\"quantity\":0}", "{\"item\":\"x\",\"quantity\":1.5}", "{\"item\":\"x\",\"quantity\":101}",
                "{\"item\":7,\"quantity\":1}", "{not json"}) {
            APIGatewayV2HTTPEvent event = event("orders-create.json");
            event.setBody(bad);

            APIGatewayV2HTTPResponse response = new CreateOrderHandler().handleRequest(event, null);

            assertThat(response.getStatusCode()).as(bad).isEqualTo(400);
            assertThat(response.getHeaders()).as(bad).containsEntry("Content-Type", "application/problem+json");
            assertThat(body(response)).as(bad).containsEntry("type", "urn:authfn:problem:malformed-request");
        }
    }
}
