package dev.authfn.auth;

import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyStore;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The WebAuthn checks of a ceremony's response (WebAuthn Level 3 §7.1 and §7.2): what the
 * function that serves passkeys does with webauthn4j, so that only that function carries it and
 * its CBOR and COSE code. {@link PasskeyService} does the rest: challenges, users, lockout,
 * sessions. The relying party (its id and exact origins) is the implementation's.
 */
public interface PasskeyCeremonies {

    /**
     * What a response names before anything in it is verified: the challenge from its client data
     * and the credential id, and for a sign-in the user handle. Empty when it is no well-formed
     * response of {@code ceremony}.
     */
    Optional<Response> read(String credentialJson, PasskeyStore.Ceremony ceremony);

    /**
     * Verifies a registration response against the challenge that was spent for it: type,
     * challenge, origin, RP ID hash, user presence and verification, an allowed algorithm, the
     * attestation statement's own signature.
     */
    Registration verifyRegistration(String credentialJson, byte[] challenge);

    /**
     * Verifies a sign-in response for {@code passkey} against the challenge that was spent for it:
     * type, challenge, origin, RP ID hash, user presence and verification, the signature over
     * the authenticator data and client data hash with the stored public key, and the signature
     * counter against the stored one.
     */
    Assertion verifyAssertion(String credentialJson, byte[] challenge, Passkey passkey);

    /** What {@link #read} finds. {@code userHandle} is empty for a registration. */
    record Response(byte[] challenge, String credentialId, Optional<String> userHandle) {
        public Response {
            Objects.requireNonNull(challenge, "challenge");
            Objects.requireNonNull(credentialId, "credentialId");
            Objects.requireNonNull(userHandle, "userHandle");
            challenge = challenge.clone();
        }

        @Override
        public byte[] challenge() {
            return challenge.clone();
        }
    }

    /** The outcome of {@link #verifyRegistration}. */
    sealed interface Registration permits NewCredential, Failed {
    }

    /** The outcome of {@link #verifyAssertion}. */
    sealed interface Assertion permits Asserted, Failed {
    }

    /**
     * A verified new credential's public parts (binary values unpadded base64url).
     *
     * @param publicKey the COSE-encoded public key
     */
    record NewCredential(String credentialId, String publicKey, long signCount, String aaguid, List<String> transports,
            boolean backupEligible, boolean backedUp) implements Registration {
        public NewCredential {
            Objects.requireNonNull(credentialId, "credentialId");
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(aaguid, "aaguid");
            transports = List.copyOf(transports);
        }
    }

    /** A verified sign-in: the authenticator's new counter and backup state. */
    record Asserted(long signCount, boolean backedUp) implements Assertion {
    }

    /** The response failed a check. */
    record Failed(PasskeyRefusal reason) implements Registration, Assertion {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
