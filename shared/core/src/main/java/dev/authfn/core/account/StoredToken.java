package dev.authfn.core.account;

import java.time.Instant;
import java.util.Objects;

/**
 * A mail token as stored: its hash, what it is for, whose it is, and when it stops working.
 * {@code email} is the address the mail went to (a verification proves that address and no
 * other); {@code generation} is the user's reset generation when a reset token was issued (a newer
 * reset token moves it on and so voids this one). {@code spent} is true once used.
 */
public record StoredToken(
        String hash,
        MailToken.Kind kind,
        String username,
        String userId,
        String email,
        long generation,
        Instant expiresAt,
        boolean spent) {

    public StoredToken {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
