package dev.authfn.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OAuthCredentialTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void isThirtyTwoRandomBytesIn43Base64UrlCharacters() {
        String credential = OAuthCredential.generate(RANDOM);

        assertThat(credential).hasSize(43).hasSize(OAuthCredential.ENCODED_LENGTH).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(credential)).hasSize(32).hasSize(OAuthCredential.BYTES);
        assertThat(OAuthCredential.isWellFormed(credential)).isTrue();
    }

    @Test
    void everyCredentialIsNew() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(OAuthCredential.generate(RANDOM))).isTrue();
        }
    }

    @Test
    void aWellFormedCredentialIsWhatGenerateWrites() {
        String credential = OAuthCredential.generate(RANDOM);

        assertThat(OAuthCredential.isWellFormed(credential.substring(1))).isFalse();
        assertThat(OAuthCredential.isWellFormed(credential + "A")).isFalse();
        assertThat(OAuthCredential.isWellFormed(credential.substring(0, 42) + "+")).isFalse();
        assertThat(OAuthCredential.isWellFormed(credential.substring(0, 42) + ".")).isFalse();
        assertThat(OAuthCredential.isWellFormed("A".repeat(42) + "B")).as("unused low bits set").isFalse();
        assertThat(OAuthCredential.isWellFormed("A".repeat(42) + "E")).isTrue();
        assertThat(OAuthCredential.isWellFormed("")).isFalse();
        assertThat(OAuthCredential.isWellFormed(null)).isFalse();
    }

    @Test
    void theStoreKeepsTheSha256OfTheTextNeverTheCredential() throws Exception {
        String credential = OAuthCredential.generate(RANDOM);

        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.US_ASCII)));
        assertThat(OAuthCredential.hash(credential)).isEqualTo(expected).isNotEqualTo(credential).hasSize(43);
        assertThat(OAuthCredential.hash("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    }

    @Test
    void matchesItsOwnHashAlone() {
        String credential = OAuthCredential.generate(RANDOM);
        String stored = OAuthCredential.hash(credential);

        assertThat(OAuthCredential.matches(credential, stored)).isTrue();
        assertThat(OAuthCredential.matches(OAuthCredential.generate(RANDOM), stored)).isFalse();
        assertThat(OAuthCredential.matches(stored, stored)).as("the hash is not the credential").isFalse();
        assertThat(OAuthCredential.matches(credential, credential)).isFalse();
    }
}
