package dev.authfn.core.jwt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdkRsaVerifierTest {

    private static final RSAKey KEY = generate();

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("jwt-test").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JdkRsaVerifier verifier(JWSAlgorithm algorithm) throws Exception {
        return new JdkRsaVerifier(KEY.toRSAPublicKey(), algorithm);
    }

    private static JWSObject signed(JWSHeader header, String payload) throws Exception {
        JWSObject jws = new JWSObject(header, new Payload(payload));
        jws.sign(new RSASSASigner(KEY));
        return jws;
    }

    private static byte[] signingInput(JWSObject jws) {
        return jws.getSigningInput();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "RS384", "RS512"})
    void verifiesWhatNimbusSigned(String alg) throws Exception {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);

        assertThat(signed(new JWSHeader(algorithm), "{\"sub\":\"alice\"}").verify(verifier(algorithm))).isTrue();
    }

    @Test
    void refusesSignatureWithOneBitFlipped() throws Exception {
        JWSObject jws = signed(new JWSHeader(JWSAlgorithm.RS256), "{\"sub\":\"alice\"}");
        byte[] signature = jws.getSignature().decode();
        signature[10] ^= 0x01;

        assertThat(verifier(JWSAlgorithm.RS256).verify(jws.getHeader(), signingInput(jws), Base64URL.encode(signature)))
                .isFalse();
    }

    @Test
    void refusesChangedSigningInput() throws Exception {
        JWSObject jws = signed(new JWSHeader(JWSAlgorithm.RS256), "{\"sub\":\"alice\"}");
        byte[] input = signingInput(jws);
        input[input.length - 2] ^= 0x01;

        assertThat(verifier(JWSAlgorithm.RS256).verify(jws.getHeader(), input, jws.getSignature())).isFalse();
    }

    @Test
    void verifiesAgainAfterASignatureOfTheWrongLength() throws Exception {
        JdkRsaVerifier verifier = verifier(JWSAlgorithm.RS256);
        JWSObject jws = signed(new JWSHeader(JWSAlgorithm.RS256), "{\"sub\":\"alice\"}");

        boolean truncated = verifier.verify(jws.getHeader(), signingInput(jws), Base64URL.encode(new byte[10]));
        boolean whole = verifier.verify(jws.getHeader(), signingInput(jws), jws.getSignature());

        assertThat(truncated).isFalse();
        assertThat(whole).isTrue();
    }

    @Test
    void verifiesAgainAfterABadSignatureOfTheRightLength() throws Exception {
        JdkRsaVerifier verifier = verifier(JWSAlgorithm.RS256);
        JWSObject jws = signed(new JWSHeader(JWSAlgorithm.RS256), "{\"sub\":\"alice\"}");

        boolean zeros = verifier.verify(jws.getHeader(), signingInput(jws), Base64URL.encode(new byte[256]));
        boolean whole = verifier.verify(jws.getHeader(), signingInput(jws), jws.getSignature());

        assertThat(zeros).isFalse();
        assertThat(whole).isTrue();
    }

    @Test
    void refusesSignatureTextThatIsNotBase64Url() throws Exception {
        JWSObject jws = signed(new JWSHeader(JWSAlgorithm.RS256), "{\"sub\":\"alice\"}");
        Base64URL withStrayCharacter = new Base64URL("*" + jws.getSignature());

        assertThat(verifier(JWSAlgorithm.RS256).verify(jws.getHeader(), signingInput(jws), withStrayCharacter))
                .isFalse();
    }

    @Test
    void refusesAnyCriticalHeader() throws Exception {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).criticalParams(Set.of("exp")).build();
        JWSObject jws = signed(header, "{\"sub\":\"alice\"}");

        assertThat(verifier(JWSAlgorithm.RS256).verify(jws.getHeader(), signingInput(jws), jws.getSignature()))
                .isFalse();
    }

    @Test
    void refusesAHeaderOfAnotherAlgorithm() throws Exception {
        JWSObject jws = signed(new JWSHeader(JWSAlgorithm.RS512), "{\"sub\":\"alice\"}");

        assertThat(verifier(JWSAlgorithm.RS256).verify(jws.getHeader(), signingInput(jws), jws.getSignature()))
                .isFalse();
        assertThat(verifier(JWSAlgorithm.RS256).supportedJWSAlgorithms()).containsExactly(JWSAlgorithm.RS256);
    }

    @Test
    void verifiesFromManyThreadsAtOnce() throws Exception {
        JdkRsaVerifier verifier = verifier(JWSAlgorithm.RS256);
        JWSObject good = signed(new JWSHeader(JWSAlgorithm.RS256), "{\"sub\":\"alice\"}");
        JWSObject bad = signed(new JWSHeader(JWSAlgorithm.RS256), "{\"sub\":\"bob\"}");
        Callable<Boolean> checks = () -> {
            for (int i = 0; i < 50; i++) {
                if (!verifier.verify(good.getHeader(), signingInput(good), good.getSignature())
                        || verifier.verify(bad.getHeader(), signingInput(good), bad.getSignature())) {
                    return false;
                }
            }
            return true;
        };
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<Boolean> result : pool.invokeAll(List.of(checks, checks, checks, checks))) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesPs256AndShortKeysAtConstruction() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        RSAPublicKey shortKey = (RSAPublicKey) generator.generateKeyPair().getPublic();

        assertThatThrownBy(() -> verifier(JWSAlgorithm.PS256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JdkRsaVerifier(shortKey, JWSAlgorithm.RS256))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void declaresItsOneAlgorithmAndAJcaContextToNimbus() throws Exception {
        JdkRsaVerifier verifier = verifier(JWSAlgorithm.RS384);

        assertThat(verifier.supportedJWSAlgorithms()).isEqualTo(Set.of(JWSAlgorithm.RS384));
        assertThat(verifier.getJCAContext()).isNotNull();
    }
}
