package dev.authfn.functions.passkeys;

import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.AttestationStatement;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.attestation.statement.PackedAttestationStatement;
import com.webauthn4j.data.extension.authenticator.AuthenticationExtensionAuthenticatorOutput;
import com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A test-only authenticator and browser in one, standing in for webauthn4j-test (not on Maven
 * Central here): a CTAP2-like authenticator with resident (discoverable) credentials, each an EC
 * key pair of its own, and the browser part that hands the relying party
 * {@code PublicKeyCredential.toJSON()}, a RegistrationResponseJSON or an
 * AuthenticationResponseJSON, binary members unpadded base64url.
 *
 * <p>The authenticator data, attestation object and COSE keys are made with webauthn4j-core's own
 * classes and converters ({@link AuthenticatorDataConverter}, {@link EC2COSEKey},
 * {@link AttestationObject} through its CBOR converter), never by hand, so what the relying party
 * parses is what a conformant authenticator sends. Each {@link Ceremony} option changes one thing
 * a real authenticator or browser would get right, for the relying party's checks to catch.
 */
final class SoftwareAuthenticator {

    /** This model's AAGUID, as a real authenticator reports its own. */
    static final UUID AAGUID_VALUE = UUID.fromString("6a5a3c9e-0b1f-4d2e-8c7b-9f1e2d3c4b5a");

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    /** A resident credential: its id, key pair and algorithm, the RP and user it was made for, its counter. */
    static final class Credential {
        final byte[] id;
        final KeyPair keys;
        final COSEAlgorithmIdentifier algorithm;
        final String rpId;
        final byte[] userHandle;
        final boolean backupEligible;
        long counter;

        Credential(byte[] id, KeyPair keys, COSEAlgorithmIdentifier algorithm, String rpId, byte[] userHandle,
                boolean backupEligible) {
            this.id = id;
            this.keys = keys;
            this.algorithm = algorithm;
            this.rpId = rpId;
            this.userHandle = userHandle;
            this.backupEligible = backupEligible;
        }

        /** The credential id as the JSON's {@code id} and the store's key: unpadded base64url. */
        String id() {
            return BASE64URL.encodeToString(id);
        }
    }

    /**
     * One ceremony's knobs, defaulting to what an honest authenticator and browser do: user
     * present and verified, the right origin, RP ID, type and challenge, an honest signature.
     */
    static final class Ceremony {
        String origin;
        String rpId;
        String type;
        String challenge;
        boolean userPresent = true;
        boolean userVerified = true;
        Boolean backupEligible;
        Boolean backedUp;
        Long counter;
        PrivateKey signingKey;
        boolean corruptSignature;
        Optional<byte[]> userHandle;
        List<String> transports = List.of("internal", "hybrid");
        String attachment = "platform";
        String curve = "secp256r1";
        COSEAlgorithmIdentifier algorithm = COSEAlgorithmIdentifier.ES256;
        Attestation attestation = Attestation.NONE;

        /** The client data's origin (the page the browser ran the ceremony on). */
        Ceremony origin(String value) {
            origin = value;
            return this;
        }

        /** The RP ID whose SHA-256 the authenticator data carries. */
        Ceremony rpId(String value) {
            rpId = value;
            return this;
        }

        /** The client data's type ({@code webauthn.create} / {@code webauthn.get}). */
        Ceremony type(String value) {
            type = value;
            return this;
        }

        /** The client data's challenge, as written there (unpadded base64url), instead of the options'. */
        Ceremony challenge(String value) {
            challenge = value;
            return this;
        }

        Ceremony userPresent(boolean value) {
            userPresent = value;
            return this;
        }

        Ceremony userVerified(boolean value) {
            userVerified = value;
            return this;
        }

        /** The BE flag (a registration's makes the credential synced or device-bound). */
        Ceremony backupEligible(boolean value) {
            backupEligible = value;
            return this;
        }

        /** The BS flag; by default set exactly when BE is. */
        Ceremony backedUp(boolean value) {
            backedUp = value;
            return this;
        }

        /** The signature counter presented, and kept from then on. */
        Ceremony counter(long value) {
            counter = value;
            return this;
        }

        /** Signs with this key instead of the credential's. */
        Ceremony signWith(PrivateKey key) {
            signingKey = key;
            return this;
        }

        /** Flips a bit of the signature's last byte. */
        Ceremony corruptSignature() {
            corruptSignature = true;
            return this;
        }

        /** The assertion's user handle (empty: the member left out) instead of the credential's. */
        Ceremony userHandle(Optional<byte[]> value) {
            userHandle = value;
            return this;
        }

        Ceremony transports(List<String> value) {
            transports = List.copyOf(value);
            return this;
        }

        Ceremony attachment(String value) {
            attachment = value;
            return this;
        }

        /**
         * A registration's key: {@code secp384r1} with {@link COSEAlgorithmIdentifier#ES384} makes a
         * credential of an algorithm the options did not offer.
         */
        Ceremony key(String curveName, COSEAlgorithmIdentifier coseAlgorithm) {
            curve = curveName;
            algorithm = coseAlgorithm;
            return this;
        }

        /** A registration's attestation statement. */
        Ceremony attestation(Attestation value) {
            attestation = value;
            return this;
        }
    }

    /** The attestation statement a registration carries. */
    enum Attestation {
        /** {@code none}: what authfn's options ask for, and what browsers send for it. */
        NONE,
        /** {@code packed} self attestation, signed with the new credential's own key. */
        PACKED_SELF,
        /** {@code packed} self attestation whose signature is corrupted. */
        PACKED_SELF_CORRUPTED
    }

    private final ObjectConverter converter = new ObjectConverter();
    private final AuthenticatorDataConverter authenticatorData = new AuthenticatorDataConverter(converter);
    private final SecureRandom random = new SecureRandom();
    private final String origin;
    private final String rpId;
    private final List<Credential> credentials = new ArrayList<>();

    /** An authenticator in a browser at {@code origin}, whose relying party is {@code rpId}. */
    SoftwareAuthenticator(String origin, String rpId) {
        this.origin = origin;
        this.rpId = rpId;
    }

    /** The resident credentials, oldest first. */
    List<Credential> credentials() {
        return List.copyOf(credentials);
    }

    /** The newest resident credential. */
    Credential last() {
        return credentials.getLast();
    }

    /** navigator.credentials.create() for the options' challenge and user id (both unpadded base64url). */
    String register(String challenge, String userId) {
        return register(challenge, userId, UnaryOperator.identity());
    }

    /**
     * navigator.credentials.create(), tampered as {@code tamper} says: a new resident credential
     * with its own key pair, answered as a RegistrationResponseJSON, by default with a
     * {@code none} attestation (what authfn's options ask for).
     */
    @SuppressWarnings("deprecation") // getCborConverter: the webauthn4j-configured CBOR mapper, as the ceremonies use it
    String register(String challenge, String userId, UnaryOperator<Ceremony> tamper) {
        Ceremony ceremony = tamper.apply(new Ceremony());
        boolean backupEligible = ceremony.backupEligible != null && ceremony.backupEligible;
        byte[] id = new byte[16];
        random.nextBytes(id);
        KeyPair keys = keyPair(ceremony.curve);
        Credential credential = new Credential(id, keys, ceremony.algorithm, rpId, BASE64URL_DECODER.decode(userId),
                backupEligible);
        credential.counter = ceremony.counter == null ? 0 : ceremony.counter;
        credentials.add(credential);

        COSEKey key = EC2COSEKey.create((ECPublicKey) keys.getPublic(), ceremony.algorithm);
        AttestedCredentialData attested = new AttestedCredentialData(new AAGUID(AAGUID_VALUE), id, key);
        byte flags = (byte) (flags(ceremony, backupEligible) | AuthenticatorData.BIT_AT);
        AuthenticatorData<RegistrationExtensionAuthenticatorOutput> data = new AuthenticatorData<>(
                rpIdHash(ceremony), flags, credential.counter, attested);
        byte[] authData = authenticatorData.convert(data);
        byte[] clientData = clientData(ceremony, "webauthn.create", challenge);
        AttestationStatement statement = new NoneAttestationStatement();
        if (ceremony.attestation != Attestation.NONE) {
            byte[] sig = sign(keys.getPrivate(), ceremony.algorithm, concat(authData, sha256(clientData)));
            if (ceremony.attestation == Attestation.PACKED_SELF_CORRUPTED) {
                sig[sig.length - 1] ^= 0x01;
            }
            statement = new PackedAttestationStatement(ceremony.algorithm, sig, null);
        }
        byte[] attestationObject = converter.getCborConverter().writeValueAsBytes(new AttestationObject(data, statement));

        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", BASE64URL.encodeToString(clientData));
        response.put("authenticatorData", BASE64URL.encodeToString(authData));
        response.put("transports", ceremony.transports);
        response.put("publicKey", BASE64URL.encodeToString(keys.getPublic().getEncoded()));
        response.put("publicKeyAlgorithm", ceremony.algorithm.getValue());
        response.put("attestationObject", BASE64URL.encodeToString(attestationObject));
        return credential(id, response, ceremony.attachment);
    }

    /** navigator.credentials.get() with the newest credential, for the options' challenge. */
    String signIn(String challenge) {
        return signIn(last(), challenge, UnaryOperator.identity());
    }

    String signIn(String challenge, UnaryOperator<Ceremony> tamper) {
        return signIn(last(), challenge, tamper);
    }

    /**
     * navigator.credentials.get() with {@code credential}, tampered as {@code tamper} says: the
     * authenticator data and client data hash signed,
     * answered as an AuthenticationResponseJSON with the credential's user handle. A device-bound
     * credential's counter moves on by one (unless set); a synced one's stays 0.
     */
    String signIn(Credential credential, String challenge, UnaryOperator<Ceremony> tamper) {
        Ceremony ceremony = tamper.apply(new Ceremony());
        if (ceremony.counter != null) {
            credential.counter = ceremony.counter;
        } else if (!credential.backupEligible) {
            // A device-bound key counts its signatures; a synced passkey's copies cannot agree on one, so keep 0.
            credential.counter++;
        }
        byte flags = flags(ceremony, credential.backupEligible);
        byte[] authData = authenticatorData.convert(new AuthenticatorData<AuthenticationExtensionAuthenticatorOutput>(
                rpIdHash(ceremony), flags, credential.counter));
        byte[] clientData = clientData(ceremony, "webauthn.get", challenge);
        byte[] signature = sign(ceremony.signingKey != null ? ceremony.signingKey : credential.keys.getPrivate(),
                credential.algorithm, concat(authData, sha256(clientData)));
        if (ceremony.corruptSignature) {
            signature[signature.length - 1] ^= 0x01;
        }

        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", BASE64URL.encodeToString(clientData));
        response.put("authenticatorData", BASE64URL.encodeToString(authData));
        response.put("signature", BASE64URL.encodeToString(signature));
        Optional<byte[]> userHandle = ceremony.userHandle != null ? ceremony.userHandle
                : Optional.of(credential.userHandle);
        userHandle.ifPresent(handle -> response.put("userHandle", BASE64URL.encodeToString(handle)));
        return credential(credential.id, response, ceremony.attachment);
    }

    /** A fresh P-256 private key no credential has: signs, but not for anyone's public key. */
    static PrivateKey strangerKey() {
        return keyPair("secp256r1").getPrivate();
    }

    /** The route body: {@code {"credential": <json>}}, and the name when there is one. */
    static String body(String credentialJson, String name) {
        return "{\"credential\":" + credentialJson + (name == null ? "" : ",\"name\":\"" + name + "\"") + "}";
    }

    private String credential(byte[] id, Map<String, Object> response, String attachment) {
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("id", BASE64URL.encodeToString(id));
        credential.put("rawId", BASE64URL.encodeToString(id));
        credential.put("type", "public-key");
        credential.put("response", response);
        credential.put("clientExtensionResults", Map.of());
        credential.put("authenticatorAttachment", attachment);
        return converter.getJsonMapper().writeValueAsString(credential);
    }

    /** The client data as a browser serialises it (WebAuthn §5.8.1.1: type, challenge, origin, crossOrigin). */
    private byte[] clientData(Ceremony ceremony, String type, String challenge) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", ceremony.type != null ? ceremony.type : type);
        data.put("challenge", ceremony.challenge != null ? ceremony.challenge : challenge);
        data.put("origin", ceremony.origin != null ? ceremony.origin : origin);
        data.put("crossOrigin", false);
        return converter.getJsonMapper().writeValueAsString(data).getBytes(StandardCharsets.UTF_8);
    }

    private static byte flags(Ceremony ceremony, boolean backupEligible) {
        boolean be = ceremony.backupEligible != null ? ceremony.backupEligible : backupEligible;
        boolean bs = ceremony.backedUp != null ? ceremony.backedUp : be;
        int flags = (ceremony.userPresent ? AuthenticatorData.BIT_UP : 0) | (ceremony.userVerified ? AuthenticatorData.BIT_UV : 0)
                | (be ? AuthenticatorData.BIT_BE : 0) | (bs ? AuthenticatorData.BIT_BS : 0);
        return (byte) flags;
    }

    private byte[] rpIdHash(Ceremony ceremony) {
        return sha256((ceremony.rpId != null ? ceremony.rpId : rpId).getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair keyPair(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ECDSA over the data, ASN.1 DER as WebAuthn's ES256 (and ES384) signatures are. */
    private static byte[] sign(PrivateKey key, COSEAlgorithmIdentifier algorithm, byte[] data) {
        try {
            Signature signature = Signature.getInstance(
                    algorithm.equals(COSEAlgorithmIdentifier.ES384) ? "SHA384withECDSA" : "SHA256withECDSA");
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}
