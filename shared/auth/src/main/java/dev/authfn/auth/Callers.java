package dev.authfn.auth;

import dev.authfn.core.authz.Principal;
import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;
import java.util.Optional;

/**
 * The user behind an authorized caller, for the routes that change a user's credentials (second
 * factors, passkeys): present only while the user still exists under the caller's id and is
 * active, and the caller's own session is still live. The session is read here whatever the
 * authorizer checked: a stateless bearer token outlives its session by up to its lifetime, and
 * must not add or remove a credential, nor get a new session of full lifetime for it (as
 * {@code SessionService} refuses such a caller, and {@code AccountService.changePassword}).
 */
final class Callers {

    private Callers() {
    }

    static Optional<User> liveUser(UserStore users, SessionStore sessions, Principal caller, Instant now) {
        return live(users, sessions, caller, now).map(Live::user);
    }

    /** As {@link #liveUser}, with the caller's session as read. */
    static Optional<Live> live(UserStore users, SessionStore sessions, Principal caller, Instant now) {
        Optional<Session> session = sessions.find(caller.sessionId(), now)
                .filter(found -> found.userId().equals(caller.userId()));
        if (session.isEmpty()) {
            return Optional.empty();
        }
        return users.get(caller.username())
                .filter(user -> user.userId().equals(caller.userId()) && user.status() == UserStatus.ACTIVE)
                .map(user -> new Live(user, session.get()));
    }

    /** The caller's user and its own live session. */
    record Live(User user, Session session) {
    }

    /**
     * Ends every session of {@code user}, then gives the caller a session that continues
     * {@code previous} ({@link SessionStarter#continuing}): for a change the caller proved nothing
     * new for. Empty when the user is gone or re-created meanwhile.
     */
    static Optional<Restarted> endAllAndContinue(UserStore users, SessionStore sessions, SessionStarter starter,
            User user, Session previous, String userAgent, String sourceIp, Clock clock) {
        return endAllThen(users, sessions, user, clock,
                again -> starter.continuing(again, previous, userAgent, sourceIp, clock.instant()));
    }

    /**
     * Ends every session of {@code user} (a credential was removed: whoever holds a session it
     * made is out), then starts one for the caller with the methods and the fresh
     * {@code auth_time} of what it proved. Empty when the user is gone or re-created meanwhile.
     */
    static Optional<Restarted> endAllAndRestart(UserStore users, SessionStore sessions, SessionStarter starter, User user,
            Principal caller, String userAgent, String sourceIp, Clock clock) {
        return endAllThen(users, sessions, user, clock,
                again -> starter.start(again, caller.amr(), userAgent, sourceIp, clock.instant()));
    }

    /** Ends every session of {@code user}, then starts the caller's with {@code start} over the user read again. */
    private static Optional<Restarted> endAllThen(UserStore users, SessionStore sessions, User user, Clock clock,
            Function<User, Optional<LoginService.LoggedIn>> start) {
        int ended = AllSessions.end(users, sessions, user.username(), user.userId(), clock.instant());
        return users.get(user.username()).filter(again -> again.userId().equals(user.userId()))
                .flatMap(start)
                .map(session -> new Restarted(session, ended));
    }

    /** The caller's new session and how many sessions ended before it. */
    record Restarted(LoginService.LoggedIn session, int ended) {
    }
}
