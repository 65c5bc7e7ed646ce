package dev.authfn.core.user;

import java.time.Duration;
import java.time.Instant;

/**
 * Brute-force control per account, modelled on Cognito's: the first {@code freeAttempts}
 * failures cost nothing; failure number n after that locks the account for
 * 2^(n - freeAttempts) seconds, capped at {@code maxLock}. A success resets the count. The cap
 * keeps an attacker from locking a victim out for longer than {@code maxLock} at a time.
 */
public record LockoutPolicy(int freeAttempts, Duration maxLock) {

    public static final LockoutPolicy DEFAULT = new LockoutPolicy(5, Duration.ofMinutes(15));

    public LockoutPolicy {
        if (freeAttempts < 1) {
            throw new IllegalArgumentException("freeAttempts must be at least 1");
        }
        if (maxLock.isNegative() || maxLock.isZero()) {
            throw new IllegalArgumentException("maxLock must be positive");
        }
    }

    /** How long the account locks after its {@code failures}-th consecutive failure (zero: no lock). */
    public Duration lockAfter(int failures) {
        if (failures < freeAttempts) {
            return Duration.ZERO;
        }
        int exponent = failures - freeAttempts;
        if (exponent >= 30) {
            return maxLock;
        }
        Duration lock = Duration.ofSeconds(1L << exponent);
        return lock.compareTo(maxLock) > 0 ? maxLock : lock;
    }

    /** The lock-until instant after the {@code failures}-th failure at {@code now}. */
    public Instant lockedUntil(int failures, Instant now) {
        Duration lock = lockAfter(failures);
        return lock.isZero() ? Instant.EPOCH : now.plus(lock);
    }
}
