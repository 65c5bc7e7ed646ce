package dev.authfn.core.jwt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.keys.KeyStatus;
import java.security.Key;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeySetKeySelectorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    private static final JwtKey RSA = KeySet.generate(JWSAlgorithm.RS256, CLOCK).activeJwtKey();

    private static JWSHeader header(JWSAlgorithm algorithm, String kid) {
        return new JWSHeader.Builder(algorithm).keyID(kid).build();
    }

    @Test
    void selectsThePublicKeyItsKidNamesForTheKeysAlgorithm() throws Exception {
        KeySetKeySelector selector = new KeySetKeySelector(List.of(RSA));

        List<Key> keys = selector.selectJWSKeys(header(JWSAlgorithm.RS256, RSA.kid()), null);

        assertThat(keys).singleElement().isInstanceOf(RSAPublicKey.class)
                .isEqualTo(RSA.jwk().toRSAKey().toRSAPublicKey());
    }

    @Test
    void handsOutTheSameKeyObjectForEveryToken() {
        KeySetKeySelector selector = new KeySetKeySelector(List.of(RSA));

        Key first = selector.selectJWSKeys(header(JWSAlgorithm.RS256, RSA.kid()), null).get(0);
        Key second = selector.selectJWSKeys(header(JWSAlgorithm.RS256, RSA.kid()), null).get(0);

        assertThat(second).isSameAs(first);
    }

    @Test
    void selectsNothingForAnotherAlgorithmUnderTheSameKid() {
        KeySetKeySelector selector = new KeySetKeySelector(List.of(RSA));

        assertThat(selector.selectJWSKeys(header(JWSAlgorithm.PS256, RSA.kid()), null)).isEmpty();
        assertThat(selector.selectJWSKeys(header(JWSAlgorithm.HS256, RSA.kid()), null)).isEmpty();
    }

    @Test
    void selectsNothingForAnUnknownOrMissingKid() {
        KeySetKeySelector selector = new KeySetKeySelector(List.of(RSA));

        assertThat(selector.selectJWSKeys(header(JWSAlgorithm.RS256, "jwt-other"), null)).isEmpty();
        assertThat(selector.selectJWSKeys(new JWSHeader(JWSAlgorithm.RS256), null)).isEmpty();
    }

    @Test
    void selectsNothingWhenTheHeaderAsksForACertificateThumbprint() {
        KeySetKeySelector selector = new KeySetKeySelector(List.of(RSA));
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(RSA.kid())
                .x509CertSHA256Thumbprint(new Base64URL("AAAA")).build();

        assertThat(selector.selectJWSKeys(header, null)).isEmpty();
    }

    @Test
    void skipsAKeyNotMeantForSignatures() throws Exception {
        RSAKey encryptionOnly = new RSAKey.Builder(RSA.jwk().toRSAKey()).keyUse(KeyUse.ENCRYPTION).build();
        KeySetKeySelector selector = new KeySetKeySelector(List.of(new JwtKey(encryptionOnly, KeyStatus.ACTIVE)));

        assertThat(selector.candidates()).isEmpty();
        assertThat(selector.selectJWSKeys(header(JWSAlgorithm.RS256, RSA.kid()), null)).isEmpty();
    }

    @Test
    void handsOutEd25519KeysAsJdkKeys() {
        JwtKey ed25519 = KeySet.generate(JWSAlgorithm.EdDSA, CLOCK).activeJwtKey();
        KeySetKeySelector selector = new KeySetKeySelector(List.of(ed25519));

        assertThat(selector.selectJWSKeys(header(JWSAlgorithm.EdDSA, ed25519.kid()), null))
                .singleElement().isInstanceOf(EdECPublicKey.class);
    }
}
