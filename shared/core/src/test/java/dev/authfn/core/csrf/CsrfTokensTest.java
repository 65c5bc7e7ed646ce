package dev.authfn.core.csrf;

import static dev.authfn.core.testing.TestKeys.hmac;
import static dev.authfn.core.testing.TestKeys.otherBase64UrlChar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.csrf.CsrfTokens.Reason;
import dev.authfn.core.keys.HmacKey;
import dev.authfn.core.keys.KeyStatus;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsrfTokensTest {

    private static final String SESSION = "s1AAAAAAAAAAAAAAAAAAAA";
    private static final String OTHER_SESSION = "s2AAAAAAAAAAAAAAAAAAAA";

    private final HmacKey active = hmac("csrf-1", KeyStatus.ACTIVE);
    private final CsrfTokens tokens = new CsrfTokens(active, List.of(active), new SecureRandom());

    @Test
    void acceptsItsOwnTokenForTheSameSession() {
        String token = tokens.issue(SESSION);

        assertThat(tokens.verify(SESSION, token)).isEmpty();
        assertThat(tokens.check(SESSION, token, token)).isEmpty();
    }

    @Test
    void rejectsATokenFromAnotherSession() {
        String token = tokens.issue(OTHER_SESSION);

        assertThat(tokens.verify(SESSION, token)).contains(Reason.BAD_SIGNATURE);
        assertThat(tokens.check(SESSION, token, token)).contains(Reason.BAD_SIGNATURE);
    }

    @Test
    void issuesADifferentTokenEachTime() {
        assertThat(tokens.issue(SESSION)).isNotEqualTo(tokens.issue(SESSION));
    }

    @Test
    void rejectsAMissingHeader() {
        String token = tokens.issue(SESSION);

        assertThat(tokens.check(SESSION, null, token)).contains(Reason.MISSING);
        assertThat(tokens.check(SESSION, "", token)).contains(Reason.MISSING);
    }

    @Test
    void rejectsAHeaderThatDiffersFromTheCookie() {
        String header = tokens.issue(SESSION);
        String cookie = tokens.issue(SESSION);

        assertThat(tokens.check(SESSION, header, cookie)).contains(Reason.COOKIE_MISMATCH);
    }

    @Test
    void rejectsEveryTokenChangedAtAnySinglePosition() {
        String token = tokens.issue(SESSION);
        int kidEnd = token.indexOf('.');
        int macStart = token.lastIndexOf('.') + 1;

        for (int i = 0; i < token.length(); i++) {
            char original = token.charAt(i);
            char replacement = original == '.' ? 'A' : otherBase64UrlChar(original);
            String changed = token.substring(0, i) + replacement + token.substring(i + 1);

            Reason expected = original == '.' ? Reason.MALFORMED
                    : i < kidEnd ? Reason.UNKNOWN_KEY
                    : Reason.BAD_SIGNATURE;
            assertThat(tokens.verify(SESSION, changed)).as("position %d of %d (mac at %d)", i, token.length(), macStart)
                    .isEqualTo(Optional.of(expected));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "csrf-1", "csrf-1..", "csrf-1.short.mac", "csrf-1.AAAAAAAAAAAAAAAAAAAAAA.m.x"})
    void rejectsMalformedTokens(String presented) {
        assertThat(tokens.verify(SESSION, presented)).contains(Reason.MALFORMED);
    }

    @Test
    void rejectsATokenFromARetiredKey() {
        String old = new CsrfTokens(hmac("csrf-0", KeyStatus.ACTIVE), List.of(), new SecureRandom()).issue(SESSION);
        CsrfTokens rotated = new CsrfTokens(active, List.of(active, hmac("csrf-0", KeyStatus.RETIRED)), new SecureRandom());

        assertThat(rotated.verify(SESSION, old)).contains(Reason.UNKNOWN_KEY);
    }

    @Test
    void rejectsOversizedTokensUnparsed() {
        assertThat(tokens.verify(SESSION, "a".repeat(CsrfTokens.MAX_LENGTH + 1))).contains(Reason.MALFORMED);
    }

    @Test
    void withoutACsrfCookieTheHeaderAloneIsCheckedAgainstTheSession() {
        // A client that never kept the cookie (the token came in the login body) still passes with
        // its header; a header of another session still fails, on its MAC.
        String token = tokens.issue(SESSION);

        assertThat(tokens.check(SESSION, token, null)).isEmpty();
        assertThat(tokens.check(OTHER_SESSION, token, null)).contains(Reason.BAD_SIGNATURE);
        assertThat(tokens.check(SESSION, "csrf-1..", null)).contains(Reason.MALFORMED);
    }

    @Test
    void aHeaderEqualToTheCookieIsStillCheckedAgainstTheSession() {
        String token = tokens.issue(OTHER_SESSION);

        assertThat(tokens.check(SESSION, token, token)).contains(Reason.BAD_SIGNATURE);
        assertThat(tokens.check(OTHER_SESSION, token, token)).isEmpty();
    }

    @Test
    void refusesATokenWithAnEmptyKeyIdAsMalformed() {
        String token = tokens.issue(SESSION);

        assertThat(tokens.verify(SESSION, token.substring(token.indexOf('.')))).contains(Reason.MALFORMED);
    }

    @Test
    void readsATokenOfExactlyTheMaximumLengthAndNoLonger() {
        String token = tokens.issue(SESSION);
        String longest = token + "A".repeat(CsrfTokens.MAX_LENGTH - token.length());

        assertThat(longest).hasSize(CsrfTokens.MAX_LENGTH);
        assertThat(tokens.verify(SESSION, longest)).contains(Reason.BAD_SIGNATURE);
        assertThat(tokens.verify(SESSION, longest + "A")).contains(Reason.MALFORMED);
    }
}
