package dev.authfn.auth;

import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a session store to count what is asked of it, and can be told to fail every call, to
 * show which paths never reach the store and how outages are handled.
 */
final class CountingSessionStore implements SessionStore {

    private final SessionStore delegate;
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger touches = new AtomicInteger();
    private volatile RuntimeException failure;
    private volatile Runnable beforeTouch = () -> { };

    CountingSessionStore(SessionStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Every later call throws {@code failure}. */
    void failWith(RuntimeException failure) {
        this.failure = failure;
    }

    /** Runs {@code action} at the start of every later {@link #touch}, e.g. to race it or make it fail. */
    void beforeTouch(Runnable action) {
        this.beforeTouch = Objects.requireNonNull(action, "action");
    }

    /** Calls of {@link #find} and {@link #listLive}. */
    int reads() {
        return reads.get();
    }

    /** Calls of {@link #touch}. */
    int touches() {
        return touches.get();
    }

    private void maybeFail() {
        RuntimeException current = failure;
        if (current != null) {
            throw current;
        }
    }

    @Override
    public boolean create(Session session) {
        maybeFail();
        return delegate.create(session);
    }

    @Override
    public Optional<Session> find(String sessionId, Instant now) {
        reads.incrementAndGet();
        maybeFail();
        return delegate.find(sessionId, now);
    }

    @Override
    public Optional<Session> touch(Session read, Instant now, Duration idleTimeout) {
        touches.incrementAndGet();
        maybeFail();
        beforeTouch.run();
        return delegate.touch(read, now, idleTimeout);
    }

    @Override
    public boolean updateGrants(String sessionId, Set<String> roles, Set<String> permissions, Instant now) {
        maybeFail();
        return delegate.updateGrants(sessionId, roles, permissions, now);
    }

    @Override
    public boolean revoke(String sessionId, String userId) {
        maybeFail();
        return delegate.revoke(sessionId, userId);
    }

    @Override
    public int revokeAll(String userId) {
        maybeFail();
        return delegate.revokeAll(userId);
    }

    @Override
    public List<Session> listLive(String userId, Instant now) {
        reads.incrementAndGet();
        maybeFail();
        return delegate.listLive(userId, now);
    }
}
