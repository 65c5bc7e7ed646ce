package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.core.authz.Amr;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Set;

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

    /**
     * An event for {@code routeKey} behind the authorizer, for a made-up caller whose login time
     * is unknown: no recent-login rule accepts it, so a route that needs one refuses it with the
     * RFC 9470 challenge before any store is read.
     */
    public static APIGatewayV2HTTPEvent authorizedWithoutLoginTime(String routeKey) {
        Principal synthetic = new Principal("00000000-0000-4000-8000-000000000000", "snapstart-priming", Set.of(),
                Set.of(), "snapstart-priming", AuthType.BEARER, Amr.PASSWORD, Optional.empty());
        APIGatewayV2HTTPEvent event = http(routeKey);
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setLambda(new LinkedHashMap<>(AuthorizerContext.of(synthetic)));
        event.getRequestContext().setAuthorizer(authorizer);
        return event;
    }
}
