package dev.authfn.core.passkey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasskeyChallengeTest {

    @Test
    void isThirtyTwoRandomBytesInUnpaddedBase64UrlAndGoodForFiveMinutes() {
        PasskeyChallenge challenge = PasskeyChallenge.generate(new SecureRandom());

        assertThat(challenge.encoded()).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(challenge.encoded())).hasSize(32);
        assertThat(PasskeyChallenge.LIFETIME).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void everyChallengeIsNew() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(PasskeyChallenge.generate(random).encoded())).isTrue();
        }
    }

    @Test
    void theStoreKeepsTheSha256OfTheBytesNeverTheChallenge() throws Exception {
        PasskeyChallenge challenge = PasskeyChallenge.generate(new SecureRandom());
        byte[] bytes = Base64.getUrlDecoder().decode(challenge.encoded());

        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(challenge.hash()).isEqualTo(expected).isEqualTo(PasskeyChallenge.hash(bytes))
                .isNotEqualTo(challenge.encoded());
        assertThat(PasskeyChallenge.hash("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    }

    @Test
    void showsNothingOfItself() {
        PasskeyChallenge challenge = PasskeyChallenge.generate(new SecureRandom());

        assertThat(challenge.toString()).isEqualTo("PasskeyChallenge[<redacted>]");
    }
}
