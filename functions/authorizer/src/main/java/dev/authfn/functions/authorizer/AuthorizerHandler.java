package dev.authfn.functions.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import dev.authfn.auth.RequestAuthenticator.Allow;
import dev.authfn.auth.RequestAuthenticator.Decision;
import dev.authfn.auth.RequestAuthenticator.Deny;
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
 * context. Any failure is a denial, logged with its reason code.
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
