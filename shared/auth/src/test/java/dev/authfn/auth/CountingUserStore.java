package dev.authfn.auth;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.user.AttemptReservation;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a user store to count reads, password-hash replacements and reservations, and to fail
 * chosen writes as an unreachable store would.
 */
final class CountingUserStore implements UserStore {

    private final UserStore delegate;
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger hashReplacements = new AtomicInteger();
    private final AtomicInteger reservations = new AtomicInteger();
    private final AtomicInteger unknownReservations = new AtomicInteger();
    private final AtomicBoolean reservationsFail = new AtomicBoolean();
    private final AtomicBoolean resetsFail = new AtomicBoolean();

    CountingUserStore(UserStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Calls of {@link #get} and {@link #lookup}. */
    int reads() {
        return reads.get();
    }

    /** Calls of {@link #replacePasswordHash}. */
    int hashReplacements() {
        return hashReplacements.get();
    }

    /** Calls of {@link #reserveAttempt}. */
    int reservations() {
        return reservations.get();
    }

    /** Calls of {@link #reserveUnknownAttempt}. */
    int unknownReservations() {
        return unknownReservations.get();
    }

    /** From now on, both reservations throw {@link StoreUnavailableException} and change nothing. */
    void failReservations() {
        reservationsFail.set(true);
    }

    /** From now on, {@link #recordSuccessfulLogin} throws {@link StoreUnavailableException} and changes nothing. */
    void failResets() {
        resetsFail.set(true);
    }

    @Override
    public Optional<User> get(String username) {
        reads.incrementAndGet();
        return delegate.get(username);
    }

    @Override
    public UserLookup lookup(String username, Instant now) {
        reads.incrementAndGet();
        return delegate.lookup(username, now);
    }

    @Override
    public boolean create(User user) {
        return delegate.create(user);
    }

    @Override
    public boolean replacePasswordHash(String username, String passwordHash) {
        hashReplacements.incrementAndGet();
        return delegate.replacePasswordHash(username, passwordHash);
    }

    @Override
    public boolean replacePasswordHash(User read, String newPasswordHash) {
        hashReplacements.incrementAndGet();
        return delegate.replacePasswordHash(read, newPasswordHash);
    }

    @Override
    public AttemptReservation reserveAttempt(String username, Instant now, LockoutPolicy policy) {
        reservations.incrementAndGet();
        failIf(reservationsFail, "UpdateItem (reserve login attempt)");
        return delegate.reserveAttempt(username, now, policy);
    }

    @Override
    public AttemptReservation reserveUnknownAttempt(String username, Instant now, LockoutPolicy policy) {
        unknownReservations.incrementAndGet();
        failIf(reservationsFail, "UpdateItem (reserve unknown-name attempt)");
        return delegate.reserveUnknownAttempt(username, now, policy);
    }

    @Override
    public void recordSuccessfulLogin(String username) {
        failIf(resetsFail, "UpdateItem (reset failed logins)");
        delegate.recordSuccessfulLogin(username);
    }

    @Override
    public boolean disable(String username) {
        return delegate.disable(username);
    }

    @Override
    public boolean registerSession(User read, String sessionId, Instant absoluteExpiry, Instant now) {
        return delegate.registerSession(read, sessionId, absoluteExpiry, now);
    }

    @Override
    public Optional<Set<String>> closeSessionEpoch(String username, String userId, Instant now) {
        return delegate.closeSessionEpoch(username, userId, now);
    }

    private static void failIf(AtomicBoolean failing, String operation) {
        if (failing.get()) {
            throw new StoreUnavailableException("DynamoDB " + operation + " failed: ThrottlingException (test)", null);
        }
    }
}
