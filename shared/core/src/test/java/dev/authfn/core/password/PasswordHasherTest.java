package dev.authfn.core.password;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.password.PasswordHasher.Rejection;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    /** U+1F600, two UTF-16 chars. */
    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void acceptsEightToOneThousandAndTwentyFourCodePoints() {
        assertThat(PasswordHasher.check("a".repeat(8))).isEmpty();
        assertThat(PasswordHasher.check("a".repeat(1024))).isEmpty();
        assertThat(PasswordHasher.check("a".repeat(7))).contains(Rejection.TOO_SHORT);
        assertThat(PasswordHasher.check("a".repeat(1025))).contains(Rejection.TOO_LONG);
        assertThat(PasswordHasher.check("")).contains(Rejection.TOO_SHORT);
    }

    @Test
    void countsCodePointsNotChars() {
        // 1024 emoji are 2048 chars: allowed; 1025 are too long; 4 emoji are 8 chars but too short.
        assertThat(PasswordHasher.check(EMOJI.repeat(1024))).isEmpty();
        assertThat(PasswordHasher.check(EMOJI.repeat(1025))).contains(Rejection.TOO_LONG);
        assertThat(PasswordHasher.check(EMOJI.repeat(4))).contains(Rejection.TOO_SHORT);
        assertThat(PasswordHasher.check(EMOJI.repeat(8))).isEmpty();
    }

    @Test
    void refusesAnInputOfMoreThan2048CharsOnItsLengthBeforeLookingAtItsContent() {
        // More chars than 1024 code points can take is too long whatever it holds: the check
        // stops there, before walking the text (an unpaired surrogate at the end is never seen).
        assertThat(PasswordHasher.check("a".repeat(2048) + "\uD83D")).contains(Rejection.TOO_LONG);
        assertThat(PasswordHasher.check("a".repeat(1024) + "\uD83D")).contains(Rejection.NOT_UNICODE);
    }

    @Test
    void refusesUnpairedSurrogatesAnywhere() {
        assertThat(PasswordHasher.check("\uD83Dpassword")).contains(Rejection.NOT_UNICODE);
        assertThat(PasswordHasher.check("password\uDE00")).contains(Rejection.NOT_UNICODE);
        assertThat(PasswordHasher.check("pass\uDE00\uD83Dword")).contains(Rejection.NOT_UNICODE);
        assertThat(PasswordHasher.check("\uD83D")).isEqualTo(Optional.of(Rejection.NOT_UNICODE));
    }

    @Test
    void takesTheHighestCodePointAndTheHighestBmpCharacter() {
        assertThat(PasswordHasher.check("\uDBFF\uDFFF".repeat(8))).isEmpty();
        assertThat(PasswordHasher.check("\uFFFF".repeat(8))).isEmpty();
    }

    @Test
    void countsCodePointsOfTheNfkcForm() {
        // U+FB00 (the ff ligature) is one code point and two in NFKC; e + combining acute is two
        // and one (é) in NFKC
        assertThat(PasswordHasher.check("\uFB00".repeat(4))).isEmpty();
        assertThat(PasswordHasher.check("\uFB00".repeat(3) + "f")).contains(Rejection.TOO_SHORT);
        assertThat(PasswordHasher.check("e\u0301".repeat(7))).contains(Rejection.TOO_SHORT);
        assertThat(PasswordHasher.check("e\u0301".repeat(8))).isEmpty();
    }

    @Test
    void refusesAPasswordWhoseNfkcFormIsOver1024CodePoints() {
        // U+FDFA is 1 code point and 18 in NFKC: 56 of them are 1008, 57 are 1026
        assertThat(PasswordHasher.normalized("\uFDFA").codePointCount(0, 18)).isEqualTo(18);
        assertThat(PasswordHasher.check("\uFDFA".repeat(56) + "a".repeat(16))).isEmpty();
        assertThat(PasswordHasher.check("\uFDFA".repeat(56) + "a".repeat(17))).contains(Rejection.TOO_LONG);
        assertThat(PasswordHasher.check("\uFDFA".repeat(57))).contains(Rejection.TOO_LONG);
    }

    @Test
    void normalizesToNfkc() {
        assertThat(PasswordHasher.normalized("caf" + "e\u0301")).isEqualTo("caf\u00e9");
        assertThat(PasswordHasher.normalized("\uFF50\uFF41\uFF53\uFF53")).isEqualTo("pass"); // full-width
        assertThat(PasswordHasher.normalized("Pass word " + EMOJI)).isEqualTo("Pass word " + EMOJI);
    }
}
