package dev.authfn.testkit;

import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The in-memory twin of the DynamoDB user store, for unit tests. Thread-safe (each change is one
 * atomic compute on the map), with the same lockout rules: a failure counts, the policy's lock
 * for the new count applies unless a later lock already stands, a success clears both. Disabling
 * a user revokes their sessions in the given store. It passes {@link UserStoreContract}.
 */
public final class InMemoryUserStore implements UserStore {

    private final ConcurrentMap<String, User> users = new ConcurrentHashMap<>();
    private final SessionStore sessions;

    public InMemoryUserStore(SessionStore sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    public Optional<User> get(String username) {
        return Optional.ofNullable(users.get(username));
    }

    @Override
    public boolean create(User user) {
        return users.putIfAbsent(user.username(), user) == null;
    }

    @Override
    public boolean replacePasswordHash(String username, String passwordHash) {
        return users.computeIfPresent(username, (name, user) -> copy(user, passwordHash, user.status(),
                user.failedLogins(), user.lockedUntil())) != null;
    }

    @Override
    public Optional<User> recordFailedLogin(String username, Instant now, LockoutPolicy policy) {
        return Optional.ofNullable(users.computeIfPresent(username, (name, user) -> {
            int failures = user.failedLogins() + 1;
            Instant lock = policy.lockedUntil(failures, now);
            Instant lockedUntil = lock.isAfter(user.lockedUntil()) ? lock : user.lockedUntil();
            return copy(user, user.passwordHash(), user.status(), failures, lockedUntil);
        }));
    }

    @Override
    public void recordSuccessfulLogin(String username) {
        users.computeIfPresent(username, (name, user) -> copy(user, user.passwordHash(), user.status(), 0, Instant.EPOCH));
    }

    @Override
    public boolean disable(String username) {
        User disabled = users.computeIfPresent(username, (name, user) -> copy(user, user.passwordHash(),
                UserStatus.DISABLED, user.failedLogins(), user.lockedUntil()));
        if (disabled == null) {
            return false;
        }
        sessions.revokeAll(disabled.userId());
        return true;
    }

    private static User copy(User user, String passwordHash, UserStatus status, int failedLogins, Instant lockedUntil) {
        return new User(user.username(), user.userId(), passwordHash, user.roles(), user.permissions(), status,
                failedLogins, lockedUntil);
    }
}
