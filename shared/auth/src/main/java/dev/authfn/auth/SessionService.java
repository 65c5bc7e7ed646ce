package dev.authfn.auth;

import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.token.SessionToken;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * What an authenticated user can do with sessions: refresh the access token, log out of this
 * session or all of them, list and end their own sessions. The principal comes from the
 * authorizer; these methods still check what they touch belongs to it.
 */
public final class SessionService {

    /** The outcome of {@link #refresh}. */
    public sealed interface Refresh permits Refreshed, RefreshRefused {
    }

    /** A new access token and CSRF token for the (slid) session. {@code toString} shows neither. */
    public record Refreshed(Session session, String csrfToken, String accessToken, Duration accessTokenLifetime)
            implements Refresh {
        @Override
        public String toString() {
            return "Refreshed[sessionId=" + session.id() + "]";
        }
    }

    public record RefreshRefused(RefreshReason reason) implements Refresh {
    }

    /** Why a refresh was refused. */
    public enum RefreshReason {
        /** Refresh needs the session cookie: a bearer token cannot mint its own successor. */
        NOT_COOKIE,
        SESSION_ENDED,
        /** The user is gone or disabled; their sessions were revoked. */
        USER_INACTIVE
    }

    /** One of the user's sessions as listed. */
    public record Listed(Session session, boolean current) {
    }

    private final SessionStore sessions;
    private final UserStore users;
    private final Supplier<CredentialCodecs> codecs;
    private final SessionTimeouts timeouts;
    private final Clock clock;

    public SessionService(
            SessionStore sessions,
            UserStore users,
            Supplier<CredentialCodecs> codecs,
            SessionTimeouts timeouts,
            Clock clock) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.users = Objects.requireNonNull(users, "users");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Slides the session's idle expiry and issues a new access token carrying the user's current
     * roles and permissions, which are also written to the session: a role removed from a user
     * reaches their sessions at the latest here. The token's {@code amr} and {@code auth_time} are
     * the session's as stored at login, never upgraded or reset: a refresh proves nothing about
     * the user, so it cannot make a session pass a step-up rule it failed (docs/API.md §3.1).
     */
    public Refresh refresh(Principal principal) {
        if (principal.authType() != AuthType.COOKIE) {
            return new RefreshRefused(RefreshReason.NOT_COOKIE);
        }
        Instant now = clock.instant();
        Optional<Session> session = sessions.find(principal.sessionId(), now);
        if (session.isEmpty() || !session.get().userId().equals(principal.userId())) {
            return new RefreshRefused(RefreshReason.SESSION_ENDED);
        }
        Optional<User> user = users.get(session.get().username());
        if (user.isEmpty() || user.get().status() != UserStatus.ACTIVE
                || !user.get().userId().equals(principal.userId())) {
            AllSessions.end(users, sessions, session.get().username(), principal.userId(), now);
            return new RefreshRefused(RefreshReason.USER_INACTIVE);
        }
        User current = user.get();
        if (!current.roles().equals(session.get().roles()) || !current.permissions().equals(session.get().permissions())) {
            if (!sessions.updateGrants(principal.sessionId(), current.roles(), current.permissions(), now)) {
                return new RefreshRefused(RefreshReason.SESSION_ENDED);
            }
        }
        Optional<Session> touched = sessions.touch(session.get(), now, timeouts.idle());
        if (touched.isEmpty()) {
            return new RefreshRefused(RefreshReason.SESSION_ENDED);
        }
        CredentialCodecs codecs = this.codecs.get();
        return new Refreshed(
                touched.get(),
                codecs.csrf().issue(principal.sessionId()),
                codecs.issuer().issue(current.userId(), current.username(), principal.sessionId(),
                        current.roles(), current.permissions(), session.get().amr(), session.get().authTime()),
                codecs.issuer().lifetime());
    }

    /** Ends the principal's session. Idempotent: ending an ended session is not an error. */
    public void logout(Principal principal) {
        sessions.revoke(principal.sessionId(), principal.userId());
    }

    /**
     * Ends every session of the principal's user, those the sessions index does not show yet
     * included ({@link AllSessions}); returns how many ended, or empty when the caller's own
     * session has ended (then nothing is ended: see {@link #callerIsLive}).
     */
    public OptionalInt logoutAll(Principal principal) {
        if (!callerIsLive(principal)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(AllSessions.end(users, sessions, principal.username(), principal.userId(), clock.instant()));
    }

    /**
     * The user's live sessions, oldest first, marking the one this request came with; empty when
     * the caller's own session has ended.
     */
    public Optional<List<Listed>> list(Principal principal) {
        if (!callerIsLive(principal)) {
            return Optional.empty();
        }
        return Optional.of(sessions.listLive(principal.userId(), clock.instant()).stream()
                .sorted(Comparator.comparing(Session::createdAt))
                .map(session -> new Listed(session, session.id().equals(principal.sessionId())))
                .toList());
    }

    /** What {@link #revoke} did. */
    public enum Revocation {
        REVOKED,
        /** No such session of this user (someone else's looks the same). */
        NOT_FOUND,
        /** The caller's own session has ended: nothing was looked up or ended. */
        CALLER_SESSION_ENDED
    }

    /** Ends one of the principal's own sessions. */
    public Revocation revoke(Principal principal, String sessionId) {
        if (!callerIsLive(principal)) {
            return Revocation.CALLER_SESSION_ENDED;
        }
        if (!SessionToken.isWellFormedId(sessionId)) {
            return Revocation.NOT_FOUND;
        }
        return sessions.revoke(sessionId, principal.userId()) ? Revocation.REVOKED : Revocation.NOT_FOUND;
    }

    /**
     * Whether the session the caller's credential names is still live and the caller's. The
     * authorizer has checked it already, unless bearer tokens are stateless
     * ({@code AUTHFN_STATELESS_BEARER}): then a token outlives its session until {@code exp}, and
     * these routes, which act on sessions, must not serve a caller whose own session has ended.
     * One strongly consistent read, in every mode.
     */
    private boolean callerIsLive(Principal principal) {
        return sessions.find(principal.sessionId(), clock.instant())
                .filter(session -> session.userId().equals(principal.userId()))
                .isPresent();
    }
}
