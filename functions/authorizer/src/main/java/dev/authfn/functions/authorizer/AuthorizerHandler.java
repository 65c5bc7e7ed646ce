package dev.authfn.functions.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import dev.authfn.auth.RequestAuthenticator.Allow;
import dev.authfn.auth.RequestAuthenticator.Decision;
import dev.authfn.auth.RequestAuthenticator.Deny;
import dev.authfn.auth.RequestAuthenticator.StepUpRequired;
import dev.authfn.auth.RequestAuthenticator;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.lambda.AuditLog;
import dev.authfn.lambda.AuthorizerContext;
import dev.authfn.lambda.Priming;
import dev.authfn.auth.Components;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP API Lambda authorizer (payload 2.0, simple responses): builds the request from the
 * event, asks {@link RequestAuthenticator}, answers {@code isAuthorized} with the principal as
 * context. Any failure is a denial, logged with its reason code. A caller whose login is not
 * strong or recent enough for the route's step-up rule is allowed with a context that holds only
 * the RFC 9470 challenge and no principal: API Gateway turns a denial into its own 403 and lets an
 * authorizer set no 401 header, so the function answers the 401 (docs/API.md §6.5, §8.1).
 */
public final class AuthorizerHandler implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, SimpleIAMPolicyResponse> {

    /** What this function cannot run without. */
    static final Set<Requirement> REQUIRED =
            EnumSet.of(Requirement.SESSIONS_TABLE, Requirement.ISSUER, Requirement.AUDIENCE, Requirement.KEYS);

    private final Components components;
    private final RequestAuthenticator authenticator;

    /** Lambda's constructor: the root from the process environment, and SnapStart priming (see {@link AuthorizerPriming}). */
    public AuthorizerHandler() {
        this(Components.fromEnvironment(System.getenv(), REQUIRED));
        Priming.register(new AuthorizerPriming(components));
    }

    /** The handler over a root built elsewhere (the local API, tests); nothing is primed. */
    public AuthorizerHandler(Components components) {
        this.components = components.require(REQUIRED);
        this.authenticator = components.authenticator();
    }

    @Override
    public SimpleIAMPolicyResponse handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        String routeKey = event.getRouteKey();
        String sourceIp = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getSourceIp() : null;
        Decision decision = authenticator.authorize(AuthorizerRequests.from(event));
        return switch (decision) {
            case Allow allow -> SimpleIAMPolicyResponse.builder()
                    .withIsAuthorized(true)
                    .withContext(AuthorizerContext.of(allow.principal()))
                    .build();
            case StepUpRequired stepUp -> {
                // Allowed with the challenge and no principal: an HTTP API authorizer can only deny
                // with API Gateway's 403, so the function answers the RFC 9470 401 (RouteGuard, Require).
                AuditLog.event("authorize").outcome("step_up").reason("STEP_UP_REQUIRED").route(routeKey).ip(sourceIp)
                        .user(stepUp.principal().username()).sid(stepUp.principal().sessionId()).warn(context);
                yield SimpleIAMPolicyResponse.builder()
                        .withIsAuthorized(true)
                        .withContext(AuthorizerContext.stepUpOnly(stepUp.challenge()))
                        .build();
            }
            case Deny deny -> {
                if (deny.reason() == RequestAuthenticator.DenyReason.STORE_UNAVAILABLE
                        || deny.reason() == RequestAuthenticator.DenyReason.INTERNAL_ERROR) {
                    AuditLog.event("authorize").outcome("deny").reason(deny.code()).route(routeKey).ip(sourceIp)
                            .error(context);
                } else {
                    AuditLog.event("authorize").outcome("deny").reason(deny.code()).route(routeKey).ip(sourceIp)
                            .warn(context);
                }
                yield SimpleIAMPolicyResponse.builder().withIsAuthorized(false).withContext(Map.of()).build();
            }
        };
    }
}
