package dev.authfn.testkit;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A session store that is down: every call throws {@link StoreUnavailableException}, as the
 * DynamoDB store does when the table is unreachable or throttled. For fail-closed tests.
 */
public final class UnavailableSessionStore implements SessionStore {

    private static StoreUnavailableException down(String operation) {
        return new StoreUnavailableException(operation + " failed: sessions table unreachable (test)", null);
    }

    @Override
    public boolean create(Session session) {
        throw down("PutItem");
    }

    @Override
    public Optional<Session> find(String sessionId, Instant now) {
        throw down("GetItem");
    }

    @Override
    public Optional<Session> touch(Session read, Instant now, Duration idleTimeout) {
        throw down("UpdateItem");
    }

    @Override
    public boolean updateGrants(String sessionId, Set<String> roles, Set<String> permissions, Instant now) {
        throw down("UpdateItem");
    }

    @Override
    public boolean revoke(String sessionId, String userId) {
        throw down("DeleteItem");
    }

    @Override
    public int revokeAll(String userId) {
        throw down("Query");
    }

    @Override
    public List<Session> listLive(String userId, Instant now) {
        throw down("Query");
    }
}
