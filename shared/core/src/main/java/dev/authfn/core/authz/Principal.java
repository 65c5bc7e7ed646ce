package dev.authfn.core.authz;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * @param amr how the user authenticated (RFC 8176, {@link Amr}), from the session (cookie) or the
 *     token's {@code amr} (bearer)
 * @param authTime when the user last proved who they are; empty only when an authorizer context
 *     did not say (one written before contexts carried it), and then no {@code max_age} rule holds
 */
public record Principal(
        String userId,
        String username,
        Set<String> roles,
        Set<String> permissions,
        String sessionId,
        AuthType authType,
        List<String> amr,
        Optional<Instant> authTime) {

    public Principal {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        roles = Set.copyOf(roles);
        permissions = Set.copyOf(permissions);
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(authType, "authType");
        amr = Amr.requireValid(amr);
        Objects.requireNonNull(authTime, "authTime");
    }

    /**
     * A password principal whose authentication time is unknown: it passes no {@code mfa},
     * {@code acr} (but {@link Acr#SFA}) or {@code max_age} rule.
     */
    public Principal(String userId, String username, Set<String> roles, Set<String> permissions, String sessionId,
            AuthType authType) {
        this(userId, username, roles, permissions, sessionId, authType, Amr.PASSWORD, Optional.empty());
    }

    /** The authentication context class its {@link #amr} gives ({@link Acr#of}). */
    public String acr() {
        return Acr.of(amr);
    }
}
