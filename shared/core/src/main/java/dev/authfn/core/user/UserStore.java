package dev.authfn.core.user;

import java.time.Instant;
import java.util.Optional;

/**
 * Where users live, keyed by canonical username. Counter updates are atomic in the store (no
 * read-modify-write). Infrastructure failures surface as
 * {@link dev.authfn.core.StoreUnavailableException}.
 */
public interface UserStore {

    Optional<User> get(String username);

    /** Stores a new user; false when the username is taken. */
    boolean create(User user);

    /** Replaces the password hash (rehash on login); false when the user does not exist. */
    boolean replacePasswordHash(String username, String passwordHash);

    /**
     * Counts one failed login atomically and locks per the policy.
     *
     * @return the user as it stands afterwards, or empty when there is no such user
     */
    Optional<User> recordFailedLogin(String username, Instant now, LockoutPolicy policy);

    /** Resets the failure count and any lock after a successful login. */
    void recordSuccessfulLogin(String username);

    /** Sets the user disabled and revokes all of their sessions; false when there is no such user. */
    boolean disable(String username);
}
