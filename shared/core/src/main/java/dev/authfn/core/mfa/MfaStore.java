package dev.authfn.core.mfa;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a user's TOTP second factor lives, beside the user and keyed by canonical username as
 * users are: the sealed secret, whether it is confirmed, the last time step used, the hashes of
 * the unused recovery codes, and the login attempts ({@code mfa_token}s) already spent.
 *
 * <p>Every change is one atomic conditional write (no read-modify-write), conditional on the user
 * still being {@code userId}: a user deleted and re-created under the same name, or a name no user
 * holds (the lockout's counts of unknown names), is never touched. Spending is what makes a code
 * good once: a time step is accepted only above the last one used, a recovery code only while its
 * hash is still stored, and a login attempt only once, so that two parallel requests with one code
 * (or one {@code mfa_token}) give exactly one success. A spend with an attempt spends both or
 * neither, so a refused code never uses up the login attempt and a spent attempt never uses up a
 * code.
 *
 * <p>The store keeps {@link dev.authfn.core.user.User#mfaEnrolled()} with the factor: set by
 * {@link #confirmTotp}, cleared by {@link #removeTotp}, in the same write. Nothing else that
 * writes a user (password changes and resets, lockout, sessions, disabling) disturbs the factor.
 * The store never sees a secret in the clear nor a recovery code, only what the caller sealed or
 * hashed. Infrastructure failures surface as {@link dev.authfn.core.StoreUnavailableException}.
 */
public interface MfaStore {

    /**
     * The user's TOTP factor, pending or confirmed, read strongly consistently; empty when the
     * user has none or there is no such user.
     */
    Optional<TotpFactor> totp(String username);

    /**
     * Stores a pending factor with {@code sealedSecret}, replacing an earlier pending one (an
     * enrolment begun again), while the user is {@code userId} and has no confirmed factor.
     * {@code now} becomes its {@link TotpFactor#enrolledAt()}. False, changing nothing, otherwise.
     */
    boolean beginTotp(String username, String userId, String sealedSecret, Instant now);

    /**
     * Confirms the pending factor whose sealed secret is {@code sealedSecret} (so a code checked
     * against a secret that a later {@link #beginTotp} has replaced confirms nothing): records
     * {@code step}, the step of the code that proved it, as the last used step, stores the
     * recovery-code hashes, marks the user enrolled and sets {@code enrolledAt} to {@code now}.
     * False, changing nothing, when the user {@code userId} has no such pending factor.
     */
    boolean confirmTotp(String username, String userId, String sealedSecret, long step,
            Set<String> recoveryCodeHashes, Instant now);

    /**
     * Spends time step {@code step} of the confirmed factor: only when it is above the last used
     * step, which it then becomes, so each code (and every older one) is accepted once. With an
     * attempt, also spends that login attempt, in the same atomic write: both or neither.
     *
     * @return {@link Spend#SPENT}; otherwise, changing nothing, {@link Spend#NO_FACTOR} when the
     *     user {@code userId} has no confirmed factor, else {@link Spend#ATTEMPT_SPENT} when the
     *     attempt was spent before, else {@link Spend#CODE_SPENT}
     */
    Spend spendTotpStep(String username, String userId, long step, Optional<Attempt> attempt);

    /**
     * Spends one recovery code of the confirmed factor by its hash: each is accepted once. With an
     * attempt, as {@link #spendTotpStep}: both or neither.
     *
     * @return as {@link #spendTotpStep}; {@link Spend#CODE_SPENT} when no unused code has that hash
     */
    Spend spendRecoveryCode(String username, String userId, String codeHash, Optional<Attempt> attempt);

    /**
     * Removes the factor, pending or confirmed, with its recovery codes and the enrolled mark.
     * False, changing nothing, when the user {@code userId} has none. Ending the user's sessions
     * is the caller's business.
     */
    boolean removeTotp(String username, String userId);

    /**
     * A login attempt that a second factor completes: the hash of its attempt id (the
     * {@code mfa_token} is bound to it) and when the {@code mfa_token} expires. The store keeps
     * the spent attempt at least until then, so it cannot be spent twice while it is good.
     */
    record Attempt(String attemptHash, Instant expiresAt) {
        public Attempt {
            Objects.requireNonNull(attemptHash, "attemptHash");
            Objects.requireNonNull(expiresAt, "expiresAt");
            if (attemptHash.isBlank()) {
                throw new IllegalArgumentException("attemptHash must not be blank");
            }
        }
    }

    /**
     * A user's TOTP factor as stored. {@code sealedSecret} is the secret as sealed by its key
     * (never the secret itself, and still never to be logged). {@code lastStep} is the last time
     * step used, 0 while pending; {@code recoveryCodesLeft} counts the unused recovery codes, 0
     * while pending; {@code enrolledAt} is when the factor was begun, while pending, and when it
     * was confirmed, once confirmed.
     */
    record TotpFactor(String userId, String sealedSecret, boolean confirmed, long lastStep, int recoveryCodesLeft,
            Instant enrolledAt) {
        public TotpFactor {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(sealedSecret, "sealedSecret");
            Objects.requireNonNull(enrolledAt, "enrolledAt");
        }

        @Override
        public String toString() {
            return "TotpFactor[userId=" + userId + ", sealedSecret=<redacted>, confirmed=" + confirmed + ", lastStep="
                    + lastStep + ", recoveryCodesLeft=" + recoveryCodesLeft + ", enrolledAt=" + enrolledAt + "]";
        }
    }

    /** What a spend did. */
    enum Spend {
        /** The code (and the attempt, if one was given) is spent now. */
        SPENT,
        /** The time step was already used (or an older one is the last), or no unused recovery code has that hash. */
        CODE_SPENT,
        /** The login attempt was already spent: the {@code mfa_token} is used up, whatever the code. */
        ATTEMPT_SPENT,
        /** The user has no confirmed factor (none, only a pending one, or no such user). */
        NO_FACTOR
    }
}
