package dev.authfn.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64UrlTest {

    @Test
    void acceptsWhatTheEncoderWritesForEveryLength() {
        SplittableRandom random = new SplittableRandom(7);
        for (int length = 0; length <= 64; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String encoded = Base64Url.encode(bytes);

            assertThat(Base64Url.isCanonical(encoded, 0, encoded.length())).as("length %d", length).isTrue();
        }
    }

    @Test
    void agreesWithDecodeThenEncodeOnEveryTwoAndThreeCharacterString() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.";
        for (char a : alphabet.toCharArray()) {
            for (char b : alphabet.toCharArray()) {
                for (String candidate : new String[] {"" + a + b, "" + a + b + 'Q', "QQ" + a + b, "" + a}) {
                    assertThat(Base64Url.isCanonical(candidate, 0, candidate.length()))
                            .as(candidate).isEqualTo(roundTrips(candidate));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AB", "ABC", "AR", "AAB", "A", "AAAAA", "AA=", "A A"})
    void refusesSecondSpellingsAndStrayCharacters(String notCanonical) {
        assertThat(Base64Url.isCanonical(notCanonical, 0, notCanonical.length())).isFalse();
    }

    @Test
    void checksOnlyTheGivenRange() {
        String token = "eyJ4IjoxfQ.AB.AQ";

        assertThat(Base64Url.isCanonical(token, 0, 10)).isTrue();
        assertThat(Base64Url.isCanonical(token, 11, 13)).isFalse();
        assertThat(Base64Url.isCanonical(token, 14, 16)).isTrue();
        assertThat(Base64Url.isCanonical(token, 10, 10)).isTrue();
    }

    private static boolean roundTrips(String candidate) {
        if (!candidate.matches("[A-Za-z0-9_-]*")) {
            return false;
        }
        try {
            return Base64Url.encode(Base64.getUrlDecoder().decode(candidate)).equals(candidate);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

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
