package dev.authfn.core.jwt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.keys.KeySet;
import java.security.Key;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeySetVerifierFactoryTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    private static KeySetKeySelector selectorFor(JWSAlgorithm algorithm) {
        return new KeySetKeySelector(List.of(KeySet.generate(algorithm, CLOCK).activeJwtKey()));
    }

    @Test
    void handsOutTheVerifierMadeAtConstructionForAKeyOfTheSet() throws Exception {
        KeySetKeySelector selector = selectorFor(JWSAlgorithm.RS256);
        KeySetVerifierFactory factory = new KeySetVerifierFactory(selector.candidates().values());
        Key key = selector.candidates().values().iterator().next().key();

        JWSVerifier first = factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.RS256), key);
        JWSVerifier second = factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.RS256), key);

        assertThat(first).isInstanceOf(JdkRsaVerifier.class);
        assertThat(second).isSameAs(first);
    }

    @Test
    void makesANewVerifierForAKeyOutsideTheSet() throws Exception {
        KeySetVerifierFactory factory = new KeySetVerifierFactory(selectorFor(JWSAlgorithm.RS256).candidates().values());
        JwtKey other = KeySet.generate(JWSAlgorithm.RS256, CLOCK).activeJwtKey();
        Key otherKey = other.jwk().toRSAKey().toRSAPublicKey();

        JWSVerifier first = factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.RS256), otherKey);
        JWSVerifier second = factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.RS256), otherKey);

        assertThat(first).isInstanceOf(JdkRsaVerifier.class);
        assertThat(second).isNotSameAs(first);
    }

    @Test
    void leavesPs256ToNimbus() throws Exception {
        KeySetKeySelector selector = selectorFor(JWSAlgorithm.PS256);
        KeySetVerifierFactory factory = new KeySetVerifierFactory(selector.candidates().values());
        Key key = selector.candidates().values().iterator().next().key();

        assertThat(factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.PS256), key))
                .isInstanceOf(RSASSAVerifier.class);
    }

    @Test
    void makesANewVerifierWhenTheHeaderAsksForAnotherAlgorithmThanThePreparedOne() throws Exception {
        KeySetKeySelector selector = selectorFor(JWSAlgorithm.RS256);
        KeySetVerifierFactory factory = new KeySetVerifierFactory(selector.candidates().values());
        Key key = selector.candidates().values().iterator().next().key();
        JWSVerifier prepared = factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.RS256), key);

        JWSVerifier other = factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.RS512), key);

        assertThat(other).isNotSameAs(prepared);
        assertThat(other.supportedJWSAlgorithms()).containsExactly(JWSAlgorithm.RS512);
    }

    @Test
    void verifiesEdDsaWithTheJdkVerifier() throws Exception {
        KeySetKeySelector selector = selectorFor(JWSAlgorithm.EdDSA);
        KeySetVerifierFactory factory = new KeySetVerifierFactory(selector.candidates().values());
        Key key = selector.candidates().values().iterator().next().key();

        assertThat(factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.EdDSA), key))
                .isInstanceOf(JdkEd25519Verifier.class);
    }

    @Test
    void declaresNimbussAlgorithmsAndEdDsaAndNimbussJcaContext() {
        KeySetVerifierFactory factory = new KeySetVerifierFactory(selectorFor(JWSAlgorithm.ES256).candidates().values());

        assertThat(factory.supportedJWSAlgorithms())
                .contains(JWSAlgorithm.EdDSA, JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.HS256);
        assertThat(factory.getJCAContext()).isNotNull();
    }
}
