package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The one place that writes the authorizer's context and reads it back in the functions. HTTP API
 * context values must be strings, numbers or booleans, so roles and permissions travel
 * space-separated (neither may contain whitespace).
 */
public final class AuthorizerContext {

    public static final String SUB = "sub";
    public static final String USERNAME = "username";
    public static final String ROLES = "roles";
    public static final String PERMISSIONS = "permissions";
    public static final String SID = "sid";
    public static final String AUTH_TYPE = "auth_type";

    private AuthorizerContext() {
    }

    /** The context an allowing authorizer returns. */
    public static Map<String, String> of(Principal principal) {
        Map<String, String> context = new LinkedHashMap<>();
        context.put(SUB, principal.userId());
        context.put(USERNAME, principal.username());
        context.put(ROLES, join(principal.roles()));
        context.put(PERMISSIONS, join(principal.permissions()));
        context.put(SID, principal.sessionId());
        context.put(AUTH_TYPE, principal.authType().wireName());
        return context;
    }

    /**
     * The principal the authorizer established for this request, or empty when the event carries
     * no complete authorizer context (a function reached without the authorizer must refuse).
     */
    public static Optional<Principal> principal(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext requestContext = event.getRequestContext();
        if (requestContext == null || requestContext.getAuthorizer() == null
                || requestContext.getAuthorizer().getLambda() == null) {
            return Optional.empty();
        }
        Map<String, Object> lambda = requestContext.getAuthorizer().getLambda();
        String sub = string(lambda, SUB);
        String username = string(lambda, USERNAME);
        String sid = string(lambda, SID);
        String authType = string(lambda, AUTH_TYPE);
        if (sub == null || username == null || sid == null || authType == null) {
            return Optional.empty();
        }
        AuthType type;
        try {
            type = AuthType.fromWireName(authType);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new Principal(sub, username, split(string(lambda, ROLES)),
                split(string(lambda, PERMISSIONS)), sid, type));
    }

    private static String string(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value instanceof String s && !s.isEmpty() ? s : (key.equals(ROLES) || key.equals(PERMISSIONS) ? "" : null);
    }

    private static String join(Set<String> values) {
        return String.join(" ", new TreeSet<>(values));
    }

    private static Set<String> split(String joined) {
        if (joined == null || joined.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(joined.trim().split(" +")).collect(Collectors.toUnmodifiableSet());
    }
}
