package dev.authfn.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class RefreshTokenTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void isTwoCredentialsJoinedByADot() {
        RefreshToken token = RefreshToken.generate(RANDOM);

        assertThat(token.encoded()).hasSize(87).hasSize(RefreshToken.LENGTH)
                .isEqualTo(token.familyId() + "." + token.secret());
        assertThat(OAuthCredential.isWellFormed(token.familyId())).isTrue();
        assertThat(OAuthCredential.isWellFormed(token.secret())).isTrue();
        assertThat(token.familyId()).isNotEqualTo(token.secret());
    }

    @Test
    void parsesWhatItEncodes() {
        RefreshToken token = RefreshToken.generate(RANDOM);

        assertThat(RefreshToken.parse(token.encoded())).contains(token);
    }

    @Test
    void theNextTokenKeepsTheFamilyWithANewSecret() {
        RefreshToken token = RefreshToken.generate(RANDOM);

        RefreshToken next = token.next(RANDOM);

        assertThat(next.familyId()).isEqualTo(token.familyId());
        assertThat(next.secret()).isNotEqualTo(token.secret());
        assertThatThrownBy(() -> token.next(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theStoreKeepsTheSecretsHash() {
        RefreshToken token = RefreshToken.generate(RANDOM);

        assertThat(token.secretHash()).isEqualTo(OAuthCredential.hash(token.secret())).isNotEqualTo(token.secret());
    }

    @Test
    void refusesAWrongLength() {
        String encoded = RefreshToken.generate(RANDOM).encoded();

        assertThat(RefreshToken.parse(encoded.substring(1))).isEmpty();
        assertThat(RefreshToken.parse(encoded + "A")).isEmpty();
        assertThat(RefreshToken.parse("")).isEmpty();
        assertThat(RefreshToken.parse(null)).isEmpty();
    }

    @Test
    void refusesATokenWithoutTheDotInItsPlace() {
        RefreshToken token = RefreshToken.generate(RANDOM);

        assertThat(RefreshToken.parse(token.familyId() + "~" + token.secret())).isEmpty();
        assertThat(RefreshToken.parse(token.familyId() + token.secret() + "A")).isEmpty();
        String shifted = token.familyId().substring(1) + "." + token.secret() + "A";
        assertThat(RefreshToken.parse(shifted)).isEmpty();
    }

    @Test
    void refusesNonCanonicalBase64UrlInEitherHalf() {
        String canonical = "A".repeat(42) + "E";
        String lowBitsSet = "A".repeat(42) + "F";

        assertThat(RefreshToken.parse(canonical + "." + canonical)).isPresent();
        assertThat(RefreshToken.parse(lowBitsSet + "." + canonical)).isEmpty();
        assertThat(RefreshToken.parse(canonical + "." + lowBitsSet)).isEmpty();
        assertThat(RefreshToken.parse(canonical + "." + "A".repeat(42) + "+")).isEmpty();
        assertThat(RefreshToken.parse("A".repeat(42) + "/" + "." + canonical)).isEmpty();
    }

    @Test
    void isMadeOfTwoCredentialsOnly() {
        String credential = OAuthCredential.generate(RANDOM);

        assertThatThrownBy(() -> new RefreshToken(credential, "short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RefreshToken("short", credential)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RefreshToken(null, credential)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void showsNothingOfItself() {
        RefreshToken token = RefreshToken.generate(RANDOM);

        assertThat(token.toString()).isEqualTo("RefreshToken[<redacted>]");
    }
}
