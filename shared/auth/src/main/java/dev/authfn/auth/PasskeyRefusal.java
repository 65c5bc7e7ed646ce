package dev.authfn.auth;

/**
 * Why a passkey ceremony was refused: the audit log's reason code. The client is told only that
 * the ceremony failed (docs/API.md §17.6), never which check it failed.
 */
public enum PasskeyRefusal {
    /** The response is not a well-formed WebAuthn response of the ceremony (or not CBOR/JSON it can read). */
    MALFORMED_RESPONSE,
    /** No stored challenge has the response's: never issued, spent already, or cleaned up. */
    CHALLENGE_UNKNOWN,
    /** The challenge's five minutes are over. */
    CHALLENGE_EXPIRED,
    /** The challenge was issued for the other ceremony (a sign-in challenge in a registration, or back). */
    CHALLENGE_OTHER_CEREMONY,
    /** A registration challenge issued to another session or user. */
    CHALLENGE_OTHER_SESSION,
    /** The client data's challenge is not the one spent (webauthn4j's own check). */
    CHALLENGE_MISMATCH,
    /** The client data's type is not the ceremony's ({@code webauthn.create} / {@code webauthn.get}). */
    WRONG_TYPE,
    /** The client data's origin is none of the configured exact origins. */
    ORIGIN_MISMATCH,
    /** The authenticator data's RP ID hash is not SHA-256 of the configured RP ID. */
    RP_ID_MISMATCH,
    /** The UP flag is missing. */
    USER_NOT_PRESENT,
    /** The UV flag is missing: the authenticator did not verify the user. */
    USER_NOT_VERIFIED,
    /** The credential's algorithm is not one the options offered. */
    UNSUPPORTED_ALGORITHM,
    /** The attestation statement does not verify. */
    ATTESTATION_INVALID,
    /** No passkey has the credential id, or it belongs to a user deleted since. */
    UNKNOWN_CREDENTIAL,
    /** The response's user handle is not the passkey's user's. */
    USER_HANDLE_MISMATCH,
    /** The signature does not verify with the stored public key. */
    SIGNATURE_INVALID,
    /** The authenticator's counter did not move above the stored one: a possible clone; the passkey is flagged. */
    COUNTER_REGRESSION,
    /** The passkey was flagged at an earlier counter regression: it signs no one in until replaced. */
    CREDENTIAL_FLAGGED,
    /** Another sign-in with the passkey recorded its use first, from the same counter value (a replay). */
    CONCURRENT_USE,
    /** The passkey's user is disabled. */
    DISABLED,
    /** The user's sessions were all ended while the sign-in ran. */
    SESSIONS_ENDED,
    /** A passkey with the credential id exists already. */
    DUPLICATE_CREDENTIAL,
    /** The user has the most passkeys allowed already. */
    LIMIT_REACHED
}
