package dev.authfn.core.jwt;

import static dev.authfn.core.jwt.TokenForge.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.authfn.core.jwt.AccessTokenResult.Reason;
import dev.authfn.core.jwt.internal.KeySetKeySelector;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.keys.KeyStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessTokenKeySelectorTest {
    private static final JwtKey RSA = KeySet.generate(JWSAlgorithm.RS256, CLOCK).activeJwtKey();

    private final KeySetKeySelector keys = new KeySetKeySelector(List.of(RSA));
    private final AccessTokenKeySelector selector = new AccessTokenKeySelector(keys);

    private static JWSHeader header(JWSAlgorithm algorithm, String kid) {
        return new JWSHeader.Builder(algorithm).keyID(kid).build();
    }

    private static Reason refusal(AccessTokenKeySelector selector, JWSHeader header) {
        KeyRejection rejection = catchThrowableOfType(KeyRejection.class, () -> selector.selectJWSKeys(header, null));
        assertThat(rejection).as("a KeyRejection").isNotNull();
        return rejection.reason();
    }

    @Test
    void handsOutTheKeySetSelectorsKey() throws Exception {
        JWSHeader header = header(JWSAlgorithm.RS256, RSA.kid());

        assertThat(selector.selectJWSKeys(header, null)).isEqualTo(keys.selectJWSKeys(header, null)).hasSize(1);
    }

    @Test
    void refusesUnknownOrMissingKidAsUnknownKid() {
        assertThat(refusal(selector, header(JWSAlgorithm.RS256, "jwt-other"))).isEqualTo(Reason.UNKNOWN_KID);
        assertThat(refusal(selector, new JWSHeader(JWSAlgorithm.RS256))).isEqualTo(Reason.UNKNOWN_KID);
    }

    @Test
    void refusesAnotherAlgorithmUnderOurKidAsUnknownKid() {
        assertThat(refusal(selector, header(JWSAlgorithm.PS256, RSA.kid()))).isEqualTo(Reason.UNKNOWN_KID);
    }

    @Test
    void refusesAHeaderAskingForACertificateThumbprintAsUnknownKid() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(RSA.kid())
                .x509CertSHA256Thumbprint(new Base64URL("AAAA")).build();

        assertThat(refusal(selector, header)).isEqualTo(Reason.UNKNOWN_KID);
    }

    @Test
    void refusesTheKidOfAKeyNotMeantForSignaturesAsUnknownKid() throws Exception {
        RSAKey encryptionOnly = new RSAKey.Builder(RSA.jwk().toRSAKey()).keyUse(KeyUse.ENCRYPTION).build();
        AccessTokenKeySelector encryptionKeys = new AccessTokenKeySelector(
                new KeySetKeySelector(List.of(new JwtKey(encryptionOnly, KeyStatus.ACTIVE))));

        assertThat(refusal(encryptionKeys, header(JWSAlgorithm.RS256, RSA.kid()))).isEqualTo(Reason.UNKNOWN_KID);
    }
}
