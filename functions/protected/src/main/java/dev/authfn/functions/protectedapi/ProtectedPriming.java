package dev.authfn.functions.protectedapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.core.authz.Amr;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.lambda.AuthorizerContext;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.PrimingContext;
import dev.authfn.lambda.SyntheticEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * SnapStart priming for {@link ProtectedHandler}: before the snapshot it serves its four routes
 * {@value #ROUNDS} times to a made-up principal (the authorizer context API Gateway would pass),
 * so that a restored function finds the context parsing, the route guard and the JSON responses
 * loaded and compiled. Nothing leaves the process. Under a stricter route policy than the
 * default, a route answers 403 and primes the refusal instead.
 */
final class ProtectedPriming extends Priming<List<Integer>> {

    static final int ROUNDS = 5;
    static final List<String> ROUTES = List.of("GET /protected", "GET /admin", "POST /posts", "GET /protected/step-up");

    private final ProtectedHandler handler;

    ProtectedPriming(ProtectedHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Primes and returns the status of each synthetic request, in order. */
    @Override
    protected List<Integer> prime() {
        List<Integer> statuses = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (String route : ROUTES) {
                statuses.add(handler.handleRequest(event(route, handler.clock().instant()), PrimingContext.INSTANCE)
                        .getStatusCode());
            }
        }
        return statuses;
    }

    /**
     * Holds every role and permission the default route policy asks for, and a multi-factor login
     * at {@code now} on the handler's clock (the step-up route's rule), so each route answers 2xx.
     */
    private static Principal synthetic(Instant now) {
        return new Principal("00000000-0000-4000-8000-000000000000", "snapstart-priming", Set.of("admin", "user"),
                Set.of("posts:create"), "snapstart-priming", AuthType.BEARER, Amr.PASSWORD_AND_OTP,
                Optional.of(now));
    }

    private static APIGatewayV2HTTPEvent event(String routeKey, Instant now) {
        APIGatewayV2HTTPEvent event = SyntheticEvents.http(routeKey);
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setLambda(new LinkedHashMap<>(AuthorizerContext.of(synthetic(now))));
        event.getRequestContext().setAuthorizer(authorizer);
        return event;
    }
}
