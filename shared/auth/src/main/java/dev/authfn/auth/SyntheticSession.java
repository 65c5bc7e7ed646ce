package dev.authfn.auth;

import dev.authfn.core.Stores;
import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.token.SessionToken;
import dev.authfn.core.user.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A made-up user's session and its credentials, for SnapStart priming: the functions run their
 * hot paths with these before the snapshot is taken, so classes are loaded and code compiled
 * without any real user's data and without a network call.
 *
 * <p>The cookie and access token are minted with the function's own keys for user
 * {@value #USER_ID}, who has no roles and no permissions and exists nowhere. The session lives
 * only in {@link #store()}, which knows this one session and writes nothing; the table never
 * sees it, so the cookie is refused anywhere else. The access token expires with the configured
 * lifetime (minutes after the snapshot, long before any restore) and never leaves the process.
 */
public final class SyntheticSession {

    public static final String USER_ID = "snapstart-priming";
    public static final String USERNAME = "snapstart-priming";

    private static final SessionToken TOKEN = new SessionToken(
            "A".repeat(SessionToken.ID_LENGTH), "A".repeat(SessionToken.SECRET_LENGTH));

    private final Session session;
    private final String sessionCookie;
    private final String accessToken;

    private SyntheticSession(Session session, String sessionCookie, String accessToken) {
        this.session = session;
        this.sessionCookie = sessionCookie;
        this.accessToken = accessToken;
    }

    /** Mints the session, cookie and token at {@code now} with {@code codecs}. */
    public static SyntheticSession mint(CredentialCodecs codecs, SessionTimeouts timeouts, Instant now) {
        Instant absoluteExpiry = now.plus(timeouts.absolute());
        Session session = new Session(TOKEN.id(), TOKEN.secretHash(), USER_ID, USERNAME, Set.of(), Set.of(),
                now, now, timeouts.idleExpiry(now, absoluteExpiry), absoluteExpiry, "snapstart-priming", "127.0.0.1");
        return new SyntheticSession(session, codecs.cookies().sign(TOKEN, now),
                codecs.issuer().issue(USER_ID, USERNAME, session.id(), Set.of(), Set.of(), session.amr(),
                        session.authTime()));
    }

    /** The session cookie's value (without its name). */
    public String sessionCookie() {
        return sessionCookie;
    }

    public String accessToken() {
        return accessToken;
    }

    public Session session() {
        return session;
    }

    /** Stores with {@link #store()} for sessions and no users. */
    public Stores stores() {
        SessionStore sessions = store();
        return new Stores() {
            @Override
            public SessionStore sessions() {
                return sessions;
            }

            @Override
            public UserStore users() {
                throw new IllegalStateException("priming reads no user");
            }
        };
    }

    /** A store holding this session only: it finds and touches it, and changes nothing. */
    public SessionStore store() {
        return new SessionStore() {
            @Override
            public boolean create(Session other) {
                return false;
            }

            @Override
            public Optional<Session> find(String sessionId, Instant now) {
                return Optional.of(session).filter(s -> s.id().equals(sessionId) && s.isLiveAt(now));
            }

            @Override
            public Optional<Session> touch(Session read, Instant now, Duration idleTimeout) {
                return find(read.id(), now);
            }

            @Override
            public boolean updateGrants(String sessionId, Set<String> roles, Set<String> permissions, Instant now) {
                return false;
            }

            @Override
            public boolean revoke(String sessionId, String userId) {
                return false;
            }

            @Override
            public int revokeAll(String userId) {
                return 0;
            }

            @Override
            public List<Session> listLive(String userId, Instant now) {
                return Objects.equals(userId, USER_ID) && session.isLiveAt(now) ? List.of(session) : List.of();
            }
        };
    }
}
