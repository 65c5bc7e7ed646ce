package dev.authfn.functions.passkeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import dev.authfn.auth.PasskeyCeremonies;
import dev.authfn.auth.PasskeyRefusal;
import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyStore;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * webauthn4j's checks as authfn runs them, over responses of the {@link SoftwareAuthenticator}:
 * a good registration and sign-in give the credential's parts and counter, and each failed check
 * its own {@link PasskeyRefusal}; nothing throws for what a client sends.
 */
class WebAuthn4jCeremoniesTest {

    private static final String RP_ID = "example.com";
    private static final String ORIGIN = "https://login.example.com";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    private final RelyingParty relyingParty = new RelyingParty(RP_ID, Set.of(ORIGIN, "https://example.com"), "Example");
    private final WebAuthn4jCeremonies ceremonies = new WebAuthn4jCeremonies(relyingParty);
    private final SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
    private final SecureRandom random = new SecureRandom();
    private final byte[] userHandle = bytes(32);

    // --- registration ---

    @Test
    @SuppressWarnings("deprecation") // getCborConverter: how WebAuthn4jCeremonies encodes the key
    void aGoodRegistrationGivesTheCredentialsIdKeyAaguidSortedTransportsAndADeviceBoundState() {
        byte[] challenge = bytes(32);
        String json = authenticator.register(encode(challenge), encode(userHandle),
                c -> c.transports(List.of("usb", "internal", "nfc", "hybrid")));

        PasskeyCeremonies.Registration registration = ceremonies.verifyRegistration(json, challenge);

        SoftwareAuthenticator.Credential credential = authenticator.last();
        assertThat(registration).isInstanceOf(PasskeyCeremonies.NewCredential.class);
        PasskeyCeremonies.NewCredential created = (PasskeyCeremonies.NewCredential) registration;
        assertThat(created.credentialId()).isEqualTo(credential.id()).matches("[A-Za-z0-9_-]{22}");
        assertThat(created.signCount()).isZero();
        assertThat(created.aaguid()).isEqualTo(SoftwareAuthenticator.AAGUID_VALUE.toString());
        assertThat(created.transports()).containsExactly("hybrid", "internal", "nfc", "usb");
        assertThat(created.backupEligible()).isFalse();
        assertThat(created.backedUp()).isFalse();
        assertThat(created.publicKey()).matches("[A-Za-z0-9_-]+");
        COSEKey key = new ObjectConverter().getCborConverter().readValue(BASE64URL_DECODER.decode(created.publicKey()),
                COSEKey.class);
        assertThat(key).isEqualTo(EC2COSEKey.create((ECPublicKey) credential.keys.getPublic(), COSEAlgorithmIdentifier.ES256));
        assertThat(key.getAlgorithm()).isEqualTo(COSEAlgorithmIdentifier.ES256);
        assertThat(key.getPublicKey()).isEqualTo(credential.keys.getPublic());
    }

    @Test
    void aSyncedPasskeysRegistrationIsBackupEligibleAndBackedUpAndNoTransportsAreAnEmptyList() {
        byte[] challenge = bytes(32);
        String json = authenticator.register(encode(challenge), encode(userHandle),
                c -> c.backupEligible(true).transports(List.of()));

        PasskeyCeremonies.NewCredential created = (PasskeyCeremonies.NewCredential) ceremonies.verifyRegistration(json,
                challenge);

        assertThat(created.backupEligible()).isTrue();
        assertThat(created.backedUp()).isTrue();
        assertThat(created.transports()).isEmpty();
    }

    @Test
    void aBackupEligiblePasskeyNotYetBackedUpSaysSo() {
        byte[] challenge = bytes(32);
        String json = authenticator.register(encode(challenge), encode(userHandle),
                c -> c.backupEligible(true).backedUp(false));

        PasskeyCeremonies.NewCredential created = (PasskeyCeremonies.NewCredential) ceremonies.verifyRegistration(json,
                challenge);

        assertThat(created.backupEligible()).isTrue();
        assertThat(created.backedUp()).isFalse();
    }

    @Test
    void aRegistrationFromAnyConfiguredOriginPasses() {
        byte[] challenge = bytes(32);
        String json = authenticator.register(encode(challenge), encode(userHandle), c -> c.origin("https://example.com"));

        assertThat(ceremonies.verifyRegistration(json, challenge)).isInstanceOf(PasskeyCeremonies.NewCredential.class);
    }

    @Test
    void aConfiguredOriginWithItsDefaultPortWrittenOutIsTheBrowsersOriginWithout() {
        WebAuthn4jCeremonies explicitPort = new WebAuthn4jCeremonies(new RelyingParty(RP_ID,
                Set.of("https://login.example.com:443"), "Example"));
        byte[] challenge = bytes(32);
        String json = authenticator.register(encode(challenge), encode(userHandle));

        assertThat(explicitPort.verifyRegistration(json, challenge)).isInstanceOf(PasskeyCeremonies.NewCredential.class);
    }

    @Test
    void eachFailedRegistrationCheckHasItsOwnReason() {
        assertThat(registrationRefusal(c -> c.origin("https://evil.example"))).isEqualTo(PasskeyRefusal.ORIGIN_MISMATCH);
        assertThat(registrationRefusal(c -> c.origin("https://login.example.com:8443")))
                .isEqualTo(PasskeyRefusal.ORIGIN_MISMATCH);
        assertThat(registrationRefusal(c -> c.origin("http://login.example.com"))).isEqualTo(PasskeyRefusal.ORIGIN_MISMATCH);
        assertThat(registrationRefusal(c -> c.rpId("evil.example"))).isEqualTo(PasskeyRefusal.RP_ID_MISMATCH);
        assertThat(registrationRefusal(c -> c.rpId("login.example.com"))).isEqualTo(PasskeyRefusal.RP_ID_MISMATCH);
        assertThat(registrationRefusal(c -> c.challenge(encode(bytes(32))))).isEqualTo(PasskeyRefusal.CHALLENGE_MISMATCH);
        assertThat(registrationRefusal(c -> c.type("webauthn.get"))).isEqualTo(PasskeyRefusal.WRONG_TYPE);
        assertThat(registrationRefusal(c -> c.userVerified(false))).isEqualTo(PasskeyRefusal.USER_NOT_VERIFIED);
        assertThat(registrationRefusal(c -> c.userPresent(false))).isEqualTo(PasskeyRefusal.USER_NOT_PRESENT);
        assertThat(registrationRefusal(c -> c.key("secp384r1", COSEAlgorithmIdentifier.ES384)))
                .as("ES384 is not among the options' -7, -8, -257").isEqualTo(PasskeyRefusal.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void aPackedSelfAttestationIsCheckedForItsOwnSignatureAndOtherwiseIgnored() {
        byte[] good = bytes(32);
        byte[] bad = bytes(32);
        String signed = authenticator.register(encode(good), encode(userHandle),
                c -> c.attestation(SoftwareAuthenticator.Attestation.PACKED_SELF));
        String corrupted = authenticator.register(encode(bad), encode(userHandle),
                c -> c.attestation(SoftwareAuthenticator.Attestation.PACKED_SELF_CORRUPTED));

        assertThat(ceremonies.verifyRegistration(signed, good)).isInstanceOf(PasskeyCeremonies.NewCredential.class);
        assertThat(ceremonies.verifyRegistration(corrupted, bad))
                .isEqualTo(new PasskeyCeremonies.Failed(PasskeyRefusal.ATTESTATION_INVALID));
    }

    @Test
    void aRegistrationResponseThatIsNoneIsMalformedAndReadsAsNothing() {
        byte[] challenge = bytes(32);
        String good = authenticator.register(encode(challenge), encode(userHandle));
        for (String malformed : malformedRegistrations(good)) {
            assertThat(ceremonies.verifyRegistration(malformed, challenge)).as(malformed)
                    .isEqualTo(new PasskeyCeremonies.Failed(PasskeyRefusal.MALFORMED_RESPONSE));
            assertThat(ceremonies.read(malformed, PasskeyStore.Ceremony.REGISTRATION)).as(malformed).isEmpty();
        }
    }

    @Test
    void readingARegistrationGivesItsChallengeAndCredentialIdAndNoUserHandle() {
        byte[] challenge = bytes(32);
        String json = authenticator.register(encode(challenge), encode(userHandle));

        PasskeyCeremonies.Response read = ceremonies.read(json, PasskeyStore.Ceremony.REGISTRATION).orElseThrow();

        assertThat(read.challenge()).isEqualTo(challenge);
        assertThat(read.credentialId()).isEqualTo(authenticator.last().id());
        assertThat(read.userHandle()).isEmpty();
        assertThat(ceremonies.read(json, PasskeyStore.Ceremony.AUTHENTICATION))
                .as("an attestation response is no assertion").isEmpty();
    }

    // --- authentication ---

    @Test
    void aGoodSignInGivesTheNewCounterAndTheBackupState() {
        Passkey passkey = registered(UnaryOperator.identity());
        byte[] challenge = bytes(32);

        PasskeyCeremonies.Assertion first = ceremonies.verifyAssertion(authenticator.signIn(encode(challenge)), challenge,
                passkey);
        byte[] again = bytes(32);
        PasskeyCeremonies.Assertion second = ceremonies.verifyAssertion(authenticator.signIn(encode(again)), again,
                withCounter(passkey, 1));

        assertThat(first).isEqualTo(new PasskeyCeremonies.Asserted(1, false));
        assertThat(second).isEqualTo(new PasskeyCeremonies.Asserted(2, false));
    }

    @Test
    void aSyncedPasskeySignsInWithoutACounterAndReportsItsBackupState() {
        Passkey passkey = registered(c -> c.backupEligible(true));
        byte[] challenge = bytes(32);
        byte[] later = bytes(32);

        PasskeyCeremonies.Assertion backedUp = ceremonies.verifyAssertion(authenticator.signIn(encode(challenge)),
                challenge, passkey);
        PasskeyCeremonies.Assertion notBackedUp = ceremonies.verifyAssertion(authenticator.signIn(encode(later),
                c -> c.backedUp(false)), later, passkey);

        assertThat(backedUp).isEqualTo(new PasskeyCeremonies.Asserted(0, true));
        assertThat(notBackedUp).isEqualTo(new PasskeyCeremonies.Asserted(0, false));
    }

    @Test
    void readingASignInGivesItsChallengeCredentialIdAndUserHandle() {
        registered(UnaryOperator.identity());
        byte[] challenge = bytes(32);
        String json = authenticator.signIn(encode(challenge));

        PasskeyCeremonies.Response read = ceremonies.read(json, PasskeyStore.Ceremony.AUTHENTICATION).orElseThrow();
        PasskeyCeremonies.Response withoutHandle = ceremonies.read(authenticator.signIn(encode(challenge),
                c -> c.userHandle(Optional.empty())), PasskeyStore.Ceremony.AUTHENTICATION).orElseThrow();

        assertThat(read.challenge()).isEqualTo(challenge);
        assertThat(read.credentialId()).isEqualTo(authenticator.last().id());
        assertThat(read.userHandle()).contains(encode(userHandle));
        assertThat(withoutHandle.userHandle()).isEmpty();
        assertThat(ceremonies.read(json, PasskeyStore.Ceremony.REGISTRATION)).as("an assertion is no attestation").isEmpty();
    }

    @Test
    void eachFailedSignInCheckHasItsOwnReason() {
        Passkey passkey = registered(UnaryOperator.identity());

        assertThat(signInRefusal(passkey, c -> c.origin("https://evil.example"))).isEqualTo(PasskeyRefusal.ORIGIN_MISMATCH);
        assertThat(signInRefusal(passkey, c -> c.rpId("evil.example"))).isEqualTo(PasskeyRefusal.RP_ID_MISMATCH);
        assertThat(signInRefusal(passkey, c -> c.challenge(encode(bytes(32))))).isEqualTo(PasskeyRefusal.CHALLENGE_MISMATCH);
        assertThat(signInRefusal(passkey, c -> c.type("webauthn.create"))).isEqualTo(PasskeyRefusal.WRONG_TYPE);
        assertThat(signInRefusal(passkey, c -> c.userVerified(false))).isEqualTo(PasskeyRefusal.USER_NOT_VERIFIED);
        assertThat(signInRefusal(passkey, c -> c.userPresent(false))).isEqualTo(PasskeyRefusal.USER_NOT_PRESENT);
        assertThat(signInRefusal(passkey, c -> c.signWith(SoftwareAuthenticator.strangerKey())))
                .isEqualTo(PasskeyRefusal.SIGNATURE_INVALID);
        assertThat(signInRefusal(passkey, SoftwareAuthenticator.Ceremony::corruptSignature))
                .isEqualTo(PasskeyRefusal.SIGNATURE_INVALID);
    }

    @Test
    void aCounterAtOrBelowTheStoredOneIsARegression() {
        Passkey passkey = withCounter(registered(UnaryOperator.identity()), 5);

        assertThat(signInRefusal(passkey, c -> c.counter(3))).isEqualTo(PasskeyRefusal.COUNTER_REGRESSION);
        assertThat(signInRefusal(passkey, c -> c.counter(5))).isEqualTo(PasskeyRefusal.COUNTER_REGRESSION);
        assertThat(signInRefusal(passkey, c -> c.counter(0))).as("a counter that stopped counting")
                .isEqualTo(PasskeyRefusal.COUNTER_REGRESSION);
        byte[] challenge = bytes(32);
        assertThat(ceremonies.verifyAssertion(authenticator.signIn(authenticator.last(), encode(challenge),
                c -> c.counter(6)), challenge, passkey)).isEqualTo(new PasskeyCeremonies.Asserted(6, false));
    }

    @Test
    void theSignatureIsCheckedBeforeTheCounter() {
        Passkey passkey = withCounter(registered(UnaryOperator.identity()), 5);

        assertThat(signInRefusal(passkey, c -> c.counter(3).corruptSignature())).isEqualTo(PasskeyRefusal.SIGNATURE_INVALID);
    }

    @Test
    void anotherCredentialsAssertionDoesNotVerifyWithThisPasskey() {
        Passkey passkey = registered(UnaryOperator.identity());
        authenticator.register(encode(bytes(32)), encode(userHandle));
        byte[] challenge = bytes(32);

        PasskeyCeremonies.Assertion other = ceremonies.verifyAssertion(authenticator.signIn(encode(challenge)), challenge,
                passkey);

        assertThat(other).as("its credential id is not the one allowed").isInstanceOf(PasskeyCeremonies.Failed.class);
    }

    @Test
    void aStoredKeyThatNoLongerDecodesIsASignatureFailure() {
        Passkey passkey = registered(UnaryOperator.identity());
        Passkey broken = new Passkey(passkey.credentialId(), passkey.username(), passkey.userId(), passkey.userHandle(),
                "AAAA", passkey.signCount(), passkey.aaguid(), passkey.transports(), passkey.backupEligible(),
                passkey.backedUp(), passkey.name(), passkey.createdAt(), passkey.lastUsedAt(), passkey.flagged());
        byte[] challenge = bytes(32);

        assertThat(ceremonies.verifyAssertion(authenticator.signIn(encode(challenge)), challenge, broken))
                .isEqualTo(new PasskeyCeremonies.Failed(PasskeyRefusal.SIGNATURE_INVALID));
    }

    @Test
    void aSignInResponseThatIsNoneIsMalformedAndReadsAsNothing() {
        Passkey passkey = registered(UnaryOperator.identity());
        byte[] challenge = bytes(32);
        String good = authenticator.signIn(encode(challenge));
        List<String> malformed = List.of("", "not json", "[]", "{}", "null",
                good.replaceFirst("\"clientDataJSON\":\"[^\"]*\",", ""),
                good.replaceFirst("\"authenticatorData\":\"[^\"]*\",", ""),
                good.replaceFirst("\"clientDataJSON\":\"[^\"]*\"", "\"clientDataJSON\":\"AAAA\""),
                good.replaceFirst("\"clientDataJSON\":\"[^\"]*\"", "\"clientDataJSON\":\"" + encode("{}".getBytes()) + "\""),
                good.replaceFirst("\"authenticatorData\":\"[^\"]*\"", "\"authenticatorData\":\"AAAA\""),
                good.replaceFirst("\"authenticatorData\":\"[^\"]*\"", "\"authenticatorData\":\"!!!\""),
                good.replace("\"id\":\"" + authenticator.last().id() + "\",\"rawId\":\"" + authenticator.last().id() + "\",", ""),
                good.replaceFirst("\"response\":\\{", "\"response\":{\"clientDataJSON\":7,\"x\":{"));
        for (String json : malformed) {
            assertThat(ceremonies.read(json, PasskeyStore.Ceremony.AUTHENTICATION)).as(json).isEmpty();
            assertThat(ceremonies.verifyAssertion(json, challenge, passkey)).as(json)
                    .isEqualTo(new PasskeyCeremonies.Failed(PasskeyRefusal.MALFORMED_RESPONSE));
        }
        assertThat(good).as("the good one has what the mangled ones lack").contains("\"clientDataJSON\":",
                "\"authenticatorData\":", "\"signature\":", "\"userHandle\":", "\"rawId\":",
                "\"type\":\"public-key\"", "\"clientExtensionResults\":{}", "\"authenticatorAttachment\":\"platform\"");
    }

    @Test
    void everyWebAuthn4jVerificationExceptionNotNamedIsMalformed() {
        assertThat(WebAuthn4jCeremonies.refusal(new com.webauthn4j.verifier.exception.CrossOriginException("x")))
                .isEqualTo(PasskeyRefusal.MALFORMED_RESPONSE);
        assertThat(WebAuthn4jCeremonies.refusal(new com.webauthn4j.verifier.exception.BadAttestationStatementException("x")))
                .isEqualTo(PasskeyRefusal.ATTESTATION_INVALID);
    }

    // --- helpers ---

    private PasskeyRefusal registrationRefusal(UnaryOperator<SoftwareAuthenticator.Ceremony> tamper) {
        byte[] challenge = bytes(32);
        String json = authenticator.register(encode(challenge), encode(userHandle), tamper);
        assertThat(ceremonies.read(json, PasskeyStore.Ceremony.REGISTRATION)).as("a well-formed response, read").isPresent();
        PasskeyCeremonies.Registration registration = ceremonies.verifyRegistration(json, challenge);
        assertThat(registration).isInstanceOf(PasskeyCeremonies.Failed.class);
        return ((PasskeyCeremonies.Failed) registration).reason();
    }

    private PasskeyRefusal signInRefusal(Passkey passkey, UnaryOperator<SoftwareAuthenticator.Ceremony> tamper) {
        byte[] challenge = bytes(32);
        String json = authenticator.signIn(authenticator.last(), encode(challenge), tamper);
        assertThat(ceremonies.read(json, PasskeyStore.Ceremony.AUTHENTICATION)).as("a well-formed response, read").isPresent();
        PasskeyCeremonies.Assertion assertion = ceremonies.verifyAssertion(json, challenge, passkey);
        assertThat(assertion).isInstanceOf(PasskeyCeremonies.Failed.class);
        return ((PasskeyCeremonies.Failed) assertion).reason();
    }

    private List<String> malformedRegistrations(String good) {
        return List.of("", "not json", "[]", "{}", "null", "{\"response\":{}}",
                good.replaceFirst("\"attestationObject\":\"[^\"]*\"", "\"attestationObject\":\"AAAA\""),
                good.replaceFirst(",\"attestationObject\":\"[^\"]*\"", ""),
                good.replaceFirst("\"clientDataJSON\":\"[^\"]*\",", ""),
                good.replaceFirst("\"clientDataJSON\":\"[^\"]*\"", "\"clientDataJSON\":\"" + encode("[1]".getBytes()) + "\""),
                good.replaceFirst("\"transports\":\\[[^]]*]", "\"transports\":\"usb\""));
    }

    /** A passkey stored from a good registration of the authenticator, as PasskeyService stores it. */
    private Passkey registered(UnaryOperator<SoftwareAuthenticator.Ceremony> tamper) {
        byte[] challenge = bytes(32);
        PasskeyCeremonies.NewCredential created = (PasskeyCeremonies.NewCredential) ceremonies.verifyRegistration(
                authenticator.register(encode(challenge), encode(userHandle), tamper), challenge);
        return new Passkey(created.credentialId(), "alice", "4a1f2c9e-2b7d-4e3a-9f0c-6d5e8b7a1c20", encode(userHandle),
                created.publicKey(), created.signCount(), created.aaguid(), created.transports(), created.backupEligible(),
                created.backedUp(), "Passkey", Instant.parse("2026-11-26T10:00:00Z"), Optional.empty(), false);
    }

    private static Passkey withCounter(Passkey passkey, long counter) {
        return new Passkey(passkey.credentialId(), passkey.username(), passkey.userId(), passkey.userHandle(),
                passkey.publicKey(), counter, passkey.aaguid(), passkey.transports(), passkey.backupEligible(),
                passkey.backedUp(), passkey.name(), passkey.createdAt(), passkey.lastUsedAt(), passkey.flagged());
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String encode(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }
}
