package dev.authfn.testkit;

import dev.authfn.core.account.AccountStore;
import dev.authfn.core.account.MailToken;
import dev.authfn.core.account.Registration;
import dev.authfn.core.account.StoredToken;
import dev.authfn.core.mfa.MfaStore;
import java.time.temporal.ChronoUnit;

import dev.authfn.core.user.AttemptReservation;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The in-memory twin of the DynamoDB user store, for unit tests. Thread-safe (each change is one
 * atomic compute on the map), with the same lockout rules: an attempt is reserved
 * ({@link LockoutPolicy#reserve}: refused while locked, else counted with the lock its count
 * earns) in the same compute that reads the count, a success clears both. Failures
 * for unknown names are kept beside the users under the same key, as the users table keeps its
 * phantom items, and expire by the clock the caller passes. Each user keeps the sessions
 * registered in its current session epoch, as the users table does, and its second factor, as the
 * users table keeps it on the user's item ({@link #mfa()}); its passkeys are kept beside it
 * ({@link #passkeys()}). It passes {@link UserStoreContract}.
 */
public final class InMemoryUserStore implements UserStore {

    /** What one username holds: a user, or the failures counted while no user held it. */
    private sealed interface Entry permits Stored, Phantom {
    }

    /**
     * A user, the sessions registered in its current session epoch (by id, with their absolute
     * expiry) and its TOTP factor (null: none). The user's enrolled mark follows the factor, as
     * the users table's {@code mfa} attribute does, whatever the user copied in says.
     */
    private record Stored(User user, Map<String, Instant> registered, InMemoryMfaStore.Factor totp) implements Entry {
        Stored {
            registered = Map.copyOf(registered);
            boolean enrolled = totp != null && totp.confirmed();
            if (user.mfaEnrolled() != enrolled) {
                user = new User(user.username(), user.userId(), user.passwordHash(), user.roles(), user.permissions(),
                        user.status(), user.failedLogins(), user.lockedUntil(), user.sessionEpoch(), user.email(),
                        user.emailVerified(), enrolled);
            }
        }

        Stored(User user) {
            this(user, Map.of(), null);
        }

        Stored with(User changed) {
            return new Stored(changed, registered, totp);
        }

        Stored with(Map<String, Instant> changed) {
            return new Stored(user, changed, totp);
        }
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
        if (user.mfaEnrolled()) {
            throw new IllegalArgumentException("a new user has no second factor: enrol one through the MFA store");
        }
        Stored created = new Stored(user);
        return entries.compute(user.username(), (name, old) -> old instanceof Stored ? old : created) == created;
    }

    @Override
    public boolean replacePasswordHash(String username, String passwordHash) {
        boolean replaced = updateUser(username, user -> copy(user, passwordHash, user.status(),
                user.failedLogins(), user.lockedUntil())).isPresent();
        if (replaced) {
            accounts.voidResetTokens(username);
        }
        return replaced;
    }

    @Override
    public boolean replacePasswordHash(User read, String newPasswordHash) {
        AtomicBoolean replaced = new AtomicBoolean();
        entries.computeIfPresent(read.username(), (name, old) -> {
            if (old instanceof Stored stored && stored.user().userId().equals(read.userId())
                    && stored.user().passwordHash().equals(read.passwordHash())) {
                replaced.set(true);
                User user = stored.user();
                return stored.with(copy(user, newPasswordHash, user.status(), user.failedLogins(), user.lockedUntil()));
            }
            return old;
        });
        if (replaced.get()) {
            accounts.voidResetTokens(read.username());
        }
        return replaced.get();
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
                    ? stored.with(copy(user, user.passwordHash(), user.status(), reserved.failures(), reserved.lockedUntil()))
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

    @Override
    public boolean registerSession(User read, String sessionId, Instant absoluteExpiry, Instant now) {
        AtomicBoolean registered = new AtomicBoolean();
        entries.computeIfPresent(read.username(), (name, old) -> {
            if (!(old instanceof Stored stored) || !stored.user().userId().equals(read.userId())
                    || stored.user().sessionEpoch() != read.sessionEpoch()) {
                return old;
            }
            Map<String, Instant> sessions = new HashMap<>(unexpired(stored.registered(), now));
            sessions.put(sessionId, absoluteExpiry);
            registered.set(true);
            return stored.with(sessions);
        });
        return registered.get();
    }

    @Override
    public Optional<Set<String>> closeSessionEpoch(String username, String userId, Instant now) {
        AtomicReference<Set<String>> closed = new AtomicReference<>();
        entries.computeIfPresent(username, (name, old) -> {
            if (!(old instanceof Stored stored) || !stored.user().userId().equals(userId)) {
                return old;
            }
            closed.set(Set.copyOf(unexpired(stored.registered(), now).keySet()));
            User user = stored.user();
            return new Stored(new User(user.username(), user.userId(), user.passwordHash(), user.roles(),
                    user.permissions(), user.status(), user.failedLogins(), user.lockedUntil(), user.sessionEpoch() + 1,
                    user.email(), user.emailVerified()), Map.of(), stored.totp());
        });
        return Optional.ofNullable(closed.get());
    }

    /**
     * Removes the user of that name and nothing else (an address claim stays, as the users
     * table's claim item would): for contract tests of accounts re-created under a name.
     */
    void remove(String username) {
        entries.computeIfPresent(username, (name, old) -> old instanceof Stored ? null : old);
    }

    private static Map<String, Instant> unexpired(Map<String, Instant> registered, Instant now) {
        Map<String, Instant> live = new HashMap<>(registered);
        live.values().removeIf(absoluteExpiry -> !now.isBefore(absoluteExpiry));
        return live;
    }

    /** Changes the user of that name atomically; empty, changing nothing, when no user holds it. */
    private Optional<User> updateUser(String username, UnaryOperator<User> change) {
        Entry after = entries.computeIfPresent(username, (name, old) -> old instanceof Stored stored
                ? stored.with(change.apply(stored.user())) : old);
        return after instanceof Stored stored ? Optional.of(stored.user()) : Optional.empty();
    }

    private static User copy(User user, String passwordHash, UserStatus status, int failedLogins, Instant lockedUntil) {
        return new User(user.username(), user.userId(), passwordHash, user.roles(), user.permissions(), status,
                failedLogins, lockedUntil, user.sessionEpoch(), user.email(), user.emailVerified());
    }

    private final Accounts accounts = new Accounts();
    private final InMemoryMfaStore mfa = new InMemoryMfaStore(this);
    private final InMemoryPasskeyStore passkeys = new InMemoryPasskeyStore(this);
    private final InMemoryOAuthStore oauth = new InMemoryOAuthStore();

    /**
     * The second factors of these users, kept with each user as the users table keeps them on the
     * user's item: removing or re-creating a user removes its factor, and nothing but this store
     * changes a factor.
     */
    public InMemoryMfaStore mfa() {
        return mfa;
    }

    /**
     * The passkeys of these users and their ceremonies' challenges: each change that concerns a
     * user is made while it is the user it names, in one atomic step on the user's entry, as the
     * users table conditions it on the user's item.
     */
    public InMemoryPasskeyStore passkeys() {
        return passkeys;
    }

    /** The OAuth clients, codes and refresh-token families kept in these users' table. */
    public InMemoryOAuthStore oauth() {
        return oauth;
    }

    /**
     * For {@link InMemoryPasskeyStore}: runs {@code action} while the user {@code username} has the
     * id {@code userId}, inside the one atomic step on the user's entry (so no removal, re-creation
     * or other such step on that name comes between), and changes nothing of the user; {@code noUser}
     * when no such user. {@code action} must not touch this store.
     */
    <T> T whileUser(String username, String userId, T noUser, Supplier<T> action) {
        Objects.requireNonNull(userId, "userId");
        AtomicReference<T> result = new AtomicReference<>(noUser);
        entries.computeIfPresent(username, (name, old) -> {
            if (old instanceof Stored stored && stored.user().userId().equals(userId)) {
                result.set(action.get());
            }
            return old;
        });
        return result.get();
    }

    /** The factor of the user of that name, for {@link InMemoryMfaStore}; empty when none or no such user. */
    Optional<MfaStore.TotpFactor> factorOf(String username) {
        return entries.get(username) instanceof Stored stored && stored.totp() != null
                ? Optional.of(stored.totp().view(stored.user().userId())) : Optional.empty();
    }

    /**
     * For {@link InMemoryMfaStore}: applies {@code change} to the factor (null: none) of the user
     * {@code username} while it has the id {@code userId}, in one atomic step on the user's entry,
     * and stores the factor it gives unless it refuses; {@code noUser} when no such user.
     */
    <T> T changeFactor(String username, String userId, T noUser, Function<InMemoryMfaStore.Factor,
            InMemoryMfaStore.Change<T>> change) {
        AtomicReference<T> result = new AtomicReference<>(noUser);
        entries.computeIfPresent(username, (name, old) -> {
            if (!(old instanceof Stored stored) || !stored.user().userId().equals(userId)) {
                return old;
            }
            InMemoryMfaStore.Change<T> changed = change.apply(stored.totp());
            result.set(changed.result());
            return changed.written() ? new Stored(stored.user(), stored.registered(), changed.factor()) : old;
        });
        return result.get();
    }

    /**
     * The account store over these users, as the users table keeps claims, tokens and counts
     * beside its users; each change is atomic under one lock (the twin is for tests, not speed).
     */
    public AccountStore accounts() {
        return accounts;
    }

    private final class Accounts implements AccountStore {
        private final Map<String, String> claims = new HashMap<>();
        private final Map<String, StoredToken> tokens = new HashMap<>();
        private final Map<String, Long> resetGenerations = new HashMap<>();
        private final Map<String, Integer> mailCounts = new HashMap<>();

        synchronized void voidResetTokens(String username) {
            resetGenerations.merge(username, 1L, Long::sum);
        }

        @Override
        public synchronized Registration register(User user, Instant standInExpiry) {
            if (!user.hasEmail()) {
                throw new IllegalArgumentException("a registered user needs an address");
            }
            if (user.mfaEnrolled()) {
                throw new IllegalArgumentException("a new user has no second factor: enrol one through the MFA store");
            }
            if (entries.get(user.username()) instanceof Stored) {
                return Registration.USERNAME_TAKEN;
            }
            if (claims.containsKey(user.email())) {
                // The twin keeps no TTL: the stand-in stays until the test ends.
                User standIn = new User(user.username(), user.userId(), user.passwordHash(), user.roles(),
                        user.permissions(), user.status(), 0, Instant.EPOCH, 0, "", false);
                return create(standIn) ? Registration.EMAIL_TAKEN : Registration.USERNAME_TAKEN;
            }
            if (!create(user)) {
                return Registration.USERNAME_TAKEN;
            }
            claims.put(user.email(), user.username());
            return Registration.CREATED;
        }

        @Override
        public synchronized Optional<User> findByEmail(String email) {
            String owner = claims.get(email);
            return owner == null ? Optional.empty() : get(owner).filter(user -> email.equals(user.email()));
        }

        @Override
        public synchronized boolean issue(StoredToken token) {
            Optional<User> user = get(token.username());
            if (user.isEmpty() || !user.get().userId().equals(token.userId()) || tokens.containsKey(token.hash())) {
                return false;
            }
            long generation = token.generation();
            if (token.kind() == MailToken.Kind.RESET_PASSWORD) {
                generation = resetGenerations.merge(token.username(), 1L, Long::sum);
            }
            tokens.put(token.hash(), new StoredToken(token.hash(), token.kind(), token.username(), token.userId(),
                    token.email(), generation, token.expiresAt(), false));
            return true;
        }

        @Override
        public synchronized Optional<StoredToken> token(String hash) {
            return Optional.ofNullable(tokens.get(hash));
        }

        @Override
        public synchronized boolean verifyEmail(StoredToken token, Instant now) {
            Optional<User> user = get(token.username());
            if (token.kind() != MailToken.Kind.VERIFY_EMAIL || !spendable(token, now) || user.isEmpty() || !user.get().userId().equals(token.userId())
                    || !user.get().email().equals(token.email())) {
                return false;
            }
            spend(token);
            updateUser(token.username(), u -> new User(u.username(), u.userId(), u.passwordHash(), u.roles(),
                    u.permissions(), u.status(), u.failedLogins(), u.lockedUntil(), u.sessionEpoch(), u.email(), true));
            return true;
        }

        @Override
        public synchronized boolean resetPassword(StoredToken token, String newPasswordHash, Instant now) {
            Optional<User> user = get(token.username());
            if (token.kind() != MailToken.Kind.RESET_PASSWORD || !spendable(token, now) || user.isEmpty() || !user.get().userId().equals(token.userId())
                    || !user.get().email().equals(token.email())
                    || resetGenerations.getOrDefault(token.username(), 0L) != token.generation()) {
                return false;
            }
            spend(token);
            resetGenerations.put(token.username(), token.generation() + 1);
            updateUser(token.username(), u -> new User(u.username(), u.userId(), newPasswordHash, u.roles(),
                    u.permissions(), u.status(), 0, Instant.EPOCH, u.sessionEpoch(), u.email(), true));
            return true;
        }

        @Override
        public synchronized boolean countMail(String key, Instant now, int limit) {
            String hourKey = key + "#" + now.truncatedTo(ChronoUnit.HOURS).getEpochSecond();
            int count = mailCounts.getOrDefault(hourKey, 0);
            if (count >= limit) {
                return false;
            }
            mailCounts.put(hourKey, count + 1);
            return true;
        }

        private boolean spendable(StoredToken token, Instant now) {
            StoredToken stored = tokens.get(token.hash());
            return stored != null && !stored.spent() && stored.kind() == token.kind() && !stored.expiredAt(now);
        }

        private void spend(StoredToken token) {
            StoredToken stored = tokens.get(token.hash());
            tokens.put(token.hash(), new StoredToken(stored.hash(), stored.kind(), stored.username(), stored.userId(),
                    stored.email(), stored.generation(), stored.expiresAt(), true));
        }
    }
}
