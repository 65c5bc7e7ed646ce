package dev.authfn.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JwtKeyTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void publishesOnlyThePublicPartOfAnAsymmetricKey() {
        JwtKey key = KeySet.generate(JWSAlgorithm.PS256, CLOCK).activeJwtKey();

        assertThat(key.publicJwk()).hasValueSatisfying(jwk -> {
            assertThat(jwk.isPrivate()).isFalse();
            assertThat(jwk.getKeyID()).isEqualTo(key.kid());
            assertThat(jwk.getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
        });
        assertThat(key.verificationJwk()).isEqualTo(key.publicJwk().orElseThrow());
    }

    @Test
    void publishesNothingOfAnHs256SecretButVerifiesWithIt() {
        JwtKey key = KeySet.generate(JWSAlgorithm.HS256, CLOCK).activeJwtKey();

        assertThat(key.publicJwk()).isEmpty();
        assertThat(key.verificationJwk()).isInstanceOf(OctetSequenceKey.class).isEqualTo(key.jwk());
    }

    @Test
    void verifiesUnlessRetired() {
        RSAKey jwk = (RSAKey) KeySet.generate(CLOCK).activeJwtKey().jwk();

        assertThat(new JwtKey(jwk, KeyStatus.ACTIVE).canVerify()).isTrue();
        assertThat(new JwtKey(jwk, KeyStatus.VERIFY_ONLY).canVerify()).isTrue();
        assertThat(new JwtKey(jwk, KeyStatus.RETIRED).canVerify()).isFalse();
    }

    @Test
    void requiresKidAndAlg() {
        RSAKey jwk = (RSAKey) KeySet.generate(CLOCK).activeJwtKey().jwk();

        assertThatThrownBy(() -> new JwtKey(new RSAKey.Builder(jwk).keyID(null).build(), KeyStatus.ACTIVE))
                .isInstanceOf(NullPointerException.class).hasMessage("kid");
        assertThatThrownBy(() -> new JwtKey(new RSAKey.Builder(jwk).algorithm(null).build(), KeyStatus.ACTIVE))
                .isInstanceOf(NullPointerException.class).hasMessage("alg");
    }

    @Test
    void printsNoKeyMaterial() {
        JwtKey key = KeySet.generate(JWSAlgorithm.HS256, CLOCK).activeJwtKey();

        assertThat(key.toString())
                .isEqualTo("JwtKey[kid=" + key.kid() + ", alg=HS256, status=ACTIVE]")
                .doesNotContain(((OctetSequenceKey) key.jwk()).getKeyValue().toString());
    }

    @Test
    void namesItsAlgorithmAsDiscoveryDocumentsDo() {
        assertThat(KeySet.generate(JWSAlgorithm.ES256, CLOCK).activeJwtKey().algorithmName()).isEqualTo("ES256");
        assertThat(KeySet.generate(JWSAlgorithm.EdDSA, CLOCK).activeJwtKey().algorithmName()).isEqualTo("EdDSA");
    }
}
