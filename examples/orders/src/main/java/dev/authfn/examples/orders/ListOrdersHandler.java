package dev.authfn.examples.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.handler.Access;
import dev.authfn.handler.Principal;
import dev.authfn.handler.Require;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /orders}: any user the authorizer let through (authfn's Lambda authorizer, or, with
 * the template's {@code ListOrdersAuthorizer=jwt}, API Gateway's JWT authorizer). The example
 * stores nothing: it answers whose orders these would be, and how the caller authenticated.
 */
public final class ListOrdersHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Require ANY_USER = Require.authenticated();

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return switch (ANY_USER.check(event)) {
            case Access.Granted granted -> list(granted.principal());
            case Access.Denied denied -> denied.toHttpApiResponse();
        };
    }

    private static APIGatewayV2HTTPResponse list(Principal caller) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("owner", caller.username());
        body.put("auth_type", caller.authType().wireName());
        body.put("orders", List.of());
        return Responses.json(200, body);
    }
}
