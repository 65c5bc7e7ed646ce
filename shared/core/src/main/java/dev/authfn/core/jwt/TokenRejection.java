package dev.authfn.core.jwt;

import dev.authfn.core.jwt.AccessTokenResult.Reason;

/**
 * A refusal raised by one of our own checks plugged into nimbus's processor, carrying its
 * {@link Reason}. nimbus passes these through unchanged, so the verifier reads the reason from the
 * exception instead of from a message whose wording nimbus may change. One class per kind of
 * exception nimbus lets each extension point throw.
 */
sealed interface TokenRejection permits ClaimRejection, HeaderRejection, KeyRejection {

    /** Why the token is refused. */
    Reason reason();
}
