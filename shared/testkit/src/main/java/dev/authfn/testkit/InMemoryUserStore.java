package dev.authfn.testkit;

import dev.authfn.core.user.AttemptReservation;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The in-memory twin of the DynamoDB user store, for unit tests. Thread-safe (each change is one
 * atomic compute on the map), with the same lockout rules: an attempt is reserved
 * ({@link LockoutPolicy#reserve}: refused while locked, else counted with the lock its count
 * earns) in the same compute that reads the count, a success clears both. Failures
 * for unknown names are kept beside the users under the same key, as the users table keeps its
 * phantom items, and expire by the clock the caller passes. It passes {@link UserStoreContract}.
 */
public final class InMemoryUserStore implements UserStore {

    /** What one username holds: a user, or the failures counted while no user held it. */
    private sealed interface Entry permits Stored, Phantom {
    }

    private record Stored(User user) implements Entry {
    }

    private record Phantom(int failedLogins, Instant lockedUntil, Instant expiresAt) implements Entry {
        /** What a name that never failed, or whose failures are forgotten, counts as. */
        static final Phantom NONE = new Phantom(0, Instant.EPOCH, Instant.EPOCH);

        boolean liveAt(Instant now) {
            return now.isBefore(expiresAt);
        }
    }

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public Optional<User> get(String username) {
        return entries.get(username) instanceof Stored stored ? Optional.of(stored.user()) : Optional.empty();
    }

    @Override
    public UserLookup lookup(String username, Instant now) {
        return switch (entries.get(username)) {
            case Stored stored -> new UserLookup.Found(stored.user());
            case Phantom phantom when phantom.liveAt(now) -> new UserLookup.Unknown(phantom.lockedUntil());
            case null, default -> UserLookup.Unknown.NEVER_FAILED;
        };
    }

    @Override
    public boolean create(User user) {
        Stored created = new Stored(user);
        return entries.compute(user.username(), (name, old) -> old instanceof Stored ? old : created) == created;
    }

    @Override
    public boolean replacePasswordHash(String username, String passwordHash) {
        return updateUser(username, user -> copy(user, passwordHash, user.status(),
                user.failedLogins(), user.lockedUntil())).isPresent();
    }

    @Override
    public AttemptReservation reserveAttempt(String username, Instant now, LockoutPolicy policy) {
        AtomicReference<AttemptReservation> result = new AtomicReference<>(AttemptReservation.KindChanged.INSTANCE);
        entries.computeIfPresent(username, (name, old) -> {
            if (!(old instanceof Stored stored)) {
                return old;
            }
            User user = stored.user();
            AttemptReservation reservation = policy.reserve(user.failedLogins(), user.lockedUntil(), now);
            result.set(reservation);
            return reservation instanceof AttemptReservation.Reserved reserved
                    ? new Stored(copy(user, user.passwordHash(), user.status(), reserved.failures(), reserved.lockedUntil()))
                    : old;
        });
        return result.get();
    }

    @Override
    public AttemptReservation reserveUnknownAttempt(String username, Instant now, LockoutPolicy policy) {
        AtomicReference<AttemptReservation> result = new AtomicReference<>(AttemptReservation.KindChanged.INSTANCE);
        entries.compute(username, (name, old) -> {
            if (old instanceof Stored) {
                return old;
            }
            Phantom live = old instanceof Phantom phantom && phantom.liveAt(now) ? phantom : Phantom.NONE;
            AttemptReservation reservation = policy.reserve(live.failedLogins(), live.lockedUntil(), now);
            result.set(reservation);
            return reservation instanceof AttemptReservation.Reserved reserved
                    ? new Phantom(reserved.failures(), reserved.lockedUntil(), policy.unknownNameExpiry(now))
                    : old;
        });
        return result.get();
    }

    @Override
    public void recordSuccessfulLogin(String username) {
        updateUser(username, user -> copy(user, user.passwordHash(), user.status(), 0, Instant.EPOCH));
    }

    @Override
    public boolean disable(String username) {
        return updateUser(username, user -> copy(user, user.passwordHash(),
                UserStatus.DISABLED, user.failedLogins(), user.lockedUntil())).isPresent();
    }

    /** Changes the user of that name atomically; empty, changing nothing, when no user holds it. */
    private Optional<User> updateUser(String username, UnaryOperator<User> change) {
        Entry after = entries.computeIfPresent(username,
                (name, old) -> old instanceof Stored stored ? new Stored(change.apply(stored.user())) : old);
        return after instanceof Stored stored ? Optional.of(stored.user()) : Optional.empty();
    }

    private static User copy(User user, String passwordHash, UserStatus status, int failedLogins, Instant lockedUntil) {
        return new User(user.username(), user.userId(), passwordHash, user.roles(), user.permissions(), status,
                failedLogins, lockedUntil);
    }
}
