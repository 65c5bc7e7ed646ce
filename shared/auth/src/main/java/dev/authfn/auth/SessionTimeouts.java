package dev.authfn.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** How long a session lives: idle (slid by activity) and absolute (from login, never extended). */
public record SessionTimeouts(Duration idle, Duration absolute) {

    public static final SessionTimeouts DEFAULT = new SessionTimeouts(Duration.ofMinutes(30), Duration.ofHours(8));

    public SessionTimeouts {
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(absolute, "absolute");
        if (idle.isNegative() || idle.isZero() || idle.compareTo(absolute) > 0) {
            throw new IllegalArgumentException("the idle timeout must be positive and at most the absolute one");
        }
    }

    /** The idle expiry of a session active at {@code now}, never past its absolute expiry. */
    public Instant idleExpiry(Instant now, Instant absoluteExpiry) {
        Instant idleExpiry = now.plus(idle);
        return idleExpiry.isBefore(absoluteExpiry) ? idleExpiry : absoluteExpiry;
    }
}
