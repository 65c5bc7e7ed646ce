package dev.authfn.core.user;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Brute-force control per account, modelled on Cognito's: consecutive failure number n, once
 * n reaches {@code freeAttempts}, locks the account for 2^(n - freeAttempts) seconds, capped at
 * {@code maxLock} — with the defaults the 5th failure locks for 1 s, the 6th for 2 s, and so on
 * (so four failures in a row cost nothing). A success resets the count. The cap keeps an
 * attacker from locking a victim out for longer than {@code maxLock} at a time.
 *
 * <p>Failures for a username that no user holds are counted and locked by the same rules, so a
 * locked name does not reveal whether an account exists (ASVS 6.3.8). Those counts are forgotten
 * at {@link #unknownNameExpiry}, which the users table also uses as the TTL of the item holding
 * them.
 */
public record LockoutPolicy(int freeAttempts, Duration maxLock) {

    public static final LockoutPolicy DEFAULT = new LockoutPolicy(5, Duration.ofMinutes(15));

    /** How much longer than {@code maxLock} the failures of an unknown username are remembered. */
    public static final Duration UNKNOWN_NAME_GRACE = Duration.ofMinutes(15);

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

    /**
     * Reserves one attempt on a count that stands at {@code failures} with {@code lockedUntil}:
     * refused while that lock lasts at {@code now}; otherwise counted as failure
     * {@code failures + 1} with the lock that count earns (or the standing, expired lock when it
     * earns none). A store applies this in one atomic conditional write, so from a count of zero
     * exactly {@code freeAttempts} attempts are reserved before the lock, and after each lock
     * expires exactly one, whatever the concurrency.
     */
    public AttemptReservation reserve(int failures, Instant lockedUntil, Instant now) {
        if (now.isBefore(lockedUntil)) {
            return new AttemptReservation.Locked(lockedUntil);
        }
        int counted = failures + 1;
        Instant lock = lockedUntil(counted, now);
        return new AttemptReservation.Reserved(counted, lock.equals(Instant.EPOCH) ? lockedUntil : lock);
    }

    /**
     * Until when the failures counted for a username that no user holds are remembered after one
     * at {@code failedAt}: {@code maxLock} plus {@link #UNKNOWN_NAME_GRACE} later, rounded up to a
     * whole second (DynamoDB TTL counts seconds). Any lock those failures earned ends before then.
     */
    public Instant unknownNameExpiry(Instant failedAt) {
        Instant expiry = failedAt.plus(maxLock).plus(UNKNOWN_NAME_GRACE);
        Instant seconds = expiry.truncatedTo(ChronoUnit.SECONDS);
        return seconds.equals(expiry) ? expiry : seconds.plusSeconds(1);
    }
}
