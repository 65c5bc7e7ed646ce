package dev.authfn.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What the constant-time comparison promises besides its timing (which a unit test cannot
 * measure): equal text only, whatever the length, and no second spelling of a value.
 */
class Base64UrlTest {

    @Test
    void constantTimeEqualsAcceptsOnlyTheSameText() {
        assertThat(Base64Url.constantTimeEquals("abcDEF_-", "abcDEF_-")).isTrue();
        assertThat(Base64Url.constantTimeEquals("abcDEF_-", "abcDEF_A")).isFalse();
        assertThat(Base64Url.constantTimeEquals("abcDEF_-", "abcDEF_")).isFalse();
        assertThat(Base64Url.constantTimeEquals("abcDEF_-", "abcDEF_--")).isFalse();
        assertThat(Base64Url.constantTimeEquals("", "")).isTrue();
    }

    @Test
    void aSecondSpellingOfTheSameBytesIsNotEqual() {
        // "AQ" and "AR" decode to the same single byte 0x01; only the text is compared.
        assertThat(Base64Url.constantTimeEquals("AQ", "AR")).isFalse();
    }

    @Test
    void encodesUnpaddedUrlSafeText() {
        assertThat(Base64Url.encode(new byte[] {(byte) 0xfb, (byte) 0xff})).isEqualTo("-_8");
        assertThat(Base64Url.encodedLength(32)).isEqualTo(43);
        assertThat(Base64Url.isAlphabet("aZ09-_", 0, 6)).isTrue();
        assertThat(Base64Url.isAlphabet("a+b", 0, 3)).isFalse();
    }
}
