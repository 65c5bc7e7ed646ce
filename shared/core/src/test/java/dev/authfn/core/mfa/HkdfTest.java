package dev.authfn.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HkdfTest {

    private static final HexFormat HEX = HexFormat.of();

    /** RFC 5869 A.1: the first 32 of its 42 bytes of OKM are T(1), the one block Hkdf makes. */
    @Test
    void expandsRfc5869TestCase1() {
        SecretKeySpec prk = new SecretKeySpec(
                HEX.parseHex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"), "HmacSHA256");

        byte[] okm = Hkdf.expand(prk, HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"));

        assertThat(HEX.formatHex(okm)).isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
        assertThat(okm).hasSize(Hkdf.LENGTH);
    }

    /** RFC 5869 A.3: empty info. */
    @Test
    void expandsRfc5869TestCase3WithEmptyInfo() {
        SecretKeySpec prk = new SecretKeySpec(
                HEX.parseHex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"), "HmacSHA256");

        byte[] okm = Hkdf.expand(prk, new byte[0]);

        assertThat(HEX.formatHex(okm)).isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d");
    }
}
