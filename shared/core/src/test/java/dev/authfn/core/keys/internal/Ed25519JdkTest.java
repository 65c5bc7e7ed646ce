package dev.authfn.core.keys.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class Ed25519JdkTest {
    /** RFC 8037 appendix A.1, the key of RFC 8032 section 7.1 test 1. */
    static final OctetKeyPair RFC8037_KEY = new OctetKeyPair.Builder(
            Curve.Ed25519, new Base64URL("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"))
            .d(new Base64URL("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"))
            .build();

    /** RFC 8032 section 7.1 test 1: the signature of the empty message. */
    private static final byte[] RFC8032_EMPTY_MESSAGE_SIGNATURE = HexFormat.of().parseHex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

    @Test
    void convertsRfcKeyToJdkKeysThatReproduceTheRfcSignature() throws Exception {
        // given
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(Ed25519Jdk.privateKey(RFC8037_KEY));

        // when
        byte[] signature = signer.sign();

        // then
        assertThat(signature).isEqualTo(RFC8032_EMPTY_MESSAGE_SIGNATURE);
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(Ed25519Jdk.publicKey(RFC8037_KEY));
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void encodesPublicPointBackToTheRfcBytes() throws Exception {
        byte[] x = RFC8037_KEY.getDecodedX();

        assertThat(Ed25519Jdk.encodePoint(Ed25519Jdk.decodePoint(x))).isEqualTo(x);
        assertThat(Ed25519Jdk.encodePoint(Ed25519Jdk.publicKey(RFC8037_KEY).getPoint())).isEqualTo(x);
    }

    @Test
    void generatesKeyPairWhoseJwkHalvesBelongTogether() throws Exception {
        // given
        OctetKeyPair generated = Ed25519Jdk.generate("jwt-1");
        byte[] message = "generated".getBytes(StandardCharsets.UTF_8);

        // when
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(Ed25519Jdk.privateKey(generated));
        signer.update(message);
        byte[] signature = signer.sign();

        // then
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(Ed25519Jdk.publicKey((OctetKeyPair) generated.toPublicJWK()));
        verifier.update(message);
        assertThat(verifier.verify(signature)).isTrue();
        assertThat(generated.getKeyID()).isEqualTo("jwt-1");
        assertThat(generated.getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(generated.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
    }

    @Test
    void refusesPublicOnlyKeyAsPrivateKey() {
        assertThatThrownBy(() -> Ed25519Jdk.privateKey(RFC8037_KEY.toPublicJWK()))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void refusesOtherCurves() {
        OctetKeyPair x25519 = new OctetKeyPair.Builder(Curve.X25519, RFC8037_KEY.getX()).build();

        assertThatThrownBy(() -> Ed25519Jdk.publicKey(x25519)).isInstanceOf(GeneralSecurityException.class);
    }

    /**
     * RFC 8032 section 7.1 "TEST SHA(abc)": a key whose x is odd, so its public key has the top
     * bit of the last byte set (RFC 8037's key, test 1, has an even x and leaves that bit clear).
     */
    static final OctetKeyPair ODD_X_KEY = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(
            HexFormat.of().parseHex("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf")))
            .d(Base64URL.encode(HexFormat.of().parseHex(
                    "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42")))
            .build();

    private static final byte[] SHA_ABC_MESSAGE = HexFormat.of().parseHex(
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    private static final byte[] SHA_ABC_SIGNATURE = HexFormat.of().parseHex(
            "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
            + "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704");

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw key follows it. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    @Test
    void convertsAKeyWithOddXToJdkKeysThatReproduceTheRfcSignature() throws Exception {
        // given: the sign bit of x is the top bit of the last byte
        assertThat(ODD_X_KEY.getDecodedX()[31] & 0x80).isEqualTo(0x80);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(Ed25519Jdk.privateKey(ODD_X_KEY));
        signer.update(SHA_ABC_MESSAGE);

        // when
        byte[] signature = signer.sign();

        // then
        assertThat(signature).isEqualTo(SHA_ABC_SIGNATURE);
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(Ed25519Jdk.publicKey(ODD_X_KEY));
        verifier.update(SHA_ABC_MESSAGE);
        assertThat(verifier.verify(signature)).isTrue();
        assertThat(Ed25519Jdk.publicKey(ODD_X_KEY).getPoint().isXOdd()).isTrue();
    }

    @Test
    void encodesAndDecodesXOddAndEvenAsTheJdksOwnX509CodecDoes() throws Exception {
        KeyFactory jdk = KeyFactory.getInstance("Ed25519");
        for (OctetKeyPair key : List.of(ODD_X_KEY, RFC8037_KEY)) {
            byte[] x = key.getDecodedX();
            EdECPublicKey decodedByTheJdk = (EdECPublicKey) jdk.generatePublic(new X509EncodedKeySpec(x509(x)));

            EdECPoint decoded = Ed25519Jdk.decodePoint(x);

            assertThat(decoded.isXOdd()).isEqualTo(decodedByTheJdk.getPoint().isXOdd());
            assertThat(decoded.getY()).isEqualTo(decodedByTheJdk.getPoint().getY());
            assertThat(Ed25519Jdk.encodePoint(decodedByTheJdk.getPoint())).isEqualTo(x);
            assertThat(Ed25519Jdk.publicKey(key).getEncoded()).isEqualTo(x509(x));
        }
        assertThat(Ed25519Jdk.decodePoint(ODD_X_KEY.getDecodedX()).isXOdd()).isTrue();
        assertThat(Ed25519Jdk.decodePoint(RFC8037_KEY.getDecodedX()).isXOdd()).isFalse();
    }

    @Test
    void derivesTheRfcPublicKeyFromItsSeedAsTheJdkDoes() throws Exception {
        // The JDK's generator takes its 32-byte seed from the SecureRandom it is given.
        for (OctetKeyPair key : List.of(ODD_X_KEY, RFC8037_KEY)) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(key.getDecodedD()));
            EdECPublicKey derived = (EdECPublicKey) generator.generateKeyPair().getPublic();

            assertThat(Ed25519Jdk.encodePoint(derived.getPoint())).isEqualTo(key.getDecodedX());
        }
    }

    @Test
    void encodesASmallYIntoThe32LittleEndianBytesWithTheSignBitOnTop() {
        byte[] encoded = Ed25519Jdk.encodePoint(new EdECPoint(true, java.math.BigInteger.valueOf(0x0102)));

        byte[] expected = new byte[32];
        expected[0] = 0x02;
        expected[1] = 0x01;
        expected[31] = (byte) 0x80;
        assertThat(encoded).isEqualTo(expected);
    }

    @Test
    void refusesAPrivateKeyOfAnotherCurve() {
        OctetKeyPair x25519 = new OctetKeyPair.Builder(Curve.X25519, RFC8037_KEY.getX()).d(RFC8037_KEY.getD()).build();

        assertThatThrownBy(() -> Ed25519Jdk.privateKey(x25519))
                .isInstanceOf(GeneralSecurityException.class).hasMessage("not an Ed25519 key");
    }

    @Test
    void refusesKeysOfTheWrongLength() {
        OctetKeyPair shortX = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(new byte[31])).build();
        OctetKeyPair shortD = new OctetKeyPair.Builder(Curve.Ed25519, RFC8037_KEY.getX())
                .d(Base64URL.encode(new byte[31])).build();

        assertThatThrownBy(() -> Ed25519Jdk.publicKey(shortX))
                .isInstanceOf(GeneralSecurityException.class).hasMessage("not an Ed25519 key");
        assertThatThrownBy(() -> Ed25519Jdk.privateKey(shortD))
                .isInstanceOf(GeneralSecurityException.class).hasMessage("not a private Ed25519 key");
    }

    private static byte[] x509(byte[] x) {
        byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + x.length);
        System.arraycopy(x, 0, der, X509_PREFIX.length, x.length);
        return der;
    }

    /** A SecureRandom that hands out the given bytes: the seed of a known key. */
    private static final class FixedBytes extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }
}
