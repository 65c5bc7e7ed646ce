package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

/** The made-up API Gateway events SnapStart priming sends a function (see {@link Priming}). */
public final class SyntheticEvents {

    private SyntheticEvents() {
    }

    /**
     * A payload-2.0 event for {@code routeKey} ({@code "GET /path"}) from 127.0.0.1, without
     * headers, body or authorizer context; the caller adds what its route needs.
     */
    public static APIGatewayV2HTTPEvent http(String routeKey) {
        int space = routeKey.indexOf(' ');
        if (space <= 0) {
            throw new IllegalArgumentException("a route key is a method, one space and a path: " + routeKey);
        }
        String path = routeKey.substring(space + 1);
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(routeKey.substring(0, space));
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
