package dev.authfn.testkit;

import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-memory twin of the DynamoDB passkey store, over the users of an {@link InMemoryUserStore}
 * ({@link InMemoryUserStore#passkeys()}), for unit tests. Passkeys are kept by credential id, as
 * the users table keeps each in an item of its own, naming its user by username and id; a user's
 * handle is kept by user id, so a user re-created under a name (another id) starts without one, as
 * a re-created user item does. A passkey of a removed user stays, naming the old id, as its item
 * would.
 *
 * <p>Thread-safe with the same atomicity: what concerns a user runs in the user store's one atomic
 * step on that user's entry, only while it is the user named ({@link InMemoryUserStore#whileUser}),
 * so the user's passkeys are counted and changed with no other change of that user between; a
 * credential id is taken with {@code putIfAbsent}, so of two users adding it one gets it; a use is
 * recorded, and a challenge spent, in one atomic step on its entry. It passes
 * {@link PasskeyStoreContract}.
 */
public final class InMemoryPasskeyStore implements PasskeyStore {

    private final InMemoryUserStore users;
    private final ConcurrentMap<String, Passkey> passkeys = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> handles = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Challenge> challenges = new ConcurrentHashMap<>();

    InMemoryPasskeyStore(InMemoryUserStore users) {
        this.users = Objects.requireNonNull(users, "users");
    }

    @Override
    public Optional<String> userHandle(String username, String userId, String candidate) {
        Objects.requireNonNull(candidate, "candidate");
        return users.whileUser(username, userId, Optional.empty(),
                () -> Optional.of(handles.computeIfAbsent(userId, id -> candidate)));
    }

    @Override
    public List<Passkey> list(String username, String userId) {
        return users.whileUser(username, userId, List.of(), () -> passkeys.values().stream()
                .filter(passkey -> owns(passkey, username, userId))
                .sorted(Comparator.comparing(Passkey::createdAt).thenComparing(Passkey::credentialId))
                .toList());
    }

    @Override
    public Optional<Passkey> find(String credentialId) {
        return Optional.ofNullable(passkeys.get(credentialId));
    }

    /** Told in the users table's order: no such user, then a taken id, then the limit. */
    @Override
    public Added add(Passkey passkey, int maxPerUser) {
        if (maxPerUser < 1) {
            throw new IllegalArgumentException("maxPerUser must be positive");
        }
        return users.whileUser(passkey.username(), passkey.userId(), Added.NO_USER, () -> {
            if (passkeys.containsKey(passkey.credentialId())) {
                return Added.DUPLICATE;
            }
            long held = passkeys.values().stream()
                    .filter(stored -> owns(stored, passkey.username(), passkey.userId())).count();
            if (held >= maxPerUser) {
                return Added.LIMIT_REACHED;
            }
            // Another user may have taken the id meanwhile, under its own entry's step.
            return passkeys.putIfAbsent(passkey.credentialId(), passkey) == null ? Added.ADDED : Added.DUPLICATE;
        });
    }

    @Override
    public boolean rename(String username, String userId, String credentialId, String name) {
        Objects.requireNonNull(name, "name");
        return users.whileUser(username, userId, false, () -> {
            AtomicBoolean renamed = new AtomicBoolean();
            passkeys.computeIfPresent(credentialId, (id, passkey) -> {
                if (!owns(passkey, username, userId)) {
                    return passkey;
                }
                renamed.set(true);
                return copy(passkey, name, passkey.signCount(), passkey.backedUp(), passkey.lastUsedAt(),
                        passkey.flagged());
            });
            return renamed.get();
        });
    }

    @Override
    public boolean remove(String username, String userId, String credentialId) {
        return users.whileUser(username, userId, false, () -> {
            AtomicBoolean removed = new AtomicBoolean();
            passkeys.computeIfPresent(credentialId, (id, passkey) -> {
                if (!owns(passkey, username, userId)) {
                    return passkey;
                }
                removed.set(true);
                return null;
            });
            return removed.get();
        });
    }

    @Override
    public boolean recordUse(String credentialId, long previousCounter, long newCounter, boolean backedUp, Instant now) {
        if (newCounter < 0) {
            throw new IllegalArgumentException("newCounter must not be negative");
        }
        Objects.requireNonNull(now, "now");
        AtomicBoolean recorded = new AtomicBoolean();
        passkeys.computeIfPresent(credentialId, (id, passkey) -> {
            if (passkey.signCount() != previousCounter) {
                return passkey;
            }
            recorded.set(true);
            return copy(passkey, passkey.name(), newCounter, backedUp, Optional.of(now), passkey.flagged());
        });
        return recorded.get();
    }

    @Override
    public boolean flag(String credentialId, Instant now) {
        Objects.requireNonNull(now, "now");
        return passkeys.computeIfPresent(credentialId, (id, passkey) -> copy(passkey, passkey.name(),
                passkey.signCount(), passkey.backedUp(), passkey.lastUsedAt(), true)) != null;
    }

    @Override
    public void saveChallenge(Challenge challenge) {
        challenges.put(challenge.challengeHash(), challenge);
    }

    @Override
    public Optional<Challenge> spendChallenge(String challengeHash) {
        return Optional.ofNullable(challenges.remove(challengeHash));
    }

    private static boolean owns(Passkey passkey, String username, String userId) {
        return passkey.username().equals(username) && passkey.userId().equals(userId);
    }

    private static Passkey copy(Passkey passkey, String name, long signCount, boolean backedUp,
            Optional<Instant> lastUsedAt, boolean flagged) {
        return new Passkey(passkey.credentialId(), passkey.username(), passkey.userId(), passkey.userHandle(),
                passkey.publicKey(), signCount, passkey.aaguid(), passkey.transports(), passkey.backupEligible(),
                backedUp, name, passkey.createdAt(), lastUsedAt, flagged);
    }
}
