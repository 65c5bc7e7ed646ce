package dev.authfn.core.jwt;

import java.util.Objects;

/** What {@link AccessTokenVerifier#verify} found: the verified claims, or why the token was refused. */
public sealed interface AccessTokenResult {

    /** The token is ours, unaltered, current and meant for us. */
    record Verified(AccessTokenClaims claims) implements AccessTokenResult {
        public Verified {
            Objects.requireNonNull(claims, "claims");
        }
    }

    /** The token was refused; {@code reason} is safe to log, the token is not. */
    record Rejected(Reason reason) implements AccessTokenResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Why a token was refused; safe to log and count. The screening reasons (up to
     * {@code UNKNOWN_KID}) are listed in the order they are checked.
     */
    enum Reason {
        /** Longer than {@link AccessTokenVerifier#MAX_TOKEN_CHARS}; refused before parsing. */
        TOO_LARGE,
        /** Five parts: a JWE. Access tokens are signed, never encrypted. */
        ENCRYPTED,
        /** Not three canonical base64url parts, header or claims not a JSON object, nesting too deep. */
        MALFORMED,
        /** The header names a key or where to fetch one ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}). */
        KEY_IN_HEADER,
        /** {@code alg: none}, in any letter case. */
        ALG_NONE,
        /** A {@code crit} header: authfn understands no JWS extension. */
        CRITICAL_HEADER,
        /** An {@code alg} none of our keys has, or not the {@code alg} of the key named by {@code kid}. */
        ALG_NOT_ALLOWED,
        /** No {@code kid}, or one that names no active or verify-only key. */
        UNKNOWN_KID,
        /** {@code typ} missing or not {@code at+jwt}. */
        WRONG_TYP,
        /** The signature does not verify with the key named by {@code kid}. */
        BAD_SIGNATURE,
        /** A required claim is missing ({@code iss}, {@code aud}, {@code sub}, {@code exp}, {@code iat}, ...). */
        MISSING_CLAIM,
        /** {@code exp} passed, beyond the allowed clock skew. */
        EXPIRED,
        /** {@code nbf} or {@code iat} still ahead, beyond the allowed clock skew. */
        NOT_YET_VALID,
        /** {@code iss} is not exactly our issuer. */
        WRONG_ISSUER,
        /** {@code aud} does not contain our audience. */
        WRONG_AUDIENCE,
        /** A claim has an unusable value. */
        BAD_CLAIM
    }
}
