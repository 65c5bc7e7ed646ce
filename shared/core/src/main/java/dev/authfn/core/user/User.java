package dev.authfn.core.user;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A user as stored. {@code username} is canonical (see {@link Usernames}); {@code userId} is the
 * stable subject of access tokens. {@code lockedUntil} is {@link Instant#EPOCH} when not locked.
 * {@code sessionEpoch} counts how often all of the user's sessions were ended (0 for a new user):
 * a login registers its session against the epoch it read ({@link UserStore#registerSession}), so
 * a login that read the user before their sessions were ended cannot start one that survives.
 * {@code email} is the normalised address ({@link dev.authfn.core.account.Emails}), empty when the
 * user has none (users added before addresses existed); {@code emailVerified} says whether its
 * owner proved it (users the admin CLI adds count as verified). {@code mfaEnrolled} says that the
 * user has a confirmed second factor ({@link dev.authfn.core.mfa.MfaStore}): the login reads it
 * from the one read it already makes ({@link UserStore#lookup}) to decide whether to ask for it. Only the
 * second-factor store sets or clears it, together with the factor, so a user is never marked
 * without a factor to verify; {@link UserStore#create} refuses a user that claims one.
 */
public record User(
        String username,
        String userId,
        String passwordHash,
        Set<String> roles,
        Set<String> permissions,
        UserStatus status,
        int failedLogins,
        Instant lockedUntil,
        long sessionEpoch,
        String email,
        boolean emailVerified,
        boolean mfaEnrolled) {

    public User {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(passwordHash, "passwordHash");
        roles = Set.copyOf(roles);
        permissions = Set.copyOf(permissions);
        Objects.requireNonNull(status, "status");
        lockedUntil = lockedUntil == null ? Instant.EPOCH : lockedUntil;
        if (sessionEpoch < 0) {
            throw new IllegalArgumentException("sessionEpoch must not be negative");
        }
        email = email == null ? "" : email;
    }

    /** A user without a second factor: every user until they confirm one. */
    public User(String username, String userId, String passwordHash, Set<String> roles, Set<String> permissions,
            UserStatus status, int failedLogins, Instant lockedUntil, long sessionEpoch, String email,
            boolean emailVerified) {
        this(username, userId, passwordHash, roles, permissions, status, failedLogins, lockedUntil, sessionEpoch,
                email, emailVerified, false);
    }

    /** A user with no email address (so nothing to verify: counts as verified). */
    public User(String username, String userId, String passwordHash, Set<String> roles, Set<String> permissions,
            UserStatus status, int failedLogins, Instant lockedUntil, long sessionEpoch) {
        this(username, userId, passwordHash, roles, permissions, status, failedLogins, lockedUntil, sessionEpoch,
                "", true);
    }

    /** Whether the user has an email address. */
    public boolean hasEmail() {
        return !email.isEmpty();
    }

    /** A user whose sessions were never all ended (session epoch 0), with no email address. */
    public User(String username, String userId, String passwordHash, Set<String> roles, Set<String> permissions,
            UserStatus status, int failedLogins, Instant lockedUntil) {
        this(username, userId, passwordHash, roles, permissions, status, failedLogins, lockedUntil, 0);
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
