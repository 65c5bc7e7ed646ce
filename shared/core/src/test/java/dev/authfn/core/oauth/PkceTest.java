package dev.authfn.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PkceTest {

    /** RFC 7636 appendix B. */
    private static final String RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void theRfc7636ExampleVerifiesItsChallenge() {
        assertThat(Pkce.isChallenge(RFC_CHALLENGE)).isTrue();
        assertThat(Pkce.verifies(RFC_VERIFIER, RFC_CHALLENGE)).isTrue();
    }

    @Test
    void aWrongVerifierDoesNot() {
        assertThat(Pkce.verifies("eBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", RFC_CHALLENGE)).isFalse();
        assertThat(Pkce.verifies(RFC_VERIFIER + "A", RFC_CHALLENGE)).isFalse();
        assertThat(Pkce.verifies(RFC_CHALLENGE, RFC_CHALLENGE)).as("the challenge is not its own verifier").isFalse();
    }

    @Test
    void thePlainMethodNeverPasses() {
        assertThat(Pkce.verifies(RFC_VERIFIER, RFC_VERIFIER)).isFalse();
        assertThat(Pkce.S256).isEqualTo("S256");
    }

    @Test
    void aVerifierIs43To128UnreservedCharacters() throws Exception {
        String shortest = "a".repeat(43);
        String longest = "-._~" + "Z9".repeat(62);
        assertThat(longest).hasSize(128);

        assertThat(Pkce.verifies(shortest, challengeOf(shortest))).isTrue();
        assertThat(Pkce.verifies(longest, challengeOf(longest))).isTrue();
        assertThat(Pkce.verifies("a".repeat(42), challengeOf("a".repeat(42)))).as("too short").isFalse();
        assertThat(Pkce.verifies(longest + "a", challengeOf(longest + "a"))).as("too long").isFalse();
        for (String illegal : new String[] {"+", "/", "=", " ", "%", "é", "\n"}) {
            String verifier = "a".repeat(42) + illegal;
            assertThat(Pkce.verifies(verifier, challengeOf(verifier))).as(illegal).isFalse();
        }
        assertThat(Pkce.verifies(null, RFC_CHALLENGE)).isFalse();
    }

    @Test
    void aChallengeIs43CanonicalBase64UrlCharacters() {
        assertThat(Pkce.isChallenge(RFC_CHALLENGE.substring(1))).isFalse();
        assertThat(Pkce.isChallenge(RFC_CHALLENGE + "A")).isFalse();
        assertThat(Pkce.isChallenge(RFC_CHALLENGE.replace('-', '+'))).isFalse();
        assertThat(Pkce.isChallenge(RFC_CHALLENGE.substring(0, 42) + "N"))
                .as("unused low bits set: another spelling of 32 bytes").isFalse();
        assertThat(Pkce.isChallenge(RFC_CHALLENGE.substring(0, 42) + "E")).isTrue();
        assertThat(Pkce.isChallenge(null)).isFalse();
        assertThat(Pkce.isChallenge("")).isFalse();
    }

    private static String challengeOf(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.UTF_8)));
    }
}
