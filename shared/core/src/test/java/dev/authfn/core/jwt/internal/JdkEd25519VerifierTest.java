package dev.authfn.core.jwt.internal;

import static dev.authfn.core.jwt.internal.JdkEd25519SignerTest.RFC8037_JWS;
import static dev.authfn.core.jwt.internal.JdkEd25519SignerTest.RFC8037_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import dev.authfn.core.keys.internal.Ed25519Jdk;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JdkEd25519VerifierTest {

    private static JdkEd25519Verifier verifier() throws Exception {
        return new JdkEd25519Verifier(Ed25519Jdk.publicKey((OctetKeyPair) RFC8037_KEY.toPublicJWK()));
    }

    private static byte[] signingInput() {
        return RFC8037_JWS.substring(0, RFC8037_JWS.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] signature() {
        return new Base64URL(RFC8037_JWS.substring(RFC8037_JWS.lastIndexOf('.') + 1)).decode();
    }

    @Test
    void verifiesTheRfc8037Example() throws Exception {
        assertThat(JWSObject.parse(RFC8037_JWS).verify(verifier())).isTrue();
    }

    @Test
    void refusesSignatureWithOneBitFlipped() throws Exception {
        byte[] signature = signature();
        signature[0] ^= 0x01;

        assertThat(verifier().verify(new JWSHeader(JWSAlgorithm.EdDSA), signingInput(), Base64URL.encode(signature)))
                .isFalse();
    }

    @Test
    void refusesSignatureOfWrongLength() throws Exception {
        byte[] truncated = Arrays.copyOf(signature(), 63);

        assertThat(verifier().verify(new JWSHeader(JWSAlgorithm.EdDSA), signingInput(), Base64URL.encode(truncated)))
                .isFalse();
    }

    @Test
    void refusesOtherAlgorithms() throws Exception {
        assertThat(verifier().verify(new JWSHeader(JWSAlgorithm.ES256), signingInput(), Base64URL.encode(signature())))
                .isFalse();
    }

    @Test
    void refusesAnyCriticalHeader() throws Exception {
        JWSHeader critical = new JWSHeader.Builder(JWSAlgorithm.EdDSA)
                .criticalParams(Set.of("urn:example:x")).customParam("urn:example:x", 1).build();

        assertThat(verifier().verify(critical, signingInput(), Base64URL.encode(signature()))).isFalse();
    }

    @Test
    void declaresEdDsaAloneAndAJcaContextToNimbus() throws Exception {
        JdkEd25519Verifier verifier = verifier();

        assertThat(verifier.supportedJWSAlgorithms()).isEqualTo(Set.of(JWSAlgorithm.EdDSA));
        assertThat(verifier.getJCAContext()).isNotNull();
    }
}
