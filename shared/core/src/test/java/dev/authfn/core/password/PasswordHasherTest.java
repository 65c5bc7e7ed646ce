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
}
