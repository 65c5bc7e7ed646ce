package dev.authfn.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionTokenTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void idCarries128BitsAndSecret256Bits() {
        SessionToken token = SessionToken.generate(random);

        assertThat(Base64.getUrlDecoder().decode(token.id())).hasSize(16);
        assertThat(Base64.getUrlDecoder().decode(token.secret())).hasSize(32);
        assertThat(token.encoded()).isEqualTo(token.id() + "." + token.secret());
    }

    @Test
    void tenThousandIssuedIdsAreDistinctAndShowNoStructure() {
        Set<String> ids = new HashSet<>();
        int[] ones = new int[128];
        for (int i = 0; i < 10_000; i++) {
            String id = SessionToken.generate(random).id();
            ids.add(id);
            byte[] bits = Base64.getUrlDecoder().decode(id);
            for (int b = 0; b < 128; b++) {
                ones[b] += (bits[b / 8] >> (b % 8)) & 1;
            }
        }

        assertThat(ids).hasSize(10_000);
        // Every bit position is set about half the time: 5000 +- 6 standard deviations (50).
        for (int b = 0; b < 128; b++) {
            assertThat(ones[b]).as("bit %d", b).isBetween(4_700, 5_300);
        }
    }

    @Test
    void parsesItsOwnEncoding() {
        SessionToken token = SessionToken.generate(random);

        assertThat(SessionToken.parse(token.encoded())).contains(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "abc.def", "AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.",
        "AAAAAAAAAAAAAAAAAAAAA=.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+"})
    void refusesAnythingButTheExactShape(String presented) {
        assertThat(SessionToken.parse(presented)).isEmpty();
    }

    @Test
    void refusesNull() {
        assertThat(SessionToken.parse(null)).isEmpty();
    }

    @Test
    void matchesOnlyTheHashOfItsOwnSecret() {
        SessionToken token = SessionToken.generate(random);
        SessionToken other = SessionToken.generate(random);

        assertThat(token.matchesHash(token.secretHash())).isTrue();
        assertThat(token.matchesHash(other.secretHash())).isFalse();
        assertThat(token.secretHash()).doesNotContain(token.secret());
    }

    @Test
    void neverShowsTheSecret() {
        SessionToken token = SessionToken.generate(random);

        assertThat(token.toString()).contains(token.id()).doesNotContain(token.secret());
    }

    @Test
    void constructorRefusesMalformedParts() {
        assertThatThrownBy(() -> new SessionToken("short", "secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a session token");
    }
}
