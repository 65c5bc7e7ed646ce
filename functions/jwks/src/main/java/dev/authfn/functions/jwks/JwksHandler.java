package dev.authfn.functions.jwks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.Components;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.keys.KeySet;
import dev.authfn.lambda.HttpRequests;
import dev.authfn.lambda.HttpResponses;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.Problem;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /.well-known/jwks.json}: the public JWT keys that may verify, active and verify-only,
 * so API Gateway's JWT authorizer and other services can verify access tokens. Public and
 * cacheable for five minutes, the same interval at which functions re-read the key set. The
 * discovery document that points to it is the OAuth function's (docs/API.md §18.8).
 */
public final class JwksHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final Duration MAX_AGE = Duration.ofMinutes(5);

    /** What this function cannot run without. */
    static final Set<Requirement> REQUIRED = EnumSet.of(Requirement.KEYS);

    private final Supplier<KeySet> keys;

    /** Lambda's constructor: the root from the process environment, and SnapStart priming (see {@link JwksPriming}). */
    public JwksHandler() {
        this(Components.fromEnvironment(System.getenv(), REQUIRED));
        Priming.register(new JwksPriming(this));
    }

    /** The handler over a root built elsewhere (the local API, tests); nothing is primed. */
    public JwksHandler(Components components) {
        components.require(REQUIRED);
        this.keys = components.keys();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return switch (HttpRequests.routeKey(event)) {
            case "GET /.well-known/jwks.json" -> HttpResponses.publicJson(200, keys.get().publicJwksJson(), MAX_AGE);
            default -> HttpResponses.problem(Problem.NOT_FOUND, "No such route.");
        };
    }
}
