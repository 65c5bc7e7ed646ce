package dev.authfn.examples.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.authfn.handler.Access;
import dev.authfn.handler.Principal;
import dev.authfn.handler.Require;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /orders} with {@code {"item": "…", "quantity": 1..100}}: needs {@code orders:write}.
 * authfn's authorizer checks it first (its route policy has {@code POST /orders}); the function
 * checks it again, so a route wired without the authorizer, or a route policy without the entry,
 * still refuses (403 problem+json). The example stores nothing: it answers the order it would create.
 */
public final class CreateOrderHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final Require WRITE = Require.permission("orders:write");
    private static final int MAX_ITEM = 100;
    private static final int MAX_QUANTITY = 100;

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return switch (WRITE.check(event)) {
            case Access.Granted granted -> create(granted.principal(), event);
            case Access.Denied denied -> denied.toHttpApiResponse();
        };
    }

    private static APIGatewayV2HTTPResponse create(Principal caller, APIGatewayV2HTTPEvent event) {
        JsonObject order;
        try {
            JsonElement parsed = JsonParser.parseString(body(event));
            if (!parsed.isJsonObject()) {
                return Responses.malformed("The body must be a JSON object with item and quantity.");
            }
            order = parsed.getAsJsonObject();
        } catch (JsonParseException | IllegalArgumentException e) {
            return Responses.malformed("The body must be a JSON object with item and quantity.");
        }
        JsonElement item = order.get("item");
        JsonElement quantity = order.get("quantity");
        if (item == null || !item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()
                || item.getAsString().isBlank() || item.getAsString().length() > MAX_ITEM) {
            return Responses.malformed("item must be a string of 1 to " + MAX_ITEM + " characters.");
        }
        if (quantity == null || !quantity.isJsonPrimitive() || !quantity.getAsJsonPrimitive().isNumber()
                || !isWholeNumberInRange(quantity.getAsBigDecimal())) {
            return Responses.malformed("quantity must be a whole number from 1 to " + MAX_QUANTITY + ".");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", UUID.randomUUID().toString());
        body.put("item", item.getAsString());
        body.put("quantity", quantity.getAsInt());
        body.put("created_by", caller.username());
        return Responses.json(201, body);
    }

    private static boolean isWholeNumberInRange(java.math.BigDecimal value) {
        return value.stripTrailingZeros().scale() <= 0 && value.compareTo(java.math.BigDecimal.ONE) >= 0
                && value.compareTo(java.math.BigDecimal.valueOf(MAX_QUANTITY)) <= 0;
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody() == null ? "" : event.getBody();
        return event.getIsBase64Encoded() ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
    }
}
