package dev.authfn.core.user;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A user as stored. {@code username} is canonical (see {@link Usernames}); {@code userId} is the
 * stable subject of access tokens. {@code lockedUntil} is {@link Instant#EPOCH} when not locked.
 */
public record User(
        String username,
        String userId,
        String passwordHash,
        Set<String> roles,
        Set<String> permissions,
        UserStatus status,
        int failedLogins,
        Instant lockedUntil) {

    public User {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(passwordHash, "passwordHash");
        roles = Set.copyOf(roles);
        permissions = Set.copyOf(permissions);
        Objects.requireNonNull(status, "status");
        lockedUntil = lockedUntil == null ? Instant.EPOCH : lockedUntil;
    }

    public boolean isLockedAt(Instant now) {
        return now.isBefore(lockedUntil);
    }

    @Override
    public String toString() {
        return "User[username=" + username + ", userId=" + userId + ", status=" + status
                + ", passwordHash=<redacted>]";
    }
}
