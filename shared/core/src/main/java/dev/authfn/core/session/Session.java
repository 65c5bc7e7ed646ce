package dev.authfn.core.session;

import dev.authfn.core.authz.Amr;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A server-side session as stored. {@code secretHash} is the base64url SHA-256 of the token's
 * secret; the secret itself is never stored. A session is live only while {@code now} is before
 * both expiries, whatever the store's TTL has or has not deleted yet.
 *
 * <p>{@code amr} and {@code authTime} say how and when the user last proved who they are (RFC 8176
 * methods, e.g. {@code ["pwd"]} or {@code ["pwd","otp","mfa"]}; for a password login the login
 * time). They are fixed when the session starts: a refresh, a touch or a change of grants keeps
 * them, so no later request can make a session look stronger or fresher than its login was. The
 * route policy's step-up rules ({@code mfa}, {@code acr}, {@code max_age}) are decided on them.
 */
public record Session(
        String id,
        String secretHash,
        String userId,
        String username,
        Set<String> roles,
        Set<String> permissions,
        Instant createdAt,
        Instant lastSeenAt,
        Instant idleExpiresAt,
        Instant absoluteExpiresAt,
        String userAgent,
        String sourceIp,
        List<String> amr,
        Instant authTime) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        roles = Set.copyOf(roles);
        permissions = Set.copyOf(permissions);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        Objects.requireNonNull(idleExpiresAt, "idleExpiresAt");
        Objects.requireNonNull(absoluteExpiresAt, "absoluteExpiresAt");
        userAgent = userAgent == null ? "" : userAgent;
        sourceIp = sourceIp == null ? "" : sourceIp;
        amr = Amr.requireValid(amr);
        Objects.requireNonNull(authTime, "authTime");
    }

    /**
     * A password session: {@code amr} {@code ["pwd"]}, authenticated when it was created. Also
     * what a session stored before sessions recorded their authentication reads as.
     */
    public Session(String id, String secretHash, String userId, String username, Set<String> roles,
            Set<String> permissions, Instant createdAt, Instant lastSeenAt, Instant idleExpiresAt,
            Instant absoluteExpiresAt, String userAgent, String sourceIp) {
        this(id, secretHash, userId, username, roles, permissions, createdAt, lastSeenAt, idleExpiresAt,
                absoluteExpiresAt, userAgent, sourceIp, Amr.PASSWORD, createdAt);
    }

    /** The TTL attribute: the earlier of the idle and the absolute expiry. */
    public Instant expiresAt() {
        return idleExpiresAt.isBefore(absoluteExpiresAt) ? idleExpiresAt : absoluteExpiresAt;
    }

    public boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt());
    }

    /** This session with other roles and permissions; everything else, its authentication included, kept. */
    public Session withGrants(Set<String> newRoles, Set<String> newPermissions) {
        return new Session(id, secretHash, userId, username, newRoles, newPermissions, createdAt, lastSeenAt,
                idleExpiresAt, absoluteExpiresAt, userAgent, sourceIp, amr, authTime);
    }

    /** This session seen at {@code seenAt} with its idle expiry slid to {@code newIdleExpiresAt}; nothing else changes. */
    public Session touchedAt(Instant seenAt, Instant newIdleExpiresAt) {
        return new Session(id, secretHash, userId, username, roles, permissions, createdAt, seenAt,
                newIdleExpiresAt, absoluteExpiresAt, userAgent, sourceIp, amr, authTime);
    }

    @Override
    public String toString() {
        return "Session[id=" + id + ", userId=" + userId + ", secretHash=<redacted>]";
    }
}
