package dev.authfn.core.jwt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import dev.authfn.core.keys.internal.Ed25519Jdk;
import org.junit.jupiter.api.Test;

class JdkEd25519SignerTest {
    /** RFC 8037 appendix A.1. */
    static final OctetKeyPair RFC8037_KEY = new OctetKeyPair.Builder(
            Curve.Ed25519, new Base64URL("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"))
            .d(new Base64URL("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"))
            .build();
    /** RFC 8037 appendix A.4. */
    static final String RFC8037_JWS = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
            + ".hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

    @Test
    void signsTheRfc8037ExampleExactly() throws Exception {
        // given
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.EdDSA), new Payload("Example of Ed25519 signing"));

        // when
        jws.sign(new JdkEd25519Signer(Ed25519Jdk.privateKey(RFC8037_KEY)));

        // then
        assertThat(jws.serialize()).isEqualTo(RFC8037_JWS);
    }

    @Test
    void refusesToSignForAnotherAlgorithm() throws Exception {
        JdkEd25519Signer signer = new JdkEd25519Signer(Ed25519Jdk.privateKey(RFC8037_KEY));

        assertThatThrownBy(() -> signer.sign(new JWSHeader(JWSAlgorithm.ES256), new byte[1]))
                .isInstanceOf(JOSEException.class);
        assertThat(signer.supportedJWSAlgorithms()).containsExactly(JWSAlgorithm.EdDSA);
    }

    @Test
    void givesNimbusAJcaContext() throws Exception {
        JdkEd25519Signer signer = new JdkEd25519Signer(Ed25519Jdk.privateKey(RFC8037_KEY));

        assertThat(signer.getJCAContext()).isNotNull();
    }
}
