package dev.authfn.core.user;

import java.time.Instant;
import java.util.Optional;

/**
 * Where users live, keyed by canonical username. Counter updates are atomic in the store (no
 * read-modify-write). Infrastructure failures surface as
 * {@link dev.authfn.core.StoreUnavailableException}.
 *
 * <p>Failed logins for a name that no user holds are counted too ({@link #recordUnknownFailure}),
 * so that such a name locks exactly like an account and a 429 does not reveal that an account
 * exists. That count is no user: {@link #get} never returns it, no method but
 * {@link #recordUnknownFailure} and {@link #lookup} sees it, it can never touch a user, and it
 * is forgotten at {@link LockoutPolicy#unknownNameExpiry} after its last failure.
 */
public interface UserStore {

    /** The user of that name; empty when there is none (failures counted for the name are no user). */
    Optional<User> get(String username);

    /**
     * Reads, in one strongly consistent read, what a login needs: the user, or for a name that
     * no user holds, the lock its counted failures earned (already forgotten ones, past
     * {@link LockoutPolicy#unknownNameExpiry}, count as none).
     */
    UserLookup lookup(String username, Instant now);

    /**
     * Stores a new user; false when the username is taken by a user. Failures counted for the
     * name while no user held it do not stop this and are discarded: the new user starts with
     * the counter and lock of {@code user} (normally none).
     */
    boolean create(User user);

    /** Replaces the password hash (rehash on login); false when the user does not exist. */
    boolean replacePasswordHash(String username, String passwordHash);

    /**
     * Counts one failed login atomically and locks per the policy.
     *
     * @return the user as it stands afterwards, or empty when there is no such user
     */
    Optional<User> recordFailedLogin(String username, Instant now, LockoutPolicy policy);

    /**
     * Counts one failed login for a name that no user holds, atomically and by the same policy as
     * {@link #recordFailedLogin}. Failures already forgotten (see
     * {@link LockoutPolicy#unknownNameExpiry}) count as none; each failure keeps the count until
     * {@code policy.unknownNameExpiry(now)}. Never changes or creates a user.
     *
     * @return the end of the name's lock afterwards ({@link Instant#EPOCH} when not locked), or
     *     empty when a user holds the name (then nothing is counted)
     */
    Optional<Instant> recordUnknownFailure(String username, Instant now, LockoutPolicy policy);

    /** Resets the failure count and any lock after a successful login. */
    void recordSuccessfulLogin(String username);

    /**
     * Sets the user disabled; false when there is no such user. Ending their sessions is not the
     * store's business: {@code dev.authfn.auth.UserAdministration} does both.
     */
    boolean disable(String username);
}
