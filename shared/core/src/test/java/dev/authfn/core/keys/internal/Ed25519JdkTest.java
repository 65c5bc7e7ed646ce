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
import java.security.Signature;
import java.util.HexFormat;
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
}
