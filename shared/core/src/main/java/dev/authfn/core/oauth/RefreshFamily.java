package dev.authfn.core.oauth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One chain of rotating refresh tokens (docs/API.md §18.5): started by one code exchange that
 * granted {@code offline_access}, bound to the client and to the grant's own authfn session
 * ({@code sessionId}), whose idle and absolute expiry are the family's. Its tokens are
 * {@code <familyId>.<secret>}; the store keeps the hash of the current secret and of the one
 * before it, with when it was replaced, so that the previous token is good again for a short
 * grace after a rotation (a client that lost the response retries) and any other secret presented
 * under this id ends the family.
 */
public record RefreshFamily(
        String familyId,
        String clientId,
        String userId,
        String username,
        String sessionId,
        Set<String> scopes,
        String currentHash,
        Optional<String> previousHash,
        Instant rotatedAt,
        Instant createdAt,
        Instant expiresAt) {

    public RefreshFamily {
        if (!OAuthCredential.isWellFormed(familyId)) {
            throw new IllegalArgumentException("a family id is an OAuthCredential");
        }
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(sessionId, "sessionId");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(currentHash, "currentHash");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(rotatedAt, "rotatedAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The family after a rotation at {@code now}: {@code newPrevious} and {@code newCurrent} hashes. */
    public RefreshFamily rotated(String newPreviousHash, String newCurrentHash, Instant now) {
        return new RefreshFamily(familyId, clientId, userId, username, sessionId, scopes, newCurrentHash,
                Optional.of(newPreviousHash), now, createdAt, expiresAt);
    }

    @Override
    public String toString() {
        return "RefreshFamily[client=" + clientId + ", userId=" + userId + ", hashes=<redacted>]";
    }
}
