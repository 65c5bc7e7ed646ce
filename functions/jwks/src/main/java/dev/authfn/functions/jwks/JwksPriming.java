package dev.authfn.functions.jwks;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.lambda.PrimingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart priming for {@link JwksHandler}: before the snapshot it serves both of its routes
 * {@value #ROUNDS} times from the key set loaded at init, so that a restored function finds the
 * JWK and JSON serialisation loaded and compiled. No network: the key set is already in memory.
 */
final class JwksPriming implements Resource {

    static final int ROUNDS = 5;
    static final List<String> ROUTES = List.of("GET /.well-known/jwks.json", "GET /.well-known/openid-configuration");

    private final JwksHandler handler;

    JwksPriming(JwksHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to redo: the key set refreshes itself on its own schedule.
    }

    /** Primes and returns the status of each synthetic request, in order. */
    List<Integer> prime() {
        List<Integer> statuses = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (String route : ROUTES) {
                statuses.add(handler.handleRequest(event(route), PrimingContext.INSTANCE).getStatusCode());
            }
        }
        return statuses;
    }

    private static APIGatewayV2HTTPEvent event(String routeKey) {
        String path = routeKey.substring(routeKey.indexOf(' ') + 1);
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("GET");
        http.setPath(path);
        http.setSourceIp("127.0.0.1");
        APIGatewayV2HTTPEvent.RequestContext requestContext = new APIGatewayV2HTTPEvent.RequestContext();
        requestContext.setHttp(http);
        requestContext.setRouteKey(routeKey);
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey(routeKey);
        event.setRawPath(path);
        event.setRequestContext(requestContext);
        return event;
    }
}
