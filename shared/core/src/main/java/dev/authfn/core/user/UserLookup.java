package dev.authfn.core.user;

import java.time.Instant;
import java.util.Objects;

/**
 * What a login finds under a canonical username, in one read: the user, or, for a name no user
 * holds, the lock that failed logins for that name earned (see
 * {@link UserStore#reserveUnknownAttempt}).
 */
public sealed interface UserLookup permits UserLookup.Found, UserLookup.Unknown {

    /** A user holds the name. */
    record Found(User user) implements UserLookup {
        public Found {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * No user holds the name; {@code lockedUntil} is the end of the lock its counted failures
     * earned, {@link Instant#EPOCH} when there is none or they have been forgotten.
     */
    record Unknown(Instant lockedUntil) implements UserLookup {
        public static final Unknown NEVER_FAILED = new Unknown(Instant.EPOCH);

        public Unknown {
            Objects.requireNonNull(lockedUntil, "lockedUntil");
        }

        public boolean isLockedAt(Instant now) {
            return now.isBefore(lockedUntil);
        }
    }
}
