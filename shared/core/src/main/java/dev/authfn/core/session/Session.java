package dev.authfn.core.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A server-side session as stored. {@code secretHash} is the base64url SHA-256 of the token's
 * secret; the secret itself is never stored. A session is live only while {@code now} is before
 * both expiries, whatever the store's TTL has or has not deleted yet.
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
        String sourceIp) {

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
    }

    /** The TTL attribute: the earlier of the idle and the absolute expiry. */
    public Instant expiresAt() {
        return idleExpiresAt.isBefore(absoluteExpiresAt) ? idleExpiresAt : absoluteExpiresAt;
    }

    public boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt());
    }

    @Override
    public String toString() {
        return "Session[id=" + id + ", userId=" + userId + ", secretHash=<redacted>]";
    }
}
