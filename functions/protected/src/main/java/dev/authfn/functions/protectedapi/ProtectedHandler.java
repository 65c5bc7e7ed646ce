package dev.authfn.functions.protectedapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.lambda.AuditLog;
import dev.authfn.lambda.AuthorizerContext;
import dev.authfn.lambda.HttpRequests;
import dev.authfn.lambda.HttpResponses;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.Problem;
import dev.authfn.lambda.RouteGuard;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Example protected routes: {@code GET /protected} (any authenticated user), {@code GET /admin}
 * (role {@code admin}), {@code POST /posts} (permission {@code posts:create}) and
 * {@code GET /protected/step-up} (a recent multi-factor login, RFC 9470 step-up: a weaker login
 * gets 401 with the {@code WWW-Authenticate} challenge, from {@link RouteGuard}). They read the
 * principal through {@link AuthorizerContext} and evaluate the route policy again (defence in
 * depth: a route wired without the authorizer, or a policy drift, still fails closed).
 */
public final class ProtectedHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** The line {@code GET /protected/step-up} adds to what {@code GET /protected} answers. */
    static final String STEP_UP_LINE = "This route needed a recent multi-factor login, and yours is one.";

    private final Clock clock;
    private final RouteGuard guard;

    /** Lambda's constructor: the configuration from the process environment, and SnapStart priming (see {@link ProtectedPriming}). */
    public ProtectedHandler() {
        this(AuthfnConfig.fromEnvironment(System.getenv(), EnumSet.noneOf(AuthfnConfig.Requirement.class)));
        Priming.register(new ProtectedPriming(this));
    }

    /**
     * The handler over a configuration read elsewhere (the local API, tests); nothing is primed.
     * Its root is the configuration alone: this function verifies no credential and reads no
     * table, so it does not build through {@code dev.authfn.auth.Components}, whose flows would
     * bring nimbus-jose-jwt into its jar (docs/ARCHITECTURE.md, "The composition root").
     */
    public ProtectedHandler(AuthfnConfig config) {
        this(config, Clock.systemUTC());
    }

    /** The handler over a configuration and a clock (tests: the age of a login is measured to it). */
    ProtectedHandler(AuthfnConfig config, Clock clock) {
        this.clock = clock;
        this.guard = new RouteGuard(config.routePolicy(), "protected", clock);
    }

    /** What a login's age is measured to; priming stamps its made-up login with it. */
    Clock clock() {
        return clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        RouteGuard.Outcome outcome = guard.check(event, context);
        if (outcome instanceof RouteGuard.Refused refused) {
            return refused.response();
        }
        Principal principal = ((RouteGuard.Allowed) outcome).principal();
        String routeKey = HttpRequests.routeKey(event);
        return switch (routeKey) {
            case "GET /protected" -> HttpResponses.json(200, whoAmI("You are authenticated.", principal));
            case "GET /admin" -> HttpResponses.json(200, whoAmI("You are an administrator.", principal));
            case "GET /protected/step-up" -> {
                Map<String, Object> body = whoAmI("You are authenticated.", principal);
                body.put("step_up", STEP_UP_LINE);
                yield HttpResponses.json(200, body);
            }
            case "POST /posts" -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("id", UUID.randomUUID().toString());
                body.put("author", principal.username());
                body.put("message", "Post created.");
                yield HttpResponses.json(201, body);
            }
            default -> HttpResponses.problem(Problem.NOT_FOUND, "No such route.");
        };
    }

    private static Map<String, Object> whoAmI(String message, Principal principal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("sub", principal.userId());
        body.put("username", principal.username());
        body.put("roles", new TreeSet<>(principal.roles()).stream().toList());
        body.put("permissions", new TreeSet<>(principal.permissions()).stream().toList());
        body.put("session_id", principal.sessionId());
        body.put("auth_type", principal.authType().wireName());
        body.put("amr", principal.amr());
        principal.authTime().ifPresent(authTime -> body.put("auth_time", authTime.toString()));
        body.put("acr", principal.acr());
        return body;
    }
}
