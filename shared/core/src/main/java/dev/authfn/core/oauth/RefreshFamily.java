package dev.authfn.core.oauth;

import java.time.Instant;
import java.util.LinkedHashSet;
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
 * under this id ends the family. {@code siblingHashes} are the tokens issued earlier from the
 * same previous token within its grace: each is as good as the current one until one of them
 * is used, so that of two refreshes racing with one token, the client may keep either answer.
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
        Instant expiresAt,
        Set<String> siblingHashes) {

    /** How many answers one previous token may get within its grace; more is taken for theft. */
    public static final int MAX_SIBLINGS = 5;

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
        siblingHashes = Set.copyOf(siblingHashes);
        if (siblingHashes.size() > MAX_SIBLINGS) {
            throw new IllegalArgumentException("a family keeps at most " + MAX_SIBLINGS + " siblings");
        }
    }

    /** A family with no sibling tokens: a new one, or one whose last rotation was a plain one. */
    public RefreshFamily(String familyId, String clientId, String userId, String username, String sessionId,
            Set<String> scopes, String currentHash, Optional<String> previousHash, Instant rotatedAt,
            Instant createdAt, Instant expiresAt) {
        this(familyId, clientId, userId, username, sessionId, scopes, currentHash, previousHash, rotatedAt, createdAt,
                expiresAt, Set.of());
    }

    /**
     * The family after a refresh with its current token (or a sibling) at {@code now}: the
     * presented token becomes the previous one, {@code newCurrentHash} the current one, and the
     * siblings are gone (the client chose which answer to keep).
     */
    public RefreshFamily rotated(String presentedHash, String newCurrentHash, Instant now) {
        return new RefreshFamily(familyId, clientId, userId, username, sessionId, scopes, newCurrentHash,
                Optional.of(presentedHash), now, createdAt, expiresAt, Set.of());
    }

    /**
     * The family after the previous token was presented again within its grace: a new current
     * token, the old current one kept as a sibling, the previous token and the rotation time as
     * they were (so the grace never stretches).
     */
    public RefreshFamily retried(String newCurrentHash) {
        Set<String> siblings = new LinkedHashSet<>(siblingHashes);
        siblings.add(currentHash);
        return new RefreshFamily(familyId, clientId, userId, username, sessionId, scopes, newCurrentHash,
                previousHash, rotatedAt, createdAt, expiresAt, siblings);
    }

    /** Whether another retry within the grace may be answered. */
    public boolean mayRetry() {
        return siblingHashes.size() < MAX_SIBLINGS;
    }

    @Override
    public String toString() {
        return "RefreshFamily[client=" + clientId + ", userId=" + userId + ", hashes=<redacted>]";
    }
}
