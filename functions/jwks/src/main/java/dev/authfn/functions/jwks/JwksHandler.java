package dev.authfn.functions.jwks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.Components;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.keys.KeySet;
import dev.authfn.lambda.HttpRequests;
import dev.authfn.lambda.HttpResponses;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.Problem;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /.well-known/jwks.json} (the public JWT keys that may verify, active and verify-only)
 * and {@code GET /.well-known/openid-configuration} (issuer, jwks_uri, algorithms), so API
 * Gateway's JWT authorizer and other services can verify access tokens. Both are public and
 * cacheable for five minutes, the same interval at which functions re-read the key set.
 */
public final class JwksHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final Duration MAX_AGE = Duration.ofMinutes(5);

    /** What this function cannot run without. */
    static final Set<Requirement> REQUIRED = EnumSet.of(Requirement.ISSUER, Requirement.KEYS);

    private final Supplier<KeySet> keys;
    private final String issuer;

    /** Lambda's constructor: the root from the process environment, and SnapStart priming (see {@link JwksPriming}). */
    public JwksHandler() {
        this(Components.fromEnvironment(System.getenv(), REQUIRED));
        Priming.register(new JwksPriming(this));
    }

    /** The handler over a root built elsewhere (the local API, tests); nothing is primed. */
    public JwksHandler(Components components) {
        components.require(REQUIRED);
        this.keys = components.keys();
        this.issuer = components.config().issuer().orElseThrow();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return switch (HttpRequests.routeKey(event)) {
            case "GET /.well-known/jwks.json" -> HttpResponses.publicJson(200, keys.get().publicJwksJson(), MAX_AGE);
            case "GET /.well-known/openid-configuration" -> HttpResponses.publicJson(200, discovery(), MAX_AGE);
            default -> HttpResponses.problem(Problem.NOT_FOUND, "No such route.");
        };
    }

    private Map<String, Object> discovery() {
        List<String> algorithms = keys.get().verifyingJwtKeys().stream()
                .map(JwtKey::algorithmName).distinct().sorted().toList();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("jwks_uri", issuer + "/.well-known/jwks.json");
        document.put("id_token_signing_alg_values_supported", algorithms);
        document.put("token_endpoint_auth_signing_alg_values_supported", algorithms);
        document.put("subject_types_supported", List.of("public"));
        document.put("response_types_supported", List.of("token"));
        document.put("claims_supported",
                List.of("iss", "sub", "aud", "exp", "iat", "jti", "client_id", "sid", "roles", "scope", "preferred_username",
                        "amr", "auth_time", "acr"));
        return document;
    }
}
