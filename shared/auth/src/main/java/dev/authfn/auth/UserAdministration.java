package dev.authfn.auth;

import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStore;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an administrator does to a user, with the rule that goes with it in one place: disabling a
 * user or replacing their password ends every one of their sessions (docs/SECURITY.md, "Ending
 * sessions"). The stores only store; this class decides what a change implies. Each method answers
 * how many sessions it ended, or empty when there is no such user (then nothing changed).
 *
 * <p>Ending the sessions does not trust the sessions index alone ({@link AllSessions}): a session
 * created a moment before, or by a login that read the user before the change, ends too.
 *
 * <p>Order: the user is changed first, then the sessions are ended. If ending them fails
 * ({@link dev.authfn.core.StoreUnavailableException}), the change stands and calling again
 * finishes the job.
 */
public final class UserAdministration {

    private final UserStore users;
    private final SessionStore sessions;
    private final Clock clock;

    public UserAdministration(UserStore users, SessionStore sessions, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Disables the user and ends their sessions. */
    public OptionalInt disable(String username) {
        Optional<User> user = users.get(username);
        if (user.isEmpty() || !users.disable(username)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(endAll(user.get()));
    }

    /** Replaces the user's password hash and ends their sessions. */
    public OptionalInt replacePassword(String username, String newPasswordHash) {
        Objects.requireNonNull(newPasswordHash, "newPasswordHash");
        Optional<User> user = users.get(username);
        if (user.isEmpty() || !users.replacePasswordHash(username, newPasswordHash)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(endAll(user.get()));
    }

    /** Ends every session of the user and changes nothing else. */
    public OptionalInt endSessions(String username) {
        return users.get(username).map(user -> OptionalInt.of(endAll(user))).orElse(OptionalInt.empty());
    }

    private int endAll(User user) {
        return AllSessions.end(users, sessions, user.username(), user.userId(), clock.instant());
    }
}
