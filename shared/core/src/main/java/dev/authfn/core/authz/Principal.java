package dev.authfn.core.authz;

import java.util.Objects;
import java.util.Set;

/**
 * Who an authenticated request acts for, as the authorizer established it and passes to the
 * functions in its context.
 *
 * @param userId the stable user id, the access token's {@code sub}
 * @param username the canonical username
 * @param roles role names, checked any-of by {@link RoutePolicy}
 * @param permissions permission names (the token's {@code scope}), checked all-of
 * @param sessionId the public session id ({@code sid}), never the session secret
 * @param authType the credential the request presented
 */
public record Principal(
        String userId,
        String username,
        Set<String> roles,
        Set<String> permissions,
        String sessionId,
        AuthType authType) {

    public Principal {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        roles = Set.copyOf(roles);
        permissions = Set.copyOf(permissions);
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(authType, "authType");
    }
}
