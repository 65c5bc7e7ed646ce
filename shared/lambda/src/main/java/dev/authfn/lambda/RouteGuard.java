package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.RoutePolicy;
import java.util.Objects;
import java.util.Optional;

/**
 * What every function behind the authorizer does first: take the principal from the authorizer
 * context (none: 401, the route was reached without the authorizer) and evaluate the route policy
 * again (defence in depth: 403). Each refusal is logged once.
 */
public final class RouteGuard {

    /** The outcome of {@link #check}. */
    public sealed interface Outcome permits Allowed, Refused {
    }

    public record Allowed(Principal principal) implements Outcome {
    }

    /** The response to send instead of running the route. */
    public record Refused(APIGatewayV2HTTPResponse response) implements Outcome {
    }

    private final RoutePolicy routePolicy;
    private final String logEvent;

    /** @param logEvent the event name of this function's log lines, e.g. {@code protected} */
    public RouteGuard(RoutePolicy routePolicy, String logEvent) {
        this.routePolicy = Objects.requireNonNull(routePolicy, "routePolicy");
        this.logEvent = Objects.requireNonNull(logEvent, "logEvent");
    }

    public Outcome check(APIGatewayV2HTTPEvent event, Context context) {
        String routeKey = HttpRequests.routeKey(event);
        Optional<Principal> found = AuthorizerContext.principal(event);
        if (found.isEmpty()) {
            AuditLog.event(logEvent).outcome("refused").reason("NO_AUTHORIZER_CONTEXT").route(routeKey).warn(context);
            return new Refused(HttpResponses.problem(Problem.NOT_AUTHENTICATED, "This route needs an authenticated session."));
        }
        Principal principal = found.get();
        RoutePolicy.Decision decision = routePolicy.evaluate(routeKey, principal);
        if (!decision.isAllowed()) {
            AuditLog.event(logEvent).outcome("forbidden").reason(decision.name()).route(routeKey)
                    .user(principal.username()).warn(context);
            return new Refused(HttpResponses.problem(Problem.FORBIDDEN, "You may not use this route."));
        }
        return new Allowed(principal);
    }
}
