package dev.authfn.runtime.internal;

import dev.authfn.core.internal.OnFirstUse;
import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A session store that makes the real one (and with it the DynamoDB client) on its first call.
 * An authorizer that only ever sees stateless bearer tokens never calls it, and so never loads
 * the AWS SDK: about half of its cold start.
 */
public final class LazySessionStore implements SessionStore {

    private final OnFirstUse<SessionStore> store;

    public LazySessionStore(Supplier<? extends SessionStore> factory) {
        this.store = new OnFirstUse<>(factory);
    }

    /** Makes the real store now, if it is not made yet. */
    public void initialize() {
        store.get();
    }

    public boolean isInitialized() {
        return store.isMade();
    }

    @Override
    public boolean create(Session session) {
        return store.get().create(session);
    }

    @Override
    public Optional<Session> find(String sessionId, Instant now) {
        return store.get().find(sessionId, now);
    }

    @Override
    public Optional<Session> touch(String sessionId, Instant now, Duration idleTimeout) {
        return store.get().touch(sessionId, now, idleTimeout);
    }

    @Override
    public Optional<Session> touch(Session read, Instant now, Duration idleTimeout) {
        return store.get().touch(read, now, idleTimeout);
    }

    @Override
    public boolean updateGrants(String sessionId, Set<String> roles, Set<String> permissions, Instant now) {
        return store.get().updateGrants(sessionId, roles, permissions, now);
    }

    @Override
    public boolean revoke(String sessionId, String userId) {
        return store.get().revoke(sessionId, userId);
    }

    @Override
    public int revokeAll(String userId) {
        return store.get().revokeAll(userId);
    }

    @Override
    public List<Session> listLive(String userId, Instant now) {
        return store.get().listLive(userId, now);
    }
}
