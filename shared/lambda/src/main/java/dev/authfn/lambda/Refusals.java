package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.core.authz.Principal;

/**
 * The refusals every handler answers the same way, each with its audit line: a body too large, a
 * body the route cannot read, and a caller whose session ended while its credential still passed
 * the authorizer. The line names the route's audit event and a reason, never what the body held.
 */
public final class Refusals {

    private Refusals() {
    }

    /** 413, audited {@code BODY_TOO_LARGE}: checked before anything reads the body. */
    public static APIGatewayV2HTTPResponse bodyTooLarge(String audit, String detail, APIGatewayV2HTTPEvent event,
            Context context) {
        AuditLog.event(audit).outcome("refused").reason("BODY_TOO_LARGE").ip(HttpRequests.sourceIp(event)).warn(context);
        return HttpResponses.problem(Problem.PAYLOAD_TOO_LARGE, detail);
    }

    /** A body refused before any store is read: the problem's status, audited with the problem's name. */
    public static APIGatewayV2HTTPResponse invalidBody(String audit, Problem problem, String detail,
            APIGatewayV2HTTPEvent event, Context context) {
        AuditLog.event(audit).outcome("refused").reason(problem.name()).ip(HttpRequests.sourceIp(event)).warn(context);
        return HttpResponses.problem(problem, detail);
    }

    /**
     * The account has a second factor and the caller's login used none, nor was it within
     * {@code maxAge}: 401 with the RFC 9470 challenge for a multi-factor login that recent,
     * audited {@code MULTI_FACTOR_REQUIRED}.
     */
    public static APIGatewayV2HTTPResponse multiFactorRequired(String audit, java.time.Duration maxAge,
            Principal principal, APIGatewayV2HTTPEvent event, Context context) {
        AuditLog.event(audit).outcome("refused").reason("MULTI_FACTOR_REQUIRED").user(principal.username())
                .sid(principal.sessionId()).ip(HttpRequests.sourceIp(event)).warn(context);
        return HttpResponses.stepUpRequired(new dev.authfn.core.authz.StepUp(true, java.util.List.of(),
                java.util.Optional.of(maxAge)).challenge().wwwAuthenticate());
    }

    /**
     * The caller's own session has ended, or its user is gone, re-created or disabled (possible with
     * a stateless bearer token): 401 {@code not-authenticated}, audited {@code SESSION_ENDED}.
     */
    public static APIGatewayV2HTTPResponse sessionEnded(String audit, Principal principal, APIGatewayV2HTTPEvent event,
            Context context) {
        AuditLog.event(audit).outcome("refused").reason("SESSION_ENDED").user(principal.username())
                .sid(principal.sessionId()).ip(HttpRequests.sourceIp(event)).warn(context);
        return HttpResponses.problem(Problem.NOT_AUTHENTICATED, "The session has ended; log in again.");
    }
}
