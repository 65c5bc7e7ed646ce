package dev.authfn.testkit;

import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A session store whose by-user index lags, as DynamoDB's {@code userId} GSI may (it is eventually
 * consistent): {@link #listLive} and {@link #revokeAll} do not see sessions created less than
 * {@code lag} before the clock's now. Reads and writes by id go to {@code delegate} unchanged, as
 * they are strongly consistent in DynamoDB. For tests of what must not depend on the index being
 * up to date (docs/API.md §10.3).
 */
public final class LaggingIndexSessionStore implements SessionStore {

    private final SessionStore delegate;
    private final Clock clock;
    private final Duration lag;

    public LaggingIndexSessionStore(SessionStore delegate, Clock clock, Duration lag) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lag = Objects.requireNonNull(lag, "lag");
    }

    @Override
    public boolean create(Session session) {
        return delegate.create(session);
    }

    @Override
    public Optional<Session> find(String sessionId, Instant now) {
        return delegate.find(sessionId, now);
    }

    @Override
    public Optional<Session> touch(Session read, Instant now, Duration idleTimeout) {
        return delegate.touch(read, now, idleTimeout);
    }

    @Override
    public boolean updateGrants(String sessionId, Set<String> roles, Set<String> permissions, Instant now) {
        return delegate.updateGrants(sessionId, roles, permissions, now);
    }

    @Override
    public boolean revoke(String sessionId, String userId) {
        return delegate.revoke(sessionId, userId);
    }

    /** Revokes, one by one, the live sessions the lagging index shows. */
    @Override
    public int revokeAll(String userId) {
        int revoked = 0;
        for (Session session : listLive(userId, clock.instant())) {
            if (delegate.revoke(session.id(), userId)) {
                revoked++;
            }
        }
        return revoked;
    }

    @Override
    public List<Session> listLive(String userId, Instant now) {
        Instant indexedBefore = clock.instant().minus(lag);
        return delegate.listLive(userId, now).stream()
                .filter(session -> !session.createdAt().isAfter(indexedBefore))
                .toList();
    }
}
