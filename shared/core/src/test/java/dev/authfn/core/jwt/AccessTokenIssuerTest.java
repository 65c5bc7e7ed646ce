package dev.authfn.core.jwt;

import static dev.authfn.core.jwt.TokenForge.AUDIENCE;
import static dev.authfn.core.jwt.TokenForge.CLIENT_ID;
import static dev.authfn.core.jwt.TokenForge.CLOCK;
import static dev.authfn.core.jwt.TokenForge.ISSUER;
import static dev.authfn.core.jwt.TokenForge.NOW;
import static dev.authfn.core.jwt.TokenForge.part;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessTokenIssuerTest {
    private static final KeySet KEYS = KeySet.generate(JWSAlgorithm.RS256, CLOCK);

    private final AccessTokenIssuer issuer = new AccessTokenIssuer(KEYS, ISSUER, AUDIENCE, CLIENT_ID, CLOCK);

    private String issueForAlice(AccessTokenIssuer tokenIssuer) {
        return tokenIssuer.issue("user-1", "alice", "session-1", Set.of("user", "admin"),
                Set.of("posts:read", "posts:create"), List.of("pwd"), NOW.minusSeconds(90));
    }

    @Test
    void writesExactlyAlgTypAndKidInTheHeader() {
        String token = issueForAlice(issuer);

        assertThat(part(token, 0)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "alg", "RS256", "typ", "at+jwt", "kid", KEYS.activeJwtKey().kid()));
    }

    @Test
    void writesExactlyTheRfc9068ClaimsWithSortedRolesAndScopeAndHowTheUserAuthenticated() {
        // when
        String token = issueForAlice(issuer);

        // then
        Map<String, Object> claims = part(token, 1);
        assertThat(claims).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("iss", ISSUER),
                Map.entry("sub", "user-1"),
                Map.entry("aud", AUDIENCE),
                Map.entry("iat", NOW.getEpochSecond()),
                Map.entry("exp", NOW.getEpochSecond() + 300),
                Map.entry("jti", claims.get("jti")),
                Map.entry("client_id", CLIENT_ID),
                Map.entry("sid", "session-1"),
                Map.entry("roles", List.of("admin", "user")),
                Map.entry("scope", "posts:create posts:read"),
                Map.entry("preferred_username", "alice"),
                Map.entry("amr", List.of("pwd")),
                Map.entry("auth_time", NOW.getEpochSecond() - 90),
                Map.entry("acr", "urn:authfn:acr:sfa")));
    }

    @Test
    void aGrantOfAnOAuthClientNamesThatClientAndItsScopes() {
        String token = issuer.issue("user-1", "alice", "grant-1", Set.of("user"), Set.of("openid", "posts:read"),
                List.of("pwd"), NOW, "spa");

        assertThat(part(token, 1)).containsEntry("client_id", "spa").containsEntry("scope", "openid posts:read")
                .containsEntry("sid", "grant-1").containsEntry("aud", AUDIENCE);
        assertThat(new AccessTokenVerifier(KEYS, ISSUER, AUDIENCE, CLOCK).verify(token))
                .isInstanceOf(AccessTokenResult.Verified.class);
        assertThatThrownBy(() -> issuer.issue("user-1", "alice", "grant-1", Set.of(), Set.of(), List.of("pwd"), NOW, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("clientId must not be blank");
    }

    @Test
    void aClientsOwnTokenHasTheClientAsSubjectAndNoUserOrSession() {
        String token = issuer.issueForClient("billing", Set.of("reports:read", "posts:create"));

        Map<String, Object> claims = part(token, 1);
        assertThat(claims).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("iss", ISSUER),
                Map.entry("sub", "billing"),
                Map.entry("aud", AUDIENCE),
                Map.entry("iat", NOW.getEpochSecond()),
                Map.entry("exp", NOW.getEpochSecond() + 300),
                Map.entry("jti", claims.get("jti")),
                Map.entry("client_id", "billing"),
                Map.entry("scope", "posts:create reports:read")));
        assertThat(part(token, 0)).containsEntry("typ", "at+jwt");
        assertThat(new AccessTokenVerifier(KEYS, ISSUER, AUDIENCE, CLOCK).verify(token))
                .as("authfn's verifier wants a session").isEqualTo(
                        new AccessTokenResult.Rejected(AccessTokenResult.Reason.MISSING_CLAIM));
        assertThatThrownBy(() -> issuer.issueForClient("", Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> issuer.issueForClient("billing", Set.of("two words")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a scope must be non-empty and hold no space");
        assertThatThrownBy(() -> issuer.issueForClient("billing", Set.of("")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesASecondFactorInOrderAsTheMultiFactorClassAndAuthTimeInWholeSecondsRoundedDown() {
        String token = issuer.issue("user-1", "alice", "session-1", Set.of(), Set.of(), List.of("pwd", "otp", "mfa"),
                NOW.minusMillis(30_999));

        assertThat(part(token, 1))
                .containsEntry("amr", List.of("pwd", "otp", "mfa"))
                .containsEntry("auth_time", NOW.getEpochSecond() - 31)
                .containsEntry("acr", "urn:authfn:acr:mfa");
    }

    @Test
    void refusesAnInvalidAmr() {
        assertThatThrownBy(() -> issuer.issue("user-1", "alice", "session-1", Set.of(), Set.of(), List.of(), NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesRandomJtiOf128Bits() {
        String first = (String) part(issueForAlice(issuer), 1).get("jti");
        String second = (String) part(issueForAlice(issuer), 1).get("jti");

        assertThat(new Base64URL(first).decode()).hasSize(16);
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void writesEmptyRolesAndScopeForUserWithoutAny() {
        String token = issuer.issue("user-2", "bob", "session-2", Set.of(), Set.of(), List.of("pwd"), NOW);

        assertThat(part(token, 1)).containsEntry("roles", List.of()).containsEntry("scope", "");
    }

    @Test
    void expiresAfterTheConfiguredLifetime() {
        AccessTokenIssuer shortLived =
                new AccessTokenIssuer(KEYS, ISSUER, AUDIENCE, CLIENT_ID, Duration.ofSeconds(90), CLOCK);

        assertThat(part(issueForAlice(shortLived), 1)).containsEntry("exp", NOW.getEpochSecond() + 90);
        assertThat(shortLived.lifetime()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void livesFiveMinutesByDefault() {
        assertThat(issuer.lifetime()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void signsWithTheActiveKeyAfterRotation() {
        KeySet rotated = KEYS.rotate(KeyPurpose.JWT, CLOCK);

        String token = issueForAlice(new AccessTokenIssuer(rotated, ISSUER, AUDIENCE, CLIENT_ID, CLOCK));

        assertThat(part(token, 0)).containsEntry("kid", rotated.activeJwtKey().kid());
        assertThat(rotated.activeJwtKey().kid()).isNotEqualTo(KEYS.activeJwtKey().kid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES256", "HS256"})
    void signaturesCheckOutWithNimbusOwnVerifier(String algorithm) throws Exception {
        // given
        KeySet keys = KeySet.generate(JWSAlgorithm.parse(algorithm), CLOCK);
        JWK key = keys.activeJwtKey().verificationJwk();
        JWSVerifier independent = switch (key) {
            case RSAKey rsa -> new RSASSAVerifier(rsa);
            case ECKey ec -> new ECDSAVerifier(ec);
            case OctetSequenceKey secret -> new MACVerifier(secret);
            default -> throw new AssertionError(key.getKeyType());
        };

        // when
        SignedJWT token = SignedJWT.parse(
                issueForAlice(new AccessTokenIssuer(keys, ISSUER, AUDIENCE, CLIENT_ID, CLOCK)));

        // then
        assertThat(token.getHeader().getAlgorithm().getName()).isEqualTo(algorithm);
        assertThat(token.verify(independent)).isTrue();
    }

    @Test
    void refusesBlankConfiguration() {
        assertThatThrownBy(() -> new AccessTokenIssuer(KEYS, " ", AUDIENCE, CLIENT_ID, CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("issuer must not be blank");
        assertThatThrownBy(() -> new AccessTokenIssuer(KEYS, ISSUER, "", CLIENT_ID, CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("audience must not be blank");
        assertThatThrownBy(() -> new AccessTokenIssuer(KEYS, ISSUER, AUDIENCE, null, CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("clientId must not be blank");
    }

    @Test
    void refusesLifetimeUnderOneSecond() {
        assertThatThrownBy(() -> new AccessTokenIssuer(KEYS, ISSUER, AUDIENCE, CLIENT_ID, Duration.ofMillis(999), CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lifetime must be at least one second");
    }

    @Test
    void refusesPermissionContainingWhitespace() {
        assertThatThrownBy(() -> issuer.issue("user-1", "alice", "session-1", Set.of(), Set.of("posts:read admin"),
                List.of("pwd"), NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
