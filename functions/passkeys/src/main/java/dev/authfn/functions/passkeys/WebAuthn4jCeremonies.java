package dev.authfn.functions.passkeys;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecord;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.CollectedClientData;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.attestation.statement.androidkey.AndroidKeyAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.androidsafetynet.AndroidSafetyNetAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.apple.AppleAnonymousAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.none.NoneAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.packed.PackedAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.tpm.TPMAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.u2f.FIDOU2FAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.NullCertPathTrustworthinessVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.self.NullSelfAttestationTrustworthinessVerifier;
import com.webauthn4j.verifier.exception.BadAlgorithmException;
import com.webauthn4j.verifier.exception.BadAttestationStatementException;
import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.InconsistentClientDataTypeException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.NotAllowedAlgorithmException;
import com.webauthn4j.verifier.exception.UserNotPresentException;
import com.webauthn4j.verifier.exception.UserNotVerifiedException;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.authfn.auth.PasskeyCeremonies;
import dev.authfn.auth.PasskeyRefusal;
import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link PasskeyCeremonies} with webauthn4j: it parses the browser's JSON, the CBOR attestation
 * object and authenticator data and the COSE keys, and makes the checks of WebAuthn Level 3
 * §7.1 (registration) and §7.2 (authentication) that need no state; docs/SECURITY.md maps each
 * step. Attestation is not required ({@code attestation: "none"} in the options): a statement
 * the browser sends anyway is verified for its own signature, but trusted to no root, and the
 * passkey is stored as if none had come (authfn does not restrict authenticator models).
 *
 * <p>A response that webauthn4j cannot read is {@link PasskeyRefusal#MALFORMED_RESPONSE}; each
 * failed check its own reason. Nothing here throws for what a client sends.
 */
final class WebAuthn4jCeremonies implements PasskeyCeremonies {

    /** What the creation options offer and registration accepts: ES256, EdDSA, RS256 (WebAuthn's recommended set). */
    static final List<COSEAlgorithmIdentifier> ALGORITHMS = List.of(
            COSEAlgorithmIdentifier.ES256, COSEAlgorithmIdentifier.EdDSA, COSEAlgorithmIdentifier.RS256);

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    private final RelyingParty relyingParty;
    private final ObjectConverter converter = new ObjectConverter();
    /**
     * Every attestation format's own checks (the statement's signature over the authenticator
     * data and client data), but trust in no root and any self attestation: webauthn4j's
     * non-strict manager would skip the statements' checks altogether (its Null verifiers).
     */
    private final WebAuthnManager manager = new WebAuthnManager(List.of(new NoneAttestationStatementVerifier(),
            new PackedAttestationStatementVerifier(), new FIDOU2FAttestationStatementVerifier(),
            new TPMAttestationStatementVerifier(), new AndroidKeyAttestationStatementVerifier(),
            new AndroidSafetyNetAttestationStatementVerifier(), new AppleAnonymousAttestationStatementVerifier()),
            new NullCertPathTrustworthinessVerifier(), new NullSelfAttestationTrustworthinessVerifier(), converter);
    private final Set<Origin> origins;
    private final List<PublicKeyCredentialParameters> parameters = ALGORITHMS.stream()
            .map(algorithm -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, algorithm))
            .toList();

    WebAuthn4jCeremonies(RelyingParty relyingParty) {
        this.relyingParty = relyingParty;
        this.origins = relyingParty.origins().stream().map(Origin::new).collect(Collectors.toUnmodifiableSet());
    }

    /** The JSON mapper webauthn4j parses with, for the routes' bodies: one mapper per function. */
    tools.jackson.databind.json.JsonMapper json() {
        return converter.getJsonMapper();
    }

    @Override
    public Optional<Response> read(String credentialJson, PasskeyStore.Ceremony ceremony) {
        try {
            return switch (ceremony) {
                case REGISTRATION -> {
                    RegistrationData data = manager.parseRegistrationResponseJSON(credentialJson);
                    yield response(data.getCollectedClientData(), credentialId(data), null);
                }
                case AUTHENTICATION -> {
                    AuthenticationData data = manager.parseAuthenticationResponseJSON(credentialJson);
                    yield response(data.getCollectedClientData(), data.getCredentialId(), data.getUserHandle());
                }
            };
        } catch (RuntimeException e) {
            // webauthn4j's DataConversionException, and whatever Jackson throws for a body no parser can read.
            return Optional.empty();
        }
    }

    @Override
    public Registration verifyRegistration(String credentialJson, byte[] challenge) {
        RegistrationParameters parameters = new RegistrationParameters(serverProperty(challenge), this.parameters, true, true);
        RegistrationData data;
        try {
            data = manager.verifyRegistrationResponseJSON(credentialJson, parameters);
        } catch (BadSignatureException e) {
            // A registration's one signature is its attestation statement's.
            return new Failed(PasskeyRefusal.ATTESTATION_INVALID);
        } catch (VerificationException e) {
            return new Failed(refusal(e));
        } catch (RuntimeException e) {
            return new Failed(PasskeyRefusal.MALFORMED_RESPONSE);
        }
        AuthenticatorData<?> authenticatorData = data.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData credential = authenticatorData.getAttestedCredentialData();
        List<String> transports = data.getTransports() == null ? List.of()
                : data.getTransports().stream().map(AuthenticatorTransport::getValue).sorted().toList();
        return new NewCredential(BASE64URL.encodeToString(credential.getCredentialId()),
                BASE64URL.encodeToString(converter.getCborMapper().writeValueAsBytes(credential.getCOSEKey())),
                authenticatorData.getSignCount(), credential.getAaguid().getValue().toString(), transports,
                authenticatorData.isFlagBE(), authenticatorData.isFlagBS());
    }

    @Override
    public Assertion verifyAssertion(String credentialJson, byte[] challenge, Passkey passkey) {
        AuthenticationParameters parameters;
        try {
            parameters = new AuthenticationParameters(serverProperty(challenge), record(passkey),
                    List.of(BASE64URL_DECODER.decode(passkey.credentialId())), true, true);
        } catch (RuntimeException e) {
            // A stored public key that no longer decodes: nothing this response could fix.
            return new Failed(PasskeyRefusal.SIGNATURE_INVALID);
        }
        try {
            AuthenticationData data = manager.verifyAuthenticationResponseJSON(credentialJson, parameters);
            return new Asserted(data.getAuthenticatorData().getSignCount(), data.getAuthenticatorData().isFlagBS());
        } catch (VerificationException e) {
            return new Failed(refusal(e));
        } catch (RuntimeException e) {
            return new Failed(PasskeyRefusal.MALFORMED_RESPONSE);
        }
    }

    /** The stored passkey as webauthn4j's credential record: its key, counter and backup flags. */
    private CredentialRecord record(Passkey passkey) {
        COSEKey key = converter.getCborMapper().readValue(BASE64URL_DECODER.decode(passkey.publicKey()), COSEKey.class);
        AttestedCredentialData credential = new AttestedCredentialData(new AAGUID(passkey.aaguid()),
                BASE64URL_DECODER.decode(passkey.credentialId()), key);
        Set<AuthenticatorTransport> transports = passkey.transports().stream().map(AuthenticatorTransport::create)
                .collect(Collectors.toUnmodifiableSet());
        return new CredentialRecordImpl(new NoneAttestationStatement(), true, passkey.backupEligible(), passkey.backedUp(),
                passkey.signCount(), credential, null, null, null, transports);
    }

    private ServerProperty serverProperty(byte[] challenge) {
        return ServerProperty.builder().origins(origins).rpId(relyingParty.id()).challenge(new DefaultChallenge(challenge))
                .build();
    }

    private static byte[] credentialId(RegistrationData data) {
        AttestedCredentialData credential = data.getAttestationObject() == null ? null
                : data.getAttestationObject().getAuthenticatorData().getAttestedCredentialData();
        if (credential == null) {
            throw new IllegalArgumentException("no attested credential data");
        }
        return credential.getCredentialId();
    }

    private static Optional<Response> response(CollectedClientData clientData, byte[] credentialId, byte[] userHandle) {
        if (clientData == null || clientData.getChallenge() == null || credentialId == null || credentialId.length == 0) {
            return Optional.empty();
        }
        return Optional.of(new Response(clientData.getChallenge().getValue(), BASE64URL.encodeToString(credentialId),
                Optional.ofNullable(userHandle).map(BASE64URL::encodeToString)));
    }

    /** The reason code of a failed check (docs/API.md §17.6). */
    static PasskeyRefusal refusal(VerificationException e) {
        return switch (e) {
            case BadOriginException bad -> PasskeyRefusal.ORIGIN_MISMATCH;
            case BadRpIdException bad -> PasskeyRefusal.RP_ID_MISMATCH;
            case BadChallengeException bad -> PasskeyRefusal.CHALLENGE_MISMATCH;
            case InconsistentClientDataTypeException bad -> PasskeyRefusal.WRONG_TYPE;
            case UserNotVerifiedException bad -> PasskeyRefusal.USER_NOT_VERIFIED;
            case UserNotPresentException bad -> PasskeyRefusal.USER_NOT_PRESENT;
            case BadSignatureException bad -> PasskeyRefusal.SIGNATURE_INVALID;
            case MaliciousCounterValueException bad -> PasskeyRefusal.COUNTER_REGRESSION;
            case NotAllowedAlgorithmException bad -> PasskeyRefusal.UNSUPPORTED_ALGORITHM;
            case BadAlgorithmException bad -> PasskeyRefusal.UNSUPPORTED_ALGORITHM;
            case BadAttestationStatementException bad -> PasskeyRefusal.ATTESTATION_INVALID;
            default -> PasskeyRefusal.MALFORMED_RESPONSE;
        };
    }
}
