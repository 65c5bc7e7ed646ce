package dev.authfn.core.user;

import java.time.Instant;
import java.util.Objects;

/**
 * What reserving one login attempt gave ({@link UserStore#reserveAttempt},
 * {@link UserStore#reserveUnknownAttempt}). A login checks a password only with a
 * {@link Reserved} in hand, so that however many attempts run at once, no more passwords are
 * checked in one lock window than the policy lets through (see {@link LockoutPolicy#reserve}).
 */
public sealed interface AttemptReservation
        permits AttemptReservation.Reserved, AttemptReservation.Locked, AttemptReservation.KindChanged {

    /**
     * The attempt is counted, before its password is checked, as consecutive failure number
     * {@code failures}; {@code lockedUntil} is the lock that stands afterwards (one this count set,
     * or one already expired, or {@link Instant#EPOCH}). A successful login gives the reservation
     * back with {@link UserStore#recordSuccessfulLogin}; a failed one keeps it as its failure.
     */
    record Reserved(int failures, Instant lockedUntil) implements AttemptReservation {
        public Reserved {
            if (failures < 1) {
                throw new IllegalArgumentException("a reservation counts at least one failure");
            }
            Objects.requireNonNull(lockedUntil, "lockedUntil");
        }

        public boolean isLockedAt(Instant now) {
            return now.isBefore(lockedUntil);
        }
    }

    /** The name is locked until {@code lockedUntil}: nothing was counted, and no password may be checked. */
    record Locked(Instant lockedUntil) implements AttemptReservation {
        public Locked {
            Objects.requireNonNull(lockedUntil, "lockedUntil");
        }
    }

    /**
     * The name is no longer of the kind the caller read it as (a user took a name that was
     * unknown, or the user is gone); nothing was counted.
     */
    record KindChanged() implements AttemptReservation {
        public static final KindChanged INSTANCE = new KindChanged();
    }
}
