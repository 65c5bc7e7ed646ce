package dev.authfn.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizationCodeTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant T0 = Instant.parse("2100-01-01T08:00:00.123Z");

    private static AuthorizationCode code(String codeHash, Set<String> scopes, List<String> amr) {
        return new AuthorizationCode(codeHash, "spa", "https://app.example/cb",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", scopes, Optional.of("n-0S6_WzA2Mj"), "user-id-1",
                "alice", "session-1", amr, T0.minusSeconds(30), T0, T0.plus(AuthorizationCode.LIFETIME));
    }

    @Test
    void livesSixtySeconds() {
        AuthorizationCode code = code(OAuthCredential.hash(OAuthCredential.generate(RANDOM)), Set.of("openid"),
                List.of("pwd"));

        assertThat(AuthorizationCode.LIFETIME).isEqualTo(Duration.ofSeconds(60));
        assertThat(code.isLiveAt(T0)).isTrue();
        assertThat(code.isLiveAt(code.expiresAt().minusMillis(1))).isTrue();
        assertThat(code.isLiveAt(code.expiresAt())).isFalse();
        assertThat(code.isLiveAt(code.expiresAt().plusSeconds(1))).isFalse();
    }

    @Test
    void copiesItsScopesAndAmr() {
        Set<String> scopes = new HashSet<>(Set.of("openid"));
        List<String> amr = new ArrayList<>(List.of("pwd", "otp", "mfa"));

        AuthorizationCode code = code("hash", scopes, amr);
        scopes.add("admin");
        amr.clear();

        assertThat(code.scopes()).containsExactly("openid");
        assertThat(code.amr()).containsExactly("pwd", "otp", "mfa");
    }

    @Test
    void refusesMissingParts() {
        assertThatThrownBy(() -> code(null, Set.of(), List.of()))
                .isInstanceOf(NullPointerException.class).hasMessage("codeHash");
        assertThatThrownBy(() -> new AuthorizationCode("hash", "spa", "https://app.example/cb", "challenge", Set.of(),
                null, "user-id-1", "alice", "session-1", List.of(), T0, T0, T0))
                .isInstanceOf(NullPointerException.class).hasMessage("nonce");
        assertThatThrownBy(() -> new AuthorizationCode("hash", "spa", "https://app.example/cb", "challenge", Set.of(),
                Optional.empty(), "user-id-1", "alice", "session-1", List.of(), T0, T0, null))
                .isInstanceOf(NullPointerException.class).hasMessage("expiresAt");
    }

    @Test
    void showsNeitherItsHashNorItsChallengeNorItsSession() {
        String codeHash = OAuthCredential.hash(OAuthCredential.generate(RANDOM));
        AuthorizationCode code = code(codeHash, Set.of("openid"), List.of("pwd"));

        assertThat(code.toString()).isEqualTo("AuthorizationCode[client=spa, userId=user-id-1, codeHash=<redacted>]")
                .doesNotContain(codeHash).doesNotContain(code.codeChallenge()).doesNotContain("session-1");
    }
}
