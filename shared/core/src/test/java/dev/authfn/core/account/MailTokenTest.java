package dev.authfn.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailTokenTest {

    /** A random source that returns one byte value over and over. */
    private static SecureRandom constant(int value) {
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                Arrays.fill(bytes, (byte) value);
            }
        };
    }

    @Test
    void isBase64UrlOf256RandomBits() {
        assertThat(MailToken.generate(constant(0)).value()).isEqualTo("A".repeat(43));
        assertThat(MailToken.generate(constant(0xFF)).value()).isEqualTo("_".repeat(42) + "8");

        MailToken token = MailToken.generate(new SecureRandom());
        assertThat(token.value()).hasSize(43);
        assertThat(Base64.getUrlDecoder().decode(token.value())).hasSize(32);
        assertThat(MailToken.wellFormed(token.value())).isTrue();
    }

    @Test
    void generatedTokensDiffer() {
        SecureRandom random = new SecureRandom();
        Set<String> values = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            values.add(MailToken.generate(random).value());
        }
        assertThat(values).hasSize(100);
    }

    @Test
    void wellFormedTakesExactly43Base64UrlCharacters() {
        assertThat(MailToken.wellFormed("A".repeat(43))).isTrue();
        assertThat(MailToken.wellFormed("A".repeat(42))).isFalse();
        assertThat(MailToken.wellFormed("A".repeat(44))).isFalse();
        assertThat(MailToken.wellFormed("")).isFalse();
        assertThat(MailToken.wellFormed(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(chars = {'A', 'Z', 'a', 'z', '0', '9', '-', '_'})
    void wellFormedTakesEveryBase64UrlCharacterAnywhere(char c) {
        assertThat(MailToken.wellFormed(c + "A".repeat(42))).isTrue();
        assertThat(MailToken.wellFormed("A".repeat(42) + c)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(chars = {'@', '[', '`', '{', '/', ':', ',', '.', '^', '+', '=', ' ', '\u00C4', '\uFF21', '\u0000'})
    void wellFormedRefusesAnyOtherCharacterAnywhere(char c) {
        assertThat(MailToken.wellFormed(c + "A".repeat(42))).isFalse();
        assertThat(MailToken.wellFormed("A".repeat(21) + c + "A".repeat(21))).isFalse();
        assertThat(MailToken.wellFormed("A".repeat(42) + c)).isFalse();
    }

    @Test
    void theHashIsBase64UrlOfSha256() {
        assertThat(MailToken.hash("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
        assertThat(new MailToken("abc").hash()).isEqualTo(MailToken.hash("abc"));
    }

    @Test
    void theHashIsStableAndDiffersFromTheToken() {
        MailToken token = MailToken.generate(new SecureRandom());

        assertThat(token.hash()).isEqualTo(MailToken.hash(token.value())).isEqualTo(token.hash())
                .isNotEqualTo(token.value()).hasSize(43);
        assertThat(MailToken.generate(new SecureRandom()).hash()).isNotEqualTo(token.hash());
    }

    @Test
    void toStringNeverShowsTheToken() {
        MailToken token = MailToken.generate(new SecureRandom());

        assertThat(token.toString()).isEqualTo("MailToken[<redacted>]");
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> new MailToken(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void kindsHaveStableWireNames() {
        assertThat(MailToken.Kind.VERIFY_EMAIL.wireName()).isEqualTo("verify");
        assertThat(MailToken.Kind.RESET_PASSWORD.wireName()).isEqualTo("reset");
        assertThat(MailToken.Kind.fromWireName("verify")).isEqualTo(MailToken.Kind.VERIFY_EMAIL);
        assertThat(MailToken.Kind.fromWireName("reset")).isEqualTo(MailToken.Kind.RESET_PASSWORD);
        assertThatThrownBy(() -> MailToken.Kind.fromWireName("RESET"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown mail token kind");
    }
}
