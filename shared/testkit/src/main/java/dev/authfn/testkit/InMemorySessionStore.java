package dev.authfn.testkit;

import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The in-memory twin of the DynamoDB session store, for unit tests. Thread-safe, and the same in
 * behaviour: expired sessions stay stored (as DynamoDB keeps items until TTL gets to them) but
 * are never returned, touch writes at most once per {@link SessionStore#touchInterval} and never revives an
 * expired or revoked session. It passes {@link SessionStoreContract}.
 */
public final class InMemorySessionStore implements SessionStore {

    private final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();

    @Override
    public boolean create(Session session) {
        return sessions.putIfAbsent(session.id(), session) == null;
    }

    @Override
    public Optional<Session> find(String sessionId, Instant now) {
        return Optional.ofNullable(sessions.get(sessionId)).filter(session -> session.isLiveAt(now));
    }

    @Override
    public Optional<Session> touch(Session read, Instant now, Duration idleTimeout) {
        AtomicReference<Session> result = new AtomicReference<>();
        sessions.computeIfPresent(read.id(), (id, session) -> {
            if (!session.isLiveAt(now)) {
                return session;
            }
            Session after = now.isBefore(session.lastSeenAt().plus(SessionStore.touchInterval(idleTimeout)))
                    ? session
                    : slide(session, now, idleTimeout);
            result.set(after);
            return after;
        });
        return Optional.ofNullable(result.get());
    }

    @Override
    public boolean updateGrants(String sessionId, Set<String> roles, Set<String> permissions, Instant now) {
        AtomicBoolean updated = new AtomicBoolean();
        sessions.computeIfPresent(sessionId, (id, session) -> {
            if (!session.isLiveAt(now)) {
                return session;
            }
            updated.set(true);
            return session.withGrants(roles, permissions);
        });
        return updated.get();
    }

    @Override
    public boolean revoke(String sessionId, String userId) {
        AtomicBoolean revoked = new AtomicBoolean();
        sessions.computeIfPresent(sessionId, (id, session) -> {
            if (!session.userId().equals(userId)) {
                return session;
            }
            revoked.set(true);
            return null;
        });
        return revoked.get();
    }

    @Override
    public int revokeAll(String userId) {
        int revoked = 0;
        for (Session session : sessions.values()) {
            if (session.userId().equals(userId) && sessions.remove(session.id()) != null) {
                revoked++;
            }
        }
        return revoked;
    }

    @Override
    public List<Session> listLive(String userId, Instant now) {
        return sessions.values().stream()
                .filter(session -> session.userId().equals(userId) && session.isLiveAt(now))
                .sorted(Comparator.comparing(Session::createdAt).thenComparing(Session::id))
                .toList();
    }

    private static Session slide(Session session, Instant now, Duration idleTimeout) {
        Instant slid = now.plus(idleTimeout);
        Instant idleExpiresAt = slid.isBefore(session.absoluteExpiresAt()) ? slid : session.absoluteExpiresAt();
        return session.touchedAt(now, idleExpiresAt);
    }
}
