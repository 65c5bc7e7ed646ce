package dev.authfn.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.password.PasswordHasher;
import dev.authfn.core.password.PasswordHasher.Rejection;
import java.text.Normalizer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each Argon2id hash at the default parameters costs tens of milliseconds: hashes are shared. */
class Argon2idHasherTest {

    private static final String PASSWORD = "correct horse battery staple";
    /** From the reference implementation's test vectors (phc-winner-argon2 src/test.c). */
    private static final String REFERENCE_VECTOR =
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
    private static final String REFERENCE_VECTOR_TWO_LANES =
            "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc";
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]{22})\\$([A-Za-z0-9+/]{43})");

    private static Argon2idHasher hasher;
    private static String storedHash;

    @BeforeAll
    static void hashOnce() {
        hasher = new Argon2idHasher();
        storedHash = hasher.hash(PASSWORD);
    }

    @Test
    void defaultHashIsArgon2idPhcStringAtOrAboveOwaspParameters() {
        // when
        Matcher phc = PHC.matcher(storedHash);

        // then: 22 base64 chars = 16-byte salt, 43 = 32-byte hash, no padding
        assertThat(phc.matches()).as("PHC string shape").isTrue();
        assertThat(Integer.parseInt(phc.group(1))).isGreaterThanOrEqualTo(19_456);
        assertThat(Integer.parseInt(phc.group(2))).isGreaterThanOrEqualTo(2);
        assertThat(Integer.parseInt(phc.group(3))).isGreaterThanOrEqualTo(1);
        assertThat(storedHash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void verifiesTheRightPassword() {
        assertThat(hasher.verify(PASSWORD, storedHash)).isTrue();
    }

    @Test
    void rejectsThePasswordWithOneMoreCharacter() {
        assertThat(hasher.verify(PASSWORD + "x", storedHash)).isFalse();
    }

    @Test
    void rejectsAPrefixOfThePassword() {
        assertThat(hasher.verify(PASSWORD.substring(0, PASSWORD.length() - 1), storedHash)).isFalse();
    }

    @Test
    void twoHashesOfOnePasswordDifferBySalt() {
        // when
        String second = hasher.hash(PASSWORD);

        // then
        assertThat(second).isNotEqualTo(storedHash);
        assertThat(second.split("\\$")[4]).isNotEqualTo(storedHash.split("\\$")[4]);
    }

    @Test
    void acceptsA64CharacterPasswordGivenAsChars() {
        // given
        String password = "p4ssw0rd".repeat(8);

        // when
        String hash = hasher.hash(password.toCharArray());

        // then
        assertThat(hasher.verify(password, hash)).isTrue();
    }

    @Test
    void acceptsA1000CharacterPasswordAndComparesItWhole() {
        // given
        String password = "a".repeat(999) + "b";

        // when
        String hash = hasher.hash(password);

        // then: no truncation, so the last character still counts
        assertThat(hasher.verify(password, hash)).isTrue();
        assertThat(hasher.verify("a".repeat(1000), hash)).isFalse();
    }

    @Test
    void verifiesThePasswordInNfkcSoEitherSpellingOfTheSameTextMatches() {
        // given: é precomposed (NFC) at hashing, e + combining acute (NFD) at login
        String composed = "caf\u00e9-au-lait";
        String decomposed = Normalizer.normalize(composed, Normalizer.Form.NFD);
        String hash = hasher.hash(decomposed.toCharArray());

        // when / then
        assertThat(decomposed).isNotEqualTo(composed);
        assertThat(hasher.verify(composed, hash)).isTrue();
        assertThat(hasher.verify(decomposed, hash)).isTrue();
        assertThat(hasher.verify("cafe-au-lait", hash)).isFalse();
    }

    @Test
    void hashesFullWidthAndLigatureLettersAsTheirNfkcForm() {
        // given: full-width "password" and the ffi ligature, as some keyboards type them
        String fullWidth = "\uFF50\uFF41\uFF53\uFF53\uFF57\uFF4F\uFF52\uFF44-\uFB03";
        String hash = hasher.hash(fullWidth);

        // when / then: NFKC keeps case, so only the exact NFKC text matches
        assertThat(hasher.verify("password-ffi", hash)).isTrue();
        assertThat(hasher.verify("Password-ffi", hash)).isFalse();
    }

    @Test
    void refusesPasswordsOver1024CodePointsBeforeHashing() {
        // given
        String tooLong = "a".repeat(1025);
        String oneMegabyte = "a".repeat(1 << 20);

        // when / then
        assertThat(PasswordHasher.check(tooLong)).contains(Rejection.TOO_LONG);
        assertThat(PasswordHasher.check(oneMegabyte)).contains(Rejection.TOO_LONG);
        assertThatThrownBy(() -> hasher.hash(tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("password refused: TOO_LONG");
        assertThat(hasher.verify(oneMegabyte, storedHash)).isFalse();
        assertThat(hasher.verifyDummy(oneMegabyte)).isFalse();
    }

    @Test
    void countsCodePointsNotUtf16Units() {
        // given: an emoji is one code point but two UTF-16 chars
        String emoji = "\uD83D\uDE00";

        // when / then
        assertThat(PasswordHasher.check(emoji.repeat(1024))).isEmpty();
        assertThat(PasswordHasher.check(emoji.repeat(1025))).contains(Rejection.TOO_LONG);
        assertThat(PasswordHasher.check(emoji.repeat(7))).contains(Rejection.TOO_SHORT);
    }

    @Test
    void refusesPasswordsUnder8CodePoints() {
        // given
        String tooShort = "1234567";

        // when / then
        assertThat(PasswordHasher.check(tooShort)).contains(Rejection.TOO_SHORT);
        assertThat(PasswordHasher.check("12345678")).isEmpty();
        assertThatThrownBy(() -> hasher.hash(tooShort))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("password refused: TOO_SHORT");
        assertThat(hasher.verify(tooShort, storedHash)).isFalse();
    }

    @Test
    void refusesAnUnpairedSurrogate() {
        // given: would encode to UTF-8 as '?', colliding with a different password
        String loneSurrogate = "password\uD800";

        // when / then
        assertThat(PasswordHasher.check(loneSurrogate)).contains(Rejection.NOT_UNICODE);
        assertThatThrownBy(() -> hasher.hash(loneSurrogate))
                .hasMessage("password refused: NOT_UNICODE");
    }

    @Test
    void verifiesTheReferenceImplementationsTestVectors() {
        assertThat(hasher.verify("password", REFERENCE_VECTOR)).isTrue();
        assertThat(hasher.verify("password", REFERENCE_VECTOR_TWO_LANES)).isTrue();
        assertThat(hasher.verify("Password", REFERENCE_VECTOR)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "not a hash",
        "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8",
        "$argon2id$v=16$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
        "$argon2id$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
        "$argon2id$v=19$t=2,m=256,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
        "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$",
        "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ=$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
        "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR_uIPnA4rEsF5h7TKyQwu9U1bMCHGi_4",
        "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4a",
        "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4\n",
        "$argon2id$v=19$m=0,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
        "$argon2id$v=19$m=4,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
        "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
        "$argon2id$v=19$m=256,t=999999999,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
        "$argon2id$v=19$m=256,t=2,p=1$c29tZQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"
    })
    void malformedStoredHashVerifiesFalseWithoutThrowing(String malformed) {
        assertThat(hasher.verify("password", malformed)).isFalse();
        assertThat(hasher.needsRehash(malformed)).isTrue();
    }

    @Test
    void doesNotAskToRehashAHashWithTheConfiguredParameters() {
        assertThat(hasher.needsRehash(storedHash)).isFalse();
    }

    @Test
    void asksToRehashAHashWithWeakerParameters() {
        assertThat(hasher.needsRehash(REFERENCE_VECTOR)).isTrue();
        assertThat(hasher.needsRehash(
                        "$argon2id$v=19$m=19456,t=1,p=1$c29tZXNhbHRzYWx0c2FsdA$"
                                + "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"))
                .isTrue();
    }

    @Test
    void asksToRehashAHashWithTheConfiguredParametersButAShorterSaltOrHash() {
        // given: today's parameters, with the salt or the hash part cut to 12 or 24 bytes
        String prefix = storedHash.substring(0, storedHash.lastIndexOf('$', storedHash.lastIndexOf('$') - 1) + 1);
        String salt16 = "c29tZXNhbHRzYWx0c2FsdA"; // 16 bytes
        String salt12 = "c29tZXNhbHRzYWx0"; // 12 bytes
        String hash32 = "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"; // 32 bytes
        String hash24 = "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu"; // 24 bytes

        // when / then
        assertThat(hasher.needsRehash(prefix + salt16 + "$" + hash32)).isFalse();
        assertThat(hasher.needsRehash(prefix + salt12 + "$" + hash32)).isTrue();
        assertThat(hasher.needsRehash(prefix + salt16 + "$" + hash24)).isTrue();
    }

    @Test
    void aStrongerConfigurationAsksToRehashTodaysHashes() {
        // given
        Argon2idHasher stronger = new Argon2idHasher(new Argon2Params(19_456, 3, 1));

        // when / then
        assertThat(stronger.needsRehash(storedHash)).isTrue();
        assertThat(stronger.params()).isEqualTo(new Argon2Params(19_456, 3, 1));
    }

    @Test
    void refusesToBeConfiguredBelowTheOwaspMinimum() {
        assertThatThrownBy(() -> new Argon2idHasher(new Argon2Params(7_168, 5, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OWASP minimum");
    }

    @Test
    void dummyVerificationIsFalseEvenForThePasswordOfARealUser() {
        assertThat(hasher.verifyDummy(PASSWORD)).isFalse();
        assertThat(hasher.verifyDummy("")).isFalse();
        assertThat(hasher.verifyDummy(null)).isFalse();
    }

    @Test
    void theDummyIsAPhcStringWithTheConfiguredParametersSoItsVerificationDerivesInFull() {
        // given: a hasher above the minimum, whose dummy must carry its own parameters
        Argon2idHasher stronger = new Argon2idHasher(new Argon2Params(19_456, 3, 1));

        // when
        Matcher dummy = PHC.matcher(hasher.dummyHash());
        Matcher strongerDummy = PHC.matcher(stronger.dummyHash());

        // then: a string that verify() parses (a malformed one would return false without
        // deriving, and an unknown user's login would answer faster than a wrong password)
        assertThat(dummy.matches()).as("dummy's PHC shape").isTrue();
        assertThat(hasher.dummyHash()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.needsRehash(hasher.dummyHash())).isFalse();
        assertThat(strongerDummy.matches()).as("stronger dummy's PHC shape").isTrue();
        assertThat(stronger.dummyHash()).startsWith("$argon2id$v=19$m=19456,t=3,p=1$");
        assertThat(stronger.needsRehash(stronger.dummyHash())).isFalse();
    }

    @Test
    void eachHasherDrawsItsOwnDummySaltAndDigest() {
        // given
        Argon2idHasher other = new Argon2idHasher();

        // when
        Matcher mine = PHC.matcher(hasher.dummyHash());
        Matcher theirs = PHC.matcher(other.dummyHash());

        // then
        assertThat(mine.matches()).isTrue();
        assertThat(theirs.matches()).isTrue();
        assertThat(theirs.group(4)).isNotEqualTo(mine.group(4));
        assertThat(theirs.group(5)).isNotEqualTo(mine.group(5));
    }

    @Test
    void verifyRefusesNullWithoutThrowing() {
        assertThat(hasher.verify(null, storedHash)).isFalse();
        assertThat(hasher.verify(PASSWORD, null)).isFalse();
    }
}
