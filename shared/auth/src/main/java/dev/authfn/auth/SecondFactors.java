package dev.authfn.auth;

import dev.authfn.core.mfa.MfaStore;
import dev.authfn.core.mfa.RecoveryCodes;
import dev.authfn.core.mfa.SecretBox;
import dev.authfn.core.mfa.Totp;
import dev.authfn.core.user.User;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks a user's second factor: a TOTP code or a recovery code, each accepted once. A code is
 * checked against the user's confirmed factor (the secret opened under the key it was sealed with,
 * bound to the user id) and then spent in the store by a conditional write, with the login attempt
 * it completes when there is one, so two requests with one code, or one {@code mfa_token} with two
 * codes, make one success. Counting failures toward the lockout is the caller's: it reserves the
 * attempt before it calls this.
 */
final class SecondFactors {

    /** The outcome of {@link #check}. */
    sealed interface Check permits Passed, Failed {
    }

    /** The proof was right and is spent now. */
    record Passed(Method method) implements Check {
    }

    /** The proof was refused, for this reason (for logs only; every one answers alike). */
    record Failed(LoginService.Reason reason) implements Check {
    }

    /** Verifies TOTP codes; also what confirming a new factor checks its first code with. */
    Totp totp() {
        return totp;
    }

    /** Which kind of proof passed; its name is logged. */
    enum Method {
        TOTP,
        RECOVERY_CODE
    }

    private final MfaStore store;
    private final Supplier<CredentialCodecs> codecs;
    private final Totp totp = new Totp();

    SecondFactors(MfaStore store, Supplier<CredentialCodecs> codecs) {
        this.store = Objects.requireNonNull(store, "store");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
    }

    /**
     * Checks {@code proof} against {@code user}'s confirmed factor and, when right, spends it (with
     * {@code attempt}, when given, in the same write).
     */
    Check check(User user, MfaProof proof, Optional<MfaStore.Attempt> attempt, Instant now) {
        Optional<MfaStore.TotpFactor> found = store.totp(user.username())
                .filter(factor -> factor.confirmed() && factor.userId().equals(user.userId()));
        if (found.isEmpty()) {
            return new Failed(LoginService.Reason.NO_SECOND_FACTOR);
        }
        MfaStore.TotpFactor factor = found.get();
        if (proof.recoveryCode().isPresent()) {
            Optional<String> normalised = RecoveryCodes.normalize(proof.recoveryCode().get());
            if (normalised.isEmpty()) {
                return new Failed(LoginService.Reason.WRONG_RECOVERY_CODE);
            }
            return spent(store.spendRecoveryCode(user.username(), user.userId(), RecoveryCodes.hash(normalised.get()),
                    attempt), Method.RECOVERY_CODE, LoginService.Reason.WRONG_RECOVERY_CODE);
        }
        Optional<byte[]> secret = openSecret(user, factor);
        if (secret.isEmpty()) {
            return new Failed(LoginService.Reason.SECRET_UNREADABLE);
        }
        return switch (totp.verify(secret.get(), proof.code().orElseThrow(), now, factor.lastStep())) {
            case Totp.Matched matched -> spent(store.spendTotpStep(user.username(), user.userId(), matched.step(),
                    attempt), Method.TOTP, LoginService.Reason.CODE_REPLAYED);
            case Totp.Replayed replayed -> new Failed(LoginService.Reason.CODE_REPLAYED);
            case Totp.Wrong wrong -> new Failed(LoginService.Reason.WRONG_CODE);
        };
    }

    /**
     * The secret of a factor, opened with the key it was sealed under (active or verify-only) and
     * the user id as associated data; empty when no key opens it (the key was retired, or the item
     * was moved to another user).
     */
    Optional<byte[]> openSecret(User user, MfaStore.TotpFactor factor) {
        SecretBox box = codecs.get().secretBox();
        return SecretBox.Sealed.parse(factor.sealedSecret()).flatMap(sealed -> box.open(sealed, user.userId()));
    }

    private static Check spent(MfaStore.Spend spend, Method method, LoginService.Reason codeSpent) {
        return switch (spend) {
            case SPENT -> new Passed(method);
            case CODE_SPENT -> new Failed(codeSpent);
            case ATTEMPT_SPENT -> new Failed(LoginService.Reason.MFA_TOKEN_SPENT);
            case NO_FACTOR -> new Failed(LoginService.Reason.NO_SECOND_FACTOR);
        };
    }
}
