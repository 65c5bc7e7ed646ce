package dev.authfn.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RefreshFamilyTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant T0 = Instant.parse("2100-01-01T08:00:00.123Z");

    private static RefreshFamily family(String familyId, String currentHash) {
        return new RefreshFamily(familyId, "spa", "user-id-1", "alice", "grant-session-1", Set.of("openid"),
                currentHash, Optional.empty(), T0, T0, T0.plusSeconds(3600));
    }

    @Test
    void aRotationMovesTheCurrentHashToPreviousAndKeepsTheRest() {
        RefreshToken first = RefreshToken.generate(RANDOM);
        RefreshToken second = first.next(RANDOM);
        RefreshFamily family = family(first.familyId(), first.secretHash());
        Instant now = T0.plusSeconds(60);

        RefreshFamily rotated = family.rotated(first.secretHash(), second.secretHash(), now);

        assertThat(rotated.currentHash()).isEqualTo(second.secretHash());
        assertThat(rotated.previousHash()).contains(first.secretHash());
        assertThat(rotated.rotatedAt()).isEqualTo(now);
        assertThat(rotated).usingRecursiveComparison().ignoringFields("currentHash", "previousHash", "rotatedAt")
                .isEqualTo(family);
    }

    @Test
    void aRetryKeepsTheOldCurrentHashAsASiblingAndTheRotationTime() {
        RefreshToken first = RefreshToken.generate(RANDOM);
        RefreshFamily rotated = family(first.familyId(), first.secretHash())
                .rotated(first.secretHash(), "second", T0.plusSeconds(1));

        RefreshFamily retried = rotated.retried("third").retried("fourth");

        assertThat(retried.currentHash()).isEqualTo("fourth");
        assertThat(retried.siblingHashes()).containsExactlyInAnyOrder("second", "third");
        assertThat(retried.previousHash()).contains(first.secretHash());
        assertThat(retried.rotatedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(retried.rotated("third", "fifth", T0.plusSeconds(9)).siblingHashes()).isEmpty();
    }

    @Test
    void aPreviousTokenGetsAtMostFiveAnswers() {
        RefreshToken first = RefreshToken.generate(RANDOM);
        RefreshFamily family = family(first.familyId(), first.secretHash()).rotated(first.secretHash(), "a", T0);
        for (int retry = 0; retry < RefreshFamily.MAX_SIBLINGS; retry++) {
            assertThat(family.mayRetry()).isTrue();
            family = family.retried("h" + retry);
        }
        assertThat(family.mayRetry()).isFalse();
        RefreshFamily full = family;
        assertThatThrownBy(() -> full.retried("one too many")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a family keeps at most 5 siblings");
    }

    @Test
    void itsIdIsACredential() {
        assertThatThrownBy(() -> family("short", "hash"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a family id is an OAuthCredential");
        assertThatThrownBy(() -> family(null, "hash")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> family(OAuthCredential.generate(RANDOM), null))
                .isInstanceOf(NullPointerException.class).hasMessage("currentHash");
    }

    @Test
    void showsNeitherItsIdNorItsHashes() {
        RefreshToken token = RefreshToken.generate(RANDOM);
        RefreshFamily family = family(token.familyId(), token.secretHash())
                .rotated(token.secretHash(), token.next(RANDOM).secretHash(), T0);

        assertThat(family.toString()).isEqualTo("RefreshFamily[client=spa, userId=user-id-1, hashes=<redacted>]")
                .doesNotContain(token.familyId()).doesNotContain(family.currentHash())
                .doesNotContain(family.previousHash().orElseThrow());
    }
}
