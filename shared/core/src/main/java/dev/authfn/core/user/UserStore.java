package dev.authfn.core.user;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Where users live, keyed by canonical username. Counter updates are atomic in the store (no
 * read-modify-write). Infrastructure failures surface as
 * {@link dev.authfn.core.StoreUnavailableException}.
 *
 * <p>Login attempts are counted before the password is checked ({@link #reserveAttempt}), so
 * that concurrent attempts cannot check more passwords than the lockout allows. Attempts on a
 * name that no user holds are counted too ({@link #reserveUnknownAttempt}), so that such a name
 * locks exactly like an account and a 429 does not reveal that an account exists. That count is
 * no user: {@link #get} never returns it, no method but {@link #reserveUnknownAttempt} and
 * {@link #lookup} sees it, it can never touch a user, and it is forgotten at
 * {@link LockoutPolicy#unknownNameExpiry} after its last failure.
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
     * the counter and lock of {@code user} (normally none). A new user has no second factor.
     *
     * @throws IllegalArgumentException when {@code user.mfaEnrolled()}: a factor is enrolled only
     *     through {@link dev.authfn.core.mfa.MfaStore}, with its secret, so that no user is ever
     *     marked enrolled without a factor the login could verify
     */
    boolean create(User user);

    /**
     * Replaces the password hash (an administrator's {@code users passwd}); false when the user
     * does not exist. Voids the user's reset tokens (their reset generation moves on).
     */
    boolean replacePasswordHash(String username, String passwordHash);

    /**
     * Replaces the password hash only while the user is still {@code read.userId()} with the hash
     * {@code read.passwordHash()}: a rehash at login and a change by the current password, so
     * neither can write over a reset or another change that happened since the read. Voids the
     * user's reset tokens. False, changing nothing, when the condition fails.
     */
    boolean replacePasswordHash(User read, String newPasswordHash);

    /**
     * Reserves a login attempt on the user before its password is checked: counts it as the next
     * consecutive failure and sets the lock that count earns, per {@link LockoutPolicy#reserve},
     * in one atomic conditional write that refuses while the user is locked at {@code now}. So
     * concurrent attempts can never reserve more than the policy allows in one lock window, and
     * a login checks a password only with a reservation in hand.
     *
     * @return {@link AttemptReservation.Reserved} with the count and lock afterwards,
     *     {@link AttemptReservation.Locked} (nothing counted) while locked, or
     *     {@link AttemptReservation.KindChanged} when no user holds the name (nothing counted)
     */
    AttemptReservation reserveAttempt(String username, Instant now, LockoutPolicy policy);

    /**
     * Reserves a login attempt on a name that no user holds, exactly as {@link #reserveAttempt}
     * does on a user, in the count kept for the name. Failures already forgotten (see
     * {@link LockoutPolicy#unknownNameExpiry}) count as none; each reservation keeps the count
     * until {@code policy.unknownNameExpiry(now)}. Never changes or creates a user.
     *
     * @return as {@link #reserveAttempt}; {@link AttemptReservation.KindChanged} when a user
     *     holds the name (then nothing is counted)
     */
    AttemptReservation reserveUnknownAttempt(String username, Instant now, LockoutPolicy policy);

    /**
     * Resets the failure count and any lock after a successful login: this gives back the
     * attempt's reservation, and with it those of concurrent attempts (a success resets).
     */
    void recordSuccessfulLogin(String username);

    /**
     * Sets the user disabled; false when there is no such user. Ending their sessions is not the
     * store's business: {@code dev.authfn.auth.UserAdministration} does both.
     */
    boolean disable(String username);

    /**
     * Records a session that a login has just created for the user, so that
     * {@link #closeSessionEpoch} finds it at once: the sessions store's by-user index is eventually
     * consistent and may not show it yet. Conditional on the user still being {@code read.userId()}
     * and still in {@code read.sessionEpoch()}, the epoch the login read: when the user's sessions
     * were ended since (a password change, a disable, a logout everywhere), nothing is recorded and
     * this is false, and the caller must end the session, whose credentials it has not handed out.
     * Registrations past {@code absoluteExpiry} are dropped, at the latest by a later registration.
     */
    boolean registerSession(User read, String sessionId, Instant absoluteExpiry, Instant now);

    /**
     * Starts ending all of the user's sessions: moves the user to the next session epoch (from now
     * on {@link #registerSession} against an earlier read fails) and, in the same atomic write,
     * takes the sessions registered in the closed epoch. The caller then ends those and every
     * session the index lists. Empty, changing nothing, when no user {@code username} has the id
     * {@code userId}.
     *
     * @return the ids registered and not yet past their absolute expiry at {@code now}
     */
    Optional<Set<String>> closeSessionEpoch(String username, String userId, Instant now);
}
