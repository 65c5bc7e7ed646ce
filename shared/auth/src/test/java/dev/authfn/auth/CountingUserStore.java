package dev.authfn.auth;

import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a user store to count reads, password-hash replacements and failures of unknown names. */
final class CountingUserStore implements UserStore {

    private final UserStore delegate;
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger hashReplacements = new AtomicInteger();
    private final AtomicInteger unknownFailures = new AtomicInteger();

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

    /** Calls of {@link #recordUnknownFailure}. */
    int unknownFailures() {
        return unknownFailures.get();
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
    public Optional<User> recordFailedLogin(String username, Instant now, LockoutPolicy policy) {
        return delegate.recordFailedLogin(username, now, policy);
    }

    @Override
    public Optional<Instant> recordUnknownFailure(String username, Instant now, LockoutPolicy policy) {
        unknownFailures.incrementAndGet();
        return delegate.recordUnknownFailure(username, now, policy);
    }

    @Override
    public void recordSuccessfulLogin(String username) {
        delegate.recordSuccessfulLogin(username);
    }

    @Override
    public boolean disable(String username) {
        return delegate.disable(username);
    }
}
