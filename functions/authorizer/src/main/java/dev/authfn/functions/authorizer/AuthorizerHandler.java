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
import dev.authfn.lambda.HttpRequests;
import dev.authfn.lambda.Priming;
import dev.authfn.runtime.AuthfnRuntime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP API Lambda authorizer (payload 2.0, simple responses): builds the request from the
 * event, asks {@link RequestAuthenticator}, answers {@code isAuthorized} with the principal as
 * context. Any failure is a denial, logged with its reason code.
 */
public final class AuthorizerHandler implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, SimpleIAMPolicyResponse> {

    private final RequestAuthenticator authenticator;
    /** Held here as well: the CRaC context may keep its resources only weakly. */
    private final Priming<?> priming;

    public AuthorizerHandler() {
        this(System.getenv());
    }

    /** Wiring from the environment, with SnapStart priming registered (see {@link AuthorizerPriming}). */
    public AuthorizerHandler(Map<String, String> environment) {
        this(AuthfnRuntime.fromEnvironment(environment, EnumSet.noneOf(Requirement.class)));
    }

    private AuthorizerHandler(AuthfnRuntime runtime) {
        this(runtime.authenticator(), Priming.register(new AuthorizerPriming(runtime)));
    }

    public AuthorizerHandler(RequestAuthenticator authenticator) {
        this(authenticator, null);
    }

    private AuthorizerHandler(RequestAuthenticator authenticator, Priming<?> priming) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.priming = priming;
    }

    @Override
    public SimpleIAMPolicyResponse handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : null;
        String routeKey = event.getRouteKey();
        String sourceIp = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getSourceIp() : null;
        Decision decision = authenticator.authenticate(new RequestAuthenticator.Request(
                method, routeKey,
                event.getCookies() == null ? List.of() : event.getCookies(),
                HttpRequests.header(headers, "authorization"),
                HttpRequests.header(headers, "x-csrf-token"),
                HttpRequests.header(headers, "origin"),
                HttpRequests.header(headers, "sec-fetch-site"),
                HttpRequests.selfOrigin(headers)));
        return switch (decision) {
            case Allow allow -> SimpleIAMPolicyResponse.builder()
                    .withIsAuthorized(true)
                    .withContext(AuthorizerContext.of(allow.principal()))
                    .build();
            case Deny deny -> {
                if (deny.reason() == RequestAuthenticator.DenyReason.STORE_UNAVAILABLE
                        || deny.reason() == RequestAuthenticator.DenyReason.INTERNAL_ERROR) {
                    AuditLog.error(context, "authorize", "outcome", "deny", "reason", deny.code(),
                            "route", routeKey, "ip", sourceIp);
                } else {
                    AuditLog.warn(context, "authorize", "outcome", "deny", "reason", deny.code(),
                            "route", routeKey, "ip", sourceIp);
                }
                yield SimpleIAMPolicyResponse.builder().withIsAuthorized(false).withContext(Map.of()).build();
            }
        };
    }
}
