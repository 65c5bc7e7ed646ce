package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.authz.StepUp;
import dev.authfn.core.authz.StepUpChallenge;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What every function behind the authorizer does first: take the principal from the authorizer
 * context (none: 401, the route was reached without the authorizer) and evaluate the route policy
 * again (defence in depth: 403 for roles and permissions, 401 with the RFC 9470 challenge for
 * step-up). A context that carries only a step-up challenge (the authorizer's answer when the
 * login is not strong or recent enough, {@link AuthorizerContext#stepUpOnly}) is that 401 with
 * the authorizer's challenge. Each refusal is logged once.
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
    private final Clock clock;

    /**
     * @param logEvent the event name of this function's log lines, e.g. {@code protected}
     * @param clock what a {@code max_age} is measured to
     */
    public RouteGuard(RoutePolicy routePolicy, String logEvent, Clock clock) {
        this.routePolicy = Objects.requireNonNull(routePolicy, "routePolicy");
        this.logEvent = Objects.requireNonNull(logEvent, "logEvent");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The route policy's check for this request. */
    public Outcome check(APIGatewayV2HTTPEvent event, Context context) {
        return check(event, context, StepUp.NONE);
    }

    /**
     * The route policy's check, then {@code required}, a step-up the handler demands in code
     * whatever the policy says (for example {@code StepUp.recentLogin(Duration.ofMinutes(5))}
     * before a second factor is changed): a principal that misses it gets the same 401 challenge.
     */
    public Outcome check(APIGatewayV2HTTPEvent event, Context context, StepUp required) {
        Objects.requireNonNull(required, "required");
        String routeKey = HttpRequests.routeKey(event);
        Optional<String> fromAuthorizer = AuthorizerContext.stepUpChallenge(event);
        if (fromAuthorizer.isPresent()) {
            AuditLog.event(logEvent).outcome("refused").reason("STEP_UP_REQUIRED").route(routeKey).warn(context);
            return new Refused(HttpResponses.stepUpRequired(fromAuthorizer.get()));
        }
        Optional<Principal> found = AuthorizerContext.principal(event);
        if (found.isEmpty()) {
            AuditLog.event(logEvent).outcome("refused").reason("NO_AUTHORIZER_CONTEXT").route(routeKey).warn(context);
            return new Refused(HttpResponses.problem(Problem.NOT_AUTHENTICATED, "This route needs an authenticated session."));
        }
        Principal principal = found.get();
        Instant now = clock.instant();
        RoutePolicy.Decision decision = routePolicy.evaluate(routeKey, principal, now);
        if (decision == RoutePolicy.Decision.STEP_UP_REQUIRED) {
            return stepUp(routePolicy.rule(routeKey).orElseThrow().challenge(), routeKey, principal, context);
        }
        if (!decision.isAllowed()) {
            AuditLog.event(logEvent).outcome("forbidden").reason(decision.name()).route(routeKey)
                    .user(principal.username()).warn(context);
            return new Refused(HttpResponses.problem(Problem.FORBIDDEN, "You may not use this route."));
        }
        Optional<StepUpChallenge> missing = required.check(principal, now);
        if (missing.isPresent()) {
            return stepUp(missing.get(), routeKey, principal, context);
        }
        return new Allowed(principal);
    }

    private Refused stepUp(StepUpChallenge challenge, String routeKey, Principal principal, Context context) {
        AuditLog.event(logEvent).outcome("refused").reason("STEP_UP_REQUIRED").route(routeKey)
                .user(principal.username()).sid(principal.sessionId()).warn(context);
        return new Refused(HttpResponses.stepUpRequired(challenge.wwwAuthenticate()));
    }
}
