package dev.authfn.core.csrf;

import static dev.authfn.core.testing.TestKeys.hmac;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.authfn.core.csrf.CsrfTokens.Reason;
import dev.authfn.core.keys.HmacKey;
import dev.authfn.core.keys.KeyStatus;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * Coverage-guided fuzzing (Jazzer) of the CSRF token check, {@link CsrfTokens#verify} and
 * {@link CsrfTokens#check}. Each input is presented as the {@code X-CSRF-Token} header (beside no
 * cookie, the issued cookie and an equal cookie), and used as another session's id to mint a token
 * of its own. Seeds: {@code CsrfTokensFuzzTestInputs/<method>/}.
 */
class CsrfTokensFuzzTest {

    private static final String SESSION = "s1AAAAAAAAAAAAAAAAAAAA";
    private static final HmacKey KEY = hmac("csrf-fuzz", KeyStatus.ACTIVE);
    private static final CsrfTokens TOKENS = new CsrfTokens(KEY, List.of(KEY), new SecureRandom());
    private static final String ISSUED = TOKENS.issue(SESSION);

    /**
     * Anything but the issued token gets a reason, whatever cookie comes with it; a header that
     * differs from the cookie is a mismatch. A token minted for another session id is valid for
     * that session only.
     */
    @FuzzTest
    void answersOnlyReasonsForAnythingButTheIssuedTokenOfThisSession(@NotNull String input) {
        boolean issued = input.equals(ISSUED);
        Optional<Reason> verified = TOKENS.verify(SESSION, input);

        assertThat(verified.isEmpty()).isEqualTo(issued);
        assertThat(TOKENS.check(SESSION, input, null)).isEqualTo(input.isEmpty() ? Optional.of(Reason.MISSING) : verified);
        assertThat(TOKENS.check(SESSION, input, input)).isEqualTo(input.isEmpty() ? Optional.of(Reason.MISSING) : verified);
        assertThat(TOKENS.check(SESSION, input, ISSUED)).isEqualTo(
                input.isEmpty() ? Optional.of(Reason.MISSING) : issued ? Optional.empty() : Optional.of(Reason.COOKIE_MISMATCH));

        String minted = TOKENS.issue(input);
        assertThat(TOKENS.verify(input, minted)).isEmpty();
        assertThat(TOKENS.verify(SESSION, minted)).isEqualTo(
                input.equals(SESSION) ? Optional.empty() : Optional.of(Reason.BAD_SIGNATURE));
    }
}
