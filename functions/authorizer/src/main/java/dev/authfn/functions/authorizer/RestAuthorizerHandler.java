package dev.authfn.functions.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.authfn.auth.Components;
import dev.authfn.auth.RequestAuthenticator;
import dev.authfn.auth.RequestAuthenticator.Allow;
import dev.authfn.auth.RequestAuthenticator.Deny;
import dev.authfn.auth.RequestAuthenticator.Identity;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.authz.StepUpChallenge;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.lambda.AuditLog;
import dev.authfn.lambda.AuthorizerContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The REST API (v1) variant of the authorizer, for TOKEN authorizers (bearer tokens in
 * {@code Authorization}) and REQUEST authorizers (cookie or bearer). It answers an IAM policy that
 * stays right if API Gateway caches it for the same identity on other routes: it allows the whole
 * stage and explicitly denies every route of the route policy the caller fails, instead of
 * allowing just the route at hand. A caller that is not authenticated gets a policy denying all.
 *
 * <p>Deploy it with result caching off (template-rest.yaml does): REST API Gateway caches by the
 * identity sources' values for every method, and the origin and CSRF checks run only on unsafe
 * methods, so an Allow cached for a GET would be reused, unchecked, for a POST with the same
 * headers. docs/SECURITY.md and docs/OPERATIONS.md say so.
 */
public final class RestAuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> {

    /** What this function cannot run without. */
    static final Set<Requirement> REQUIRED = AuthorizerHandler.REQUIRED;

    private final RequestAuthenticator authenticator;
    private final RoutePolicy routePolicy;
    private final Clock clock;

    /** Lambda's constructor: the root from the process environment. */
    public RestAuthorizerHandler() {
        this(Components.fromEnvironment(System.getenv(), REQUIRED));
    }

    /** The handler over a root built elsewhere (tests). */
    public RestAuthorizerHandler(Components components) {
        components.require(REQUIRED);
        this.authenticator = components.authenticator();
        this.routePolicy = components.routePolicy();
        this.clock = components.clock();
    }

    @Override
    public IamPolicyResponseV1 handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        MethodArn arn = MethodArn.parse(event.getMethodArn());
        if (arn == null) {
            AuditLog.event("authorize").outcome("deny").reason("MALFORMED_METHOD_ARN").warn(context);
            return denyAll("arn:aws:execute-api:*:*:*/*/*/*", "anonymous");
        }
        RequestAuthenticator.Request request = AuthorizerRequests.from(event, arn);
        String route = request.routeKey();
        Identity identity = authenticator.authenticate(request);
        return switch (identity) {
            case Deny deny -> {
                if (deny.reason() == RequestAuthenticator.DenyReason.STORE_UNAVAILABLE
                        || deny.reason() == RequestAuthenticator.DenyReason.INTERNAL_ERROR) {
                    AuditLog.event("authorize").outcome("deny").reason(deny.code()).route(route).error(context);
                } else {
                    AuditLog.event("authorize").outcome("deny").reason(deny.code()).route(route).warn(context);
                }
                yield denyAll(arn.stagePrefix() + "*/*", "anonymous");
            }
            case Allow allow -> policyFor(allow.principal(), arn, route, context);
        };
    }

    /**
     * Allow the stage, then deny each route of the policy this principal fails. A route whose
     * roles and permissions it has but whose step-up rule it fails is denied too, unless it is the
     * route at hand: that one is allowed with a context of the challenge only and no principal, so
     * that the function answers the RFC 9470 401 (as with the HTTP API authorizer). Were the policy
     * cached after all, it would then never let this principal reach another step-up route
     * unchallenged, and a context without a principal fails closed wherever it is reused.
     */
    private IamPolicyResponseV1 policyFor(Principal principal, MethodArn arn, String routeKey, Context context) {
        Instant now = clock.instant();
        List<IamPolicyResponseV1.Statement> statements = new ArrayList<>();
        statements.add(IamPolicyResponseV1.allowStatement(arn.stagePrefix() + "*/*"));
        StepUpChallenge challenge = null;
        for (Map.Entry<String, RoutePolicy.Rule> route : routePolicy.rules().entrySet()) {
            RoutePolicy.Decision decision = route.getValue().evaluate(principal, now);
            if (decision == RoutePolicy.Decision.STEP_UP_REQUIRED && route.getKey().equals(routeKey)) {
                challenge = route.getValue().challenge();
            } else if (!decision.isAllowed()) {
                MethodArn.resourceOf(route.getKey()).ifPresent(resource ->
                        statements.add(IamPolicyResponseV1.denyStatement(arn.stagePrefix() + resource)));
            }
        }
        Map<String, String> authorizerContext = challenge == null ? AuthorizerContext.of(principal)
                : AuthorizerContext.stepUpOnly(challenge);
        if (challenge != null) {
            AuditLog.event("authorize").outcome("step_up").reason("STEP_UP_REQUIRED").route(routeKey)
                    .user(principal.username()).sid(principal.sessionId()).warn(context);
        }
        return IamPolicyResponseV1.builder()
                .withPrincipalId(principal.userId())
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder()
                        .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                        .withStatement(statements)
                        .build())
                .withContext(new LinkedHashMap<String, Object>(authorizerContext))
                .build();
    }

    private static IamPolicyResponseV1 denyAll(String resource, String principalId) {
        return IamPolicyResponseV1.builder()
                .withPrincipalId(principalId)
                .withPolicyDocument(IamPolicyResponseV1.PolicyDocument.builder()
                        .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                        .withStatement(List.of(IamPolicyResponseV1.denyStatement(resource)))
                        .build())
                .withContext(Map.of())
                .build();
    }
}
