package dev.authfn.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import dev.authfn.core.mfa.Totp.Matched;
import dev.authfn.core.mfa.Totp.Replayed;
import dev.authfn.core.mfa.Totp.Wrong;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TotpTest {

    /** RFC 6238 Appendix B's SHA-1 seed: the ASCII of "12345678901234567890", 20 bytes. */
    private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final Totp TOTP = new Totp();
    /** 2026-12-03T10:00:15Z: 15 s into step 59,876,400. */
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:15Z");
    private static final long NOW_STEP = 59_876_400L;
    private static final byte[] SECRET = HexFormat.of().parseHex("8f3a61d0c2b94e57a1d6e03f9b7c2458e6d1a09b");

    // --- RFC 6238 Appendix B ---------------------------------------------------------------------

    /**
     * The SHA-1 rows of RFC 6238 Appendix B. The RFC gives 8-digit values; Totp makes 6 digits (what
     * apps show), and a 6-digit code is the same truncated value mod 10^6, that is the last six
     * digits of the 8-digit one. So each row is checked twice: Totp's code against the last six
     * digits, and java-otp's generator set to 8 digits against the RFC's whole value, which shows
     * that the six are not a coincidence of the truncation.
     */
    @ParameterizedTest
    @CsvSource({
        "59, 1, 94287082",
        "1111111109, 37037036, 07081804",
        "1111111111, 37037037, 14050471",
        "1234567890, 41152263, 89005924",
        "2000000000, 66666666, 69279037",
        "20000000000, 666666666, 65353130"})
    void makesTheCodesOfRfc6238AppendixB(long unixTime, long step, String eightDigits) throws Exception {
        Instant time = Instant.ofEpochSecond(unixTime);

        assertThat(TOTP.step(time)).isEqualTo(step);
        assertThat(TOTP.code(RFC_SEED, TOTP.step(time))).isEqualTo(eightDigits.substring(2));
        assertThat(new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 8)
                .generateOneTimePasswordString(new SecretKeySpec(RFC_SEED, "HmacSHA1"), time, Locale.ROOT))
                .isEqualTo(eightDigits);
    }

    @Test
    void acceptsTheRfcCodeAtItsTime() {
        assertThat(TOTP.verify(RFC_SEED, "287082", Instant.ofEpochSecond(59), Totp.NO_STEP_USED))
                .isEqualTo(new Matched(1));
    }

    // --- steps -----------------------------------------------------------------------------------

    @Test
    void countsWholeThirtySecondStepsFromTheEpochRoundingDown() {
        assertThat(TOTP.step(Instant.EPOCH)).isZero();
        assertThat(TOTP.step(Instant.ofEpochSecond(29, 999_999_999))).isZero();
        assertThat(TOTP.step(Instant.ofEpochSecond(30))).isEqualTo(1);
        assertThat(TOTP.step(NOW)).isEqualTo(NOW_STEP);
        assertThat(TOTP.step(Instant.ofEpochSecond(-1))).isEqualTo(-1);
        assertThat(TOTP.step(Instant.ofEpochSecond(-30))).isEqualTo(-1);
        assertThat(TOTP.step(Instant.ofEpochSecond(-31))).isEqualTo(-2);
    }

    @Test
    void padsCodesWithLeadingZerosToSixDigits() {
        // given: step 37037036 of the RFC seed, whose 6-digit code starts with a zero
        String code = TOTP.code(RFC_SEED, 37_037_036L);

        assertThat(code).isEqualTo("081804").hasSize(Totp.DIGITS);
    }

    @Test
    void writesAsciiDigitsWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("ar-EG-u-nu-arab"));

            assertThat(TOTP.code(RFC_SEED, 1)).isEqualTo("287082");
        } finally {
            Locale.setDefault(before);
        }
    }

    // --- the window: one step either side --------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"-1", "0", "1"})
    void acceptsTheCodeOfTheCurrentStepAndOneEitherSide(long offset) {
        String code = TOTP.code(SECRET, NOW_STEP + offset);

        assertThat(TOTP.verify(SECRET, code, NOW, Totp.NO_STEP_USED)).isEqualTo(new Matched(NOW_STEP + offset));
    }

    @ParameterizedTest
    @CsvSource({"-2", "2", "-3", "3"})
    void refusesTheCodeOfAStepTwoOrMoreAway(long offset) {
        String code = TOTP.code(SECRET, NOW_STEP + offset);
        // the test is void if the far code happens to equal one in the window (odds 3 in a million)
        for (long inWindow = NOW_STEP - 1; inWindow <= NOW_STEP + 1; inWindow++) {
            assertThat(TOTP.code(SECRET, inWindow)).isNotEqualTo(code);
        }

        assertThat(TOTP.verify(SECRET, code, NOW, Totp.NO_STEP_USED)).isEqualTo(new Wrong());
    }

    @Test
    void windowEdgesFollowTheClockToTheSecond() {
        String previous = TOTP.code(SECRET, NOW_STEP - 1);
        Instant lastSecondOfNextStep = Instant.ofEpochSecond((NOW_STEP + 1) * 30 + 29);
        Instant firstSecondTwoStepsOn = Instant.ofEpochSecond((NOW_STEP + 1) * 30);

        assertThat(TOTP.verify(SECRET, previous, Instant.ofEpochSecond(NOW_STEP * 30 + 29), Totp.NO_STEP_USED))
                .isEqualTo(new Matched(NOW_STEP - 1));
        assertThat(TOTP.verify(SECRET, previous, firstSecondTwoStepsOn, Totp.NO_STEP_USED)).isEqualTo(new Wrong());
        assertThat(TOTP.verify(SECRET, TOTP.code(SECRET, NOW_STEP + 2), lastSecondOfNextStep, Totp.NO_STEP_USED))
                .isEqualTo(new Matched(NOW_STEP + 2));
    }

    // --- replay ----------------------------------------------------------------------------------

    @Test
    void refusesTheCodeOfTheStepAlreadySpentAsReplayed() {
        // given: the current code accepted once
        String code = TOTP.code(SECRET, NOW_STEP);
        Totp.Match first = TOTP.verify(SECRET, code, NOW, Totp.NO_STEP_USED);
        assertThat(first).isEqualTo(new Matched(NOW_STEP));

        // when: the same code again, the step stored as the last used
        Totp.Match again = TOTP.verify(SECRET, code, NOW, ((Matched) first).step());

        // then
        assertThat(again).isEqualTo(new Replayed());
    }

    @Test
    void refusesAnOlderCodeOnceALaterStepIsSpent() {
        assertThat(TOTP.verify(SECRET, TOTP.code(SECRET, NOW_STEP - 1), NOW, NOW_STEP)).isEqualTo(new Replayed());
        assertThat(TOTP.verify(SECRET, TOTP.code(SECRET, NOW_STEP), NOW, NOW_STEP + 1)).isEqualTo(new Replayed());
    }

    @Test
    void acceptsALaterCodeAfterTheSpentOne() {
        assertThat(TOTP.verify(SECRET, TOTP.code(SECRET, NOW_STEP + 1), NOW, NOW_STEP))
                .isEqualTo(new Matched(NOW_STEP + 1));
        assertThat(TOTP.verify(SECRET, TOTP.code(SECRET, NOW_STEP), NOW, NOW_STEP - 1))
                .isEqualTo(new Matched(NOW_STEP));
    }

    @Test
    void aWrongCodeIsWrongNotReplayedEvenWhenEveryStepIsSpent() {
        String wrong = TOTP.code(SECRET, NOW_STEP + 100);

        assertThat(TOTP.verify(SECRET, wrong, NOW, NOW_STEP + 1)).isEqualTo(new Wrong());
    }

    @Test
    void matchesTheEarliestFreshStepWhenOneCodeFitsTwoStepsOfTheWindow() {
        // given: the all-zero secret, whose steps 418,590 and 418,591 share the code 903848 (the
        // first such pair from step 0, found by a search over HOTP outside this test)
        byte[] secret = new byte[TotpSecret.BYTES];
        long step = 418_590L;
        assertThat(TOTP.code(secret, step)).isEqualTo("903848");
        assertThat(TOTP.code(secret, step + 1)).isEqualTo("903848");
        Instant at = Instant.ofEpochSecond((step + 1) * 30); // window: step, step + 1, step + 2

        assertThat(TOTP.verify(secret, "903848", at, Totp.NO_STEP_USED)).isEqualTo(new Matched(step));
        assertThat(TOTP.verify(secret, "903848", at, step - 1)).isEqualTo(new Matched(step));
        assertThat(TOTP.verify(secret, "903848", at, step)).isEqualTo(new Matched(step + 1));
        assertThat(TOTP.verify(secret, "903848", at, step + 1)).isEqualTo(new Replayed());
    }

    // --- malformed codes -------------------------------------------------------------------------

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "12345", "1234567", "12345a", "abcdef", " 12345", "12345 ", "12 345", "-12345",
        "+12345", "１２３４５６", "١٢٣٤٥٦", "12345\u0000", "123.45"})
    void refusesAnythingButSixAsciiDigitsAsWrong(String presented) {
        assertThat(TOTP.verify(SECRET, presented, NOW, Totp.NO_STEP_USED)).isEqualTo(new Wrong());
        // before any HMAC: an empty secret, which HMAC-SHA1 would refuse with an exception, is never used
        assertThat(TOTP.verify(new byte[0], presented, NOW, Totp.NO_STEP_USED)).isEqualTo(new Wrong());
    }

    @Test
    void refusesTheFullWidthSpellingOfTheRightCode() {
        String code = TOTP.code(SECRET, NOW_STEP);
        StringBuilder fullWidth = new StringBuilder();
        code.chars().forEach(c -> fullWidth.append((char) ('０' + (c - '0'))));

        assertThat(TOTP.verify(SECRET, fullWidth.toString(), NOW, Totp.NO_STEP_USED)).isEqualTo(new Wrong());
        assertThat(TOTP.verify(SECRET, code + "0", NOW, Totp.NO_STEP_USED)).isEqualTo(new Wrong());
        assertThat(TOTP.verify(SECRET, code.substring(1), NOW, Totp.NO_STEP_USED)).isEqualTo(new Wrong());
    }

    @Test
    void refusesTheRightCodeUnderAnotherSecret() {
        byte[] other = SECRET.clone();
        other[0] ^= 1;

        assertThat(TOTP.verify(other, TOTP.code(SECRET, NOW_STEP), NOW, Totp.NO_STEP_USED)).isEqualTo(new Wrong());
    }
}
