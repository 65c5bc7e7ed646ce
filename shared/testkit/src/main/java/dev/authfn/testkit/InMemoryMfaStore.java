package dev.authfn.testkit;

import dev.authfn.core.mfa.MfaStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The in-memory twin of the DynamoDB second-factor store, over the users of an
 * {@link InMemoryUserStore} ({@link InMemoryUserStore#mfa()}), for unit tests. The factor is kept
 * in the user's own entry, as the users table keeps it on the user's item, so a user removed or
 * re-created under the name has none, and the other writes of the user store leave it alone.
 * Thread-safe with the same atomicity: each change is one atomic step on the user's entry, and a
 * spend with an attempt records the attempt as the last thing in that step, only when the code is
 * good and the attempt unspent: both or neither. Spent attempts are kept for the life of the
 * twin (the table's TTL removes them a day after they expire). It passes {@link MfaStoreContract}.
 */
public final class InMemoryMfaStore implements MfaStore {

    /** A factor as the twin keeps it. */
    record Factor(String sealedSecret, boolean confirmed, long lastStep, Set<String> recoveryCodes, Instant enrolledAt) {
        Factor {
            recoveryCodes = Set.copyOf(recoveryCodes);
        }

        TotpFactor view(String userId) {
            return new TotpFactor(userId, sealedSecret, confirmed, lastStep, recoveryCodes.size(), enrolledAt);
        }
    }

    /** What a change of a factor gives: the factor to store (null: none), whether to store it, and its result. */
    record Change<T>(Factor factor, boolean written, T result) {
        static <T> Change<T> write(Factor factor, T result) {
            return new Change<>(factor, true, result);
        }

        static <T> Change<T> refuse(T result) {
            return new Change<>(null, false, result);
        }
    }

    private final InMemoryUserStore users;
    private final ConcurrentMap<String, Instant> spentAttempts = new ConcurrentHashMap<>();

    InMemoryMfaStore(InMemoryUserStore users) {
        this.users = Objects.requireNonNull(users, "users");
    }

    @Override
    public Optional<TotpFactor> totp(String username) {
        return users.factorOf(username);
    }

    @Override
    public boolean beginTotp(String username, String userId, String sealedSecret, Instant now) {
        Objects.requireNonNull(sealedSecret, "sealedSecret");
        Objects.requireNonNull(now, "now");
        return users.changeFactor(username, userId, false, factor -> factor != null && factor.confirmed()
                ? Change.refuse(false)
                : Change.write(new Factor(sealedSecret, false, 0, Set.of(), now), true));
    }

    @Override
    public boolean confirmTotp(String username, String userId, String sealedSecret, long step,
            Set<String> recoveryCodeHashes, Instant now) {
        Set<String> codes = Set.copyOf(recoveryCodeHashes);
        Objects.requireNonNull(now, "now");
        return users.changeFactor(username, userId, false, factor ->
                factor != null && !factor.confirmed() && factor.sealedSecret().equals(sealedSecret)
                        ? Change.write(new Factor(factor.sealedSecret(), true, step, codes, now), true)
                        : Change.refuse(false));
    }

    @Override
    public Spend spendTotpStep(String username, String userId, long step, Optional<Attempt> attempt) {
        return users.changeFactor(username, userId, Spend.NO_FACTOR, factor -> {
            if (factor == null || !factor.confirmed()) {
                return Change.refuse(Spend.NO_FACTOR);
            }
            return spend(step > factor.lastStep(), new Factor(factor.sealedSecret(), true, step, factor.recoveryCodes(),
                    factor.enrolledAt()), attempt);
        });
    }

    @Override
    public Spend spendRecoveryCode(String username, String userId, String codeHash, Optional<Attempt> attempt) {
        Objects.requireNonNull(codeHash, "codeHash");
        return users.changeFactor(username, userId, Spend.NO_FACTOR, factor -> {
            if (factor == null || !factor.confirmed()) {
                return Change.refuse(Spend.NO_FACTOR);
            }
            Set<String> left = new HashSet<>(factor.recoveryCodes());
            boolean unused = left.remove(codeHash);
            return spend(unused, new Factor(factor.sealedSecret(), true, factor.lastStep(), left, factor.enrolledAt()),
                    attempt);
        });
    }

    /**
     * Inside the user's atomic step: the attempt is checked after the code (a spent attempt is
     * told before a spent code) and recorded last, only when the factor is then written too.
     */
    private Change<Spend> spend(boolean codeGood, Factor spent, Optional<Attempt> attempt) {
        if (attempt.isPresent() && spentAttempts.containsKey(attempt.get().attemptHash())) {
            return Change.refuse(Spend.ATTEMPT_SPENT);
        }
        if (!codeGood) {
            return Change.refuse(Spend.CODE_SPENT);
        }
        if (attempt.isPresent() && spentAttempts.putIfAbsent(attempt.get().attemptHash(), attempt.get().expiresAt()) != null) {
            return Change.refuse(Spend.ATTEMPT_SPENT); // spent meanwhile on another user's entry
        }
        return Change.write(spent, Spend.SPENT);
    }

    @Override
    public boolean removeTotp(String username, String userId) {
        return users.changeFactor(username, userId, false, factor -> factor == null
                ? Change.refuse(false) : Change.write(null, true));
    }
}
