package dev.authfn.password.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.authfn.core.password.PasswordPolicy.Rejection;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NistPasswordPolicyTest {

    /** U+1F600, two UTF-16 chars. */
    private static final String EMOJI = "\uD83D\uDE00";

    private final NistPasswordPolicy policy = PasswordPolicies.offline(12);

    @Test
    void acceptsTwelveCodePointsAndRefusesElevenWithNoCompositionRule() {
        assertThat(policy.checkNew("kd8 lq2 vz0p", null)).isEmpty();
        assertThat(policy.checkNew("zzzzzzzzzzzz", null)).isEmpty(); // one repeated letter: no composition rule
        assertThat(policy.checkNew("kd8 lq2 vz0", null)).contains(Rejection.TOO_SHORT);
        assertThat(policy.checkNew("", null)).contains(Rejection.TOO_SHORT);
        assertThat(policy.minLength()).isEqualTo(12);
    }

    @Test
    void refusesWhatLoginWouldAlsoRefuseWithItsOwnReason() {
        assertThat(policy.checkNew("seven77", null)).contains(Rejection.TOO_SHORT);
        assertThat(policy.checkNew("x".repeat(1024), null)).isEmpty();
        assertThat(policy.checkNew("x".repeat(1025), null)).contains(Rejection.TOO_LONG);
        assertThat(policy.checkNew("x".repeat(1_000_000), null)).contains(Rejection.TOO_LONG);
        assertThat(policy.checkNew("long enough \uD83D password", null)).contains(Rejection.NOT_UNICODE);
        assertThat(policy.checkNew("long enough password\uDE00", null)).contains(Rejection.NOT_UNICODE);
    }

    @Test
    void countsEmojiAsOneCodePointEach() {
        assertThat(policy.checkNew(EMOJI.repeat(12), null)).isEmpty();
        assertThat(policy.checkNew(EMOJI.repeat(11), null)).contains(Rejection.TOO_SHORT); // 22 UTF-16 chars
        assertThat(policy.checkNew(EMOJI.repeat(1024), null)).isEmpty();
        assertThat(policy.checkNew(EMOJI.repeat(1025), null)).contains(Rejection.TOO_LONG);
    }

    @Test
    void countsTheNfkcForm() {
        // e + combining acute is two code points and one (é) in NFKC; the ffi ligature one and three
        assertThat(policy.checkNew("e\u0301".repeat(11), null)).contains(Rejection.TOO_SHORT);
        assertThat(policy.checkNew("e\u0301".repeat(12), null)).isEmpty();
        assertThat(policy.checkNew("\uFB03".repeat(4), null)).isEmpty();
        assertThat(policy.checkNew("\uFB03".repeat(3) + "xy", null)).contains(Rejection.TOO_SHORT);
    }

    @Test
    void refusesCommonPasswordsOfTheOfflineListIgnoringCaseAndWidth() {
        assertThat(policy.checkNew("qwerty123456", null)).contains(Rejection.BREACHED);
        assertThat(policy.checkNew("1qaz2wsx3edc", null)).contains(Rejection.BREACHED);
        assertThat(policy.checkNew("LeaveMeAlone", null)).contains(Rejection.BREACHED);
        // full-width digits and letters are the same password in NFKC
        assertThat(policy.checkNew("\uFF51\uFF57\uFF45\uFF52\uFF54\uFF59\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16", null))
                .contains(Rejection.BREACHED);
        assertThat(policy.checkNew("qwerty1234567", null)).isEmpty();
    }

    @Test
    void acceptsALongRandomPassword() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        String random = Base64.getEncoder().encodeToString(bytes); // 64 chars

        assertThat(policy.checkNew(random, "alice")).isEmpty();
    }

    @Test
    void refusesAPasswordBuiltOnTheUsername() {
        assertThat(policy.checkNew("verylongusername", "VeryLongUserName")).contains(Rejection.CONTAINS_USERNAME);
        assertThat(policy.checkNew("alicealice12", "alice")).contains(Rejection.CONTAINS_USERNAME);
        assertThat(policy.checkNew("ALICE 2024 ALICE", "alice")).contains(Rejection.CONTAINS_USERNAME);
        // what is left besides the name is long enough
        assertThat(policy.checkNew("Alice-likes-green-tea", "alice")).isEmpty();
        assertThat(policy.checkNew("verylongusername", null)).isEmpty();
        assertThat(policy.checkNew("verylongusername", "bob")).isEmpty();
        assertThat(policy.checkNew("verylongusername", "not a name")).isEmpty(); // no account can hold it
    }

    @Test
    void loadsTheOfflineListOnFirstUseOnly() {
        AtomicInteger loads = new AtomicInteger();
        List<String> warnings = new ArrayList<>();
        NistPasswordPolicy counting = new NistPasswordPolicy(12, () -> {
            loads.incrementAndGet();
            return CommonPasswords.of(List.of("Correct Horse Battery", "short"), 12);
        }, Optional.empty(), BreachApiDown.OFFLINE_LIST, warnings::add);

        assertThat(counting.checkNew("short", null)).contains(Rejection.TOO_SHORT);
        assertThat(loads).hasValue(0);
        assertThat(counting.checkNew("correct horse battery", null)).contains(Rejection.BREACHED);
        assertThat(counting.checkNew("correct horse battery staple", null)).isEmpty();
        assertThat(loads).hasValue(1);
        assertThat(warnings).isEmpty();
    }

    @Test
    void keepsOnlyTheEntriesOfTheMinimumLength() {
        assertThat(CommonPasswords.zxcvbn(12).size()).isEqualTo(229);
        assertThat(CommonPasswords.zxcvbn(8).size()).isEqualTo(11_611);
        CommonPasswords two = CommonPasswords.of(List.of("elevenchars", "twelve chars", "thirteen char"), 12);
        assertThat(two.size()).isEqualTo(2);
        assertThat(two.contains("elevenchars")).isFalse();
        assertThat(two.contains("TWELVE CHARS")).isTrue();
    }

    @Test
    void aNullPasswordIsAProgrammingError() {
        assertThatNullPointerException().isThrownBy(() -> policy.checkNew(null, "alice"));
    }
}
