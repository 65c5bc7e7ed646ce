package dev.authfn.auth;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.json.Json;
import dev.authfn.core.mfa.MfaStore;
import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyStore;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * What an administrator does to a user, with the rule that goes with it in one place: disabling a
 * user, replacing their password or removing their second factor ends every one of their sessions
 * (docs/SECURITY.md, "Ending sessions"). The stores only store; this class decides what a change
 * implies. Each method answers how many sessions it ended, or empty when there is no such user
 * (then nothing changed).
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
    private final MfaStore mfa;
    private final PasskeyStore passkeys;
    private final Clock clock;
    private final Consumer<String> audit;

    /**
     * @param mfa the users' second factors, kept beside {@code users}
     * @param audit receives one line per second-factor reset: a JSON object in the shape of the
     *     functions' audit events ({@code event} {@code mfa_reset}, see {@link #mfaReset})
     */
    public UserAdministration(UserStore users, SessionStore sessions, MfaStore mfa, Clock clock,
            Consumer<String> audit) {
        this(users, sessions, mfa, null, clock, audit);
    }

    /**
     * As above, with the users' passkeys, which {@link #mfaReset} removes too.
     *
     * @param passkeys null when this administration has no passkey store
     */
    public UserAdministration(UserStore users, SessionStore sessions, MfaStore mfa, PasskeyStore passkeys, Clock clock,
            Consumer<String> audit) {
        this.passkeys = passkeys;
        this.users = Objects.requireNonNull(users, "users");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.mfa = mfa;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** Without second factors: {@link #mfaReset} refuses with {@link IllegalStateException}. */
    public UserAdministration(UserStore users, SessionStore sessions, Clock clock) {
        this(users, sessions, null, clock, line -> { });
    }

    /**
     * What {@link #mfaReset} did: whether there was a TOTP factor to remove, how many passkeys were
     * removed, and how many sessions ended.
     */
    public record MfaReset(boolean factorRemoved, int passkeysRemoved, int sessionsEnded) {
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

    /**
     * Removes the user's second factors — the TOTP factor (pending or confirmed, with its recovery
     * codes) and every passkey — so that they log in with their password alone and may enrol
     * again, and ends their sessions: for a user who lost their authenticators (a password
     * session cannot remove the factors of an account that has one, docs/API.md §17.3). A user without a factor has their sessions ended all the
     * same, so calling again after a failure finishes the job. Audited: one line with {@code user},
     * {@code outcome} {@code removed} or {@code no_factor} and {@code sessions}; {@code refused}
     * with reason {@code NO_SUCH_USER}; {@code error} with {@code STORE_UNAVAILABLE} when a store
     * did not answer (the exception is rethrown; what was done stays done).
     *
     * @return empty when there is no such user (nothing changed)
     * @throws IllegalStateException when this administration has no second-factor store
     */
    public Optional<MfaReset> mfaReset(String username) {
        if (mfa == null) {
            throw new IllegalStateException("no second-factor store");
        }
        try {
            Optional<User> user = users.get(username);
            if (user.isEmpty()) {
                audit("WARN", "refused", "NO_SUCH_USER", username, null);
                return Optional.empty();
            }
            boolean removed = mfa.removeTotp(username, user.get().userId());
            int passkeysRemoved = removePasskeys(user.get());
            int ended = endAll(user.get());
            audit("INFO", removed || passkeysRemoved > 0 ? "removed" : "no_factor", null, username, ended);
            return Optional.of(new MfaReset(removed, passkeysRemoved, ended));
        } catch (StoreUnavailableException e) {
            audit("ERROR", "error", "STORE_UNAVAILABLE", username, null);
            throw e;
        }
    }

    /** One audit line; the fields are fixed, the values a canonical username, codes and a count. */
    private void audit(String level, String outcome, String reason, String username, Integer ended) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("event", "mfa_reset");
        line.put("outcome", outcome);
        if (reason != null) {
            line.put("reason", reason);
        }
        line.put("user", username);
        if (ended != null) {
            line.put("sessions", ended);
        }
        audit.accept(Json.write(line));
    }

    private int removePasskeys(User user) {
        if (passkeys == null) {
            return 0;
        }
        int removed = 0;
        for (Passkey passkey : passkeys.list(user.username(), user.userId())) {
            if (passkeys.remove(user.username(), user.userId(), passkey.credentialId())) {
                removed++;
            }
        }
        return removed;
    }

    private int endAll(User user) {
        return AllSessions.end(users, sessions, user.username(), user.userId(), clock.instant());
    }
}
