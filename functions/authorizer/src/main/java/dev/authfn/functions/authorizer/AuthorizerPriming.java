package dev.authfn.functions.authorizer;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.PrimingContext;
import dev.authfn.auth.Components;
import dev.authfn.auth.SyntheticSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * SnapStart priming for {@link AuthorizerHandler}: before the snapshot, it builds the DynamoDB
 * client (no request is made) and runs the handler's hot paths {@value #ROUNDS} times with a
 * {@link SyntheticSession} — a bearer request and a session-cookie request, decided by a handler
 * built through the function's own root over the synthetic session's stores — so that a restored function finds
 * nimbus, the key set's verifiers, the HMAC, the route policy and the response mapping loaded,
 * initialised and compiled. No real user's data, no network.
 */
final class AuthorizerPriming extends Priming<Map<String, Boolean>> {

    /** Enough for the class loading and a first compilation of the hot methods; takes milliseconds. */
    static final int ROUNDS = 20;
    static final String ROUTE_KEY = "GET /protected";

    private final Components components;

    AuthorizerPriming(Components components) {
        this.components = Objects.requireNonNull(components, "components");
    }

    /** Primes and returns whether each synthetic request of the last round was authorized. */
    @Override
    protected Map<String, Boolean> prime() {
        components.stores().prepare();
        SyntheticSession synthetic = components.syntheticSession();
        AuthorizerHandler primed = new AuthorizerHandler(components.withStores(synthetic.stores()));
        Map<String, Boolean> authorized = new LinkedHashMap<>();
        APIGatewayV2CustomAuthorizerEvent bearer =
                event(Map.of("authorization", "Bearer " + synthetic.accessToken()), List.of());
        APIGatewayV2CustomAuthorizerEvent cookie =
                event(Map.of(), List.of(components.cookies().sessionName() + "=" + synthetic.sessionCookie()));
        for (int round = 0; round < ROUNDS; round++) {
            authorized.put("bearer", primed.handleRequest(bearer, PrimingContext.INSTANCE).getIsAuthorized());
            authorized.put("cookie", primed.handleRequest(cookie, PrimingContext.INSTANCE).getIsAuthorized());
        }
        return authorized;
    }

    private static APIGatewayV2CustomAuthorizerEvent event(Map<String, String> headers, List<String> cookies) {
        APIGatewayV2CustomAuthorizerEvent.Http http = new APIGatewayV2CustomAuthorizerEvent.Http();
        http.setMethod("GET");
        http.setPath("/protected");
        http.setSourceIp("127.0.0.1");
        APIGatewayV2CustomAuthorizerEvent.RequestContext requestContext = new APIGatewayV2CustomAuthorizerEvent.RequestContext();
        requestContext.setHttp(http);
        requestContext.setRouteKey(ROUTE_KEY);
        APIGatewayV2CustomAuthorizerEvent event = new APIGatewayV2CustomAuthorizerEvent();
        event.setVersion("2.0");
        event.setType("REQUEST");
        event.setRouteKey(ROUTE_KEY);
        event.setRawPath("/protected");
        event.setHeaders(headers);
        event.setCookies(cookies);
        event.setRequestContext(requestContext);
        return event;
    }
}
