package dev.authfn.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.handler.internal.ContextReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who the authfn authorizer let through: read from the event's authorizer context, never from a
 * header or a token (the authorizer verified the credential; this function trusts API Gateway's
 * context, which a caller cannot set).
 *
 * <pre>{@code
 * Optional<Principal> caller = Principal.from(event);          // APIGatewayV2HTTPEvent
 * String who = caller.map(Principal::username).orElse("nobody");
 * boolean admin = caller.filter(p -> p.hasRole("admin")).isPresent();
 * }</pre>
 *
 * <p>{@code from} is empty when the event carries no complete authfn context ({@code sub},
 * {@code username}, {@code sid} and a known {@code auth_type}): a function reached without the
 * authorizer must refuse, which {@link Require#check} does with a 401.
 *
 * @param subject     the stable user id ({@code sub})
 * @param username    the canonical username
 * @param roles       the user's roles, unmodifiable
 * @param permissions the user's permissions, unmodifiable
 * @param sessionId   the session id ({@code sid})
 * @param authType    how the request authenticated
 * @param amr         authentication methods (RFC 8176), empty when the context has none
 * @param authTime    when the user authenticated, empty when the context does not say
 */
public record Principal(String subject, String username, Set<String> roles, Set<String> permissions,
        String sessionId, AuthType authType, List<String> amr, Optional<Instant> authTime) {

    /** How the request proved its identity. */
    public enum AuthType {
        /** The session cookie (unsafe methods also carried the CSRF token). */
        COOKIE("cookie"),
        /** {@code Authorization: Bearer <access token>}, checked by the authfn Lambda authorizer. */
        BEARER("bearer"),
        /**
         * A bearer access token checked by API Gateway's built-in JWT authorizer (the native path):
         * signature, {@code iss}, {@code aud}, {@code exp} only; no session lookup, so a revoked
         * session's token passes until it expires.
         */
        JWT_AUTHORIZER("jwt");

        private final String wireName;

        AuthType(String wireName) {
            this.wireName = wireName;
        }

        /** {@code cookie}, {@code bearer} or {@code jwt}. */
        public String wireName() {
            return wireName;
        }
    }

    public Principal {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(username, "username");
        roles = Set.copyOf(roles);
        permissions = Set.copyOf(permissions);
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(authType, "authType");
        amr = List.copyOf(amr);
        Objects.requireNonNull(authTime, "authTime");
    }

    /**
     * The principal of an HTTP API (payload format 2.0) event: the authfn Lambda authorizer's
     * context under {@code requestContext.authorizer.lambda}, or, on a route behind API Gateway's
     * JWT authorizer, the verified claims under {@code requestContext.authorizer.jwt}
     * ({@code sub}, {@code preferred_username}, {@code sid}, {@code roles}, {@code scope},
     * {@code amr}, {@code auth_time}).
     */
    public static Optional<Principal> from(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext requestContext = event == null ? null : event.getRequestContext();
        if (requestContext == null || requestContext.getAuthorizer() == null) {
            return Optional.empty();
        }
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = requestContext.getAuthorizer();
        if (authorizer.getLambda() != null) {
            return ContextReader.fromLambdaContext(authorizer.getLambda());
        }
        if (authorizer.getJwt() != null && authorizer.getJwt().getClaims() != null) {
            return ContextReader.fromJwtClaims(authorizer.getJwt().getClaims());
        }
        return Optional.empty();
    }

    /** The principal of a REST API (Lambda proxy) event: the authorizer's context under {@code requestContext.authorizer}. */
    public static Optional<Principal> from(APIGatewayProxyRequestEvent event) {
        APIGatewayProxyRequestEvent.ProxyRequestContext requestContext = event == null ? null : event.getRequestContext();
        if (requestContext == null || requestContext.getAuthorizer() == null) {
            return Optional.empty();
        }
        return ContextReader.fromLambdaContext(requestContext.getAuthorizer());
    }

    /**
     * The principal of an authorizer context a stream handler has parsed itself: the map at
     * {@code requestContext.authorizer.lambda} (HTTP API) or {@code requestContext.authorizer}
     * (REST API), its keys those of {@link ContextKeys}; string or number values.
     */
    public static Optional<Principal> fromAuthorizerContext(Map<String, ?> context) {
        return context == null ? Optional.empty() : ContextReader.fromLambdaContext(context);
    }

    /** Whether the user has this role. */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Whether the user has this permission. */
    public boolean hasPermission(String permission) {
        return permissions.contains(permission);
    }

    /**
     * The authentication context class, as the authorizer derives it (its context key
     * {@link ContextKeys#ACR}): {@code urn:authfn:acr:mfa} when {@code amr} holds {@code mfa},
     * else {@code urn:authfn:acr:sfa}. authfn writes {@code mfa} whenever a session used two
     * factors, so for authfn's sessions this agrees with {@link #usedMultipleFactors()}.
     */
    public String acr() {
        return amr.contains("mfa") ? "urn:authfn:acr:mfa" : "urn:authfn:acr:sfa";
    }

    /**
     * Whether the session was established with more than one factor: {@code amr} holds
     * {@code mfa}, or two or more distinct methods (RFC 8176, section 2).
     */
    public boolean usedMultipleFactors() {
        return amr.contains("mfa") || Set.copyOf(amr).size() >= 2;
    }
}
