package dev.authfn.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TotpSecretTest {

    /** 20 bytes whose base32 is known: RFC 6238's seed "12345678901234567890". */
    private static final byte[] RFC_SEED = HexFormat.of().parseHex("3132333435363738393031323334353637383930");
    private static final String RFC_SEED_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    @Test
    void generatesTwentyRandomBytes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            TotpSecret secret = TotpSecret.generate(new SecureRandom());
            assertThat(secret.bytes()).hasSize(20);
            seen.add(HexFormat.of().formatHex(secret.bytes()));
        }

        assertThat(seen).hasSize(100);
    }

    @Test
    void writesUnpaddedUpperCaseBase32ThatDecodesToTheBytes() {
        TotpSecret secret = TotpSecret.of(RFC_SEED);

        assertThat(secret.base32()).isEqualTo(RFC_SEED_BASE32);
        TotpSecret random = TotpSecret.generate(new SecureRandom());
        assertThat(random.base32()).matches("[A-Z2-7]{32}");
        assertThat(new Base32().decode(random.base32())).isEqualTo(random.bytes());
    }

    @Test
    void handsOutCopiesOfItsBytes() {
        byte[] given = RFC_SEED.clone();
        TotpSecret secret = TotpSecret.of(given);
        given[0] = 0;
        secret.bytes()[1] = 0;

        assertThat(secret.bytes()).isEqualTo(RFC_SEED);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16, 19, 21, 32})
    void refusesAnyOtherLength(int length) {
        assertThatThrownBy(() -> TotpSecret.of(new byte[length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a TOTP secret has 20 bytes");
    }

    @Test
    void writesTheKeyUriAuthenticatorAppsRead() {
        String uri = TotpSecret.of(RFC_SEED).otpauthUri("authfn", "alice");

        assertThat(uri).isEqualTo("otpauth://totp/authfn:alice?secret=" + RFC_SEED_BASE32
                + "&issuer=authfn&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void percentEncodesIssuerAndAccountAsUtf8WithSpacesAsPercent20() {
        String uri = TotpSecret.of(RFC_SEED).otpauthUri("Acme & Co/EU?", "jöe+tag@example.com");

        assertThat(uri).isEqualTo("otpauth://totp/Acme%20%26%20Co%2FEU%3F:j%C3%B6e%2Btag%40example.com?secret="
                + RFC_SEED_BASE32 + "&issuer=Acme%20%26%20Co%2FEU%3F&algorithm=SHA1&digits=6&period=30");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a:b", ":"})
    void refusesAnIssuerOrAccountThatIsBlankOrHoldsAColon(String bad) {
        TotpSecret secret = TotpSecret.of(RFC_SEED);

        assertThatThrownBy(() -> secret.otpauthUri(bad, "alice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the issuer of a TOTP key URI must not be blank or hold a colon");
        assertThatThrownBy(() -> secret.otpauthUri("authfn", bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the account name of a TOTP key URI must not be blank or hold a colon");
    }

    @Test
    void neverPrintsTheSecret() {
        TotpSecret secret = TotpSecret.of(RFC_SEED);

        assertThat(secret.toString()).isEqualTo("TotpSecret[<redacted>]");
    }
}
