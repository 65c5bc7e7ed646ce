package dev.authfn.core.jwt;

import static dev.authfn.core.jwt.TokenForge.CLOCK;
import static dev.authfn.core.jwt.TokenForge.ISSUER;
import static dev.authfn.core.jwt.TokenForge.NOW;
import static dev.authfn.core.jwt.TokenForge.part;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.authfn.core.internal.Base64Url;
import dev.authfn.core.keys.KeySet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdTokenIssuerTest {

    private static final KeySet RSA = KeySet.generate(JWSAlgorithm.RS256, CLOCK);
    private static final String ACCESS_TOKEN = "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl";

    private final IdTokenIssuer issuer = new IdTokenIssuer(RSA, ISSUER, Duration.ofMinutes(5), CLOCK);

    private static IdTokenIssuer.Claims claims(Optional<String> nonce, Optional<String> username, Optional<String> email) {
        return new IdTokenIssuer.Claims("user-1", "spa", "grant-1", List.of("pwd", "otp", "mfa"), NOW.minusMillis(90_500),
                nonce, username, email, false, ACCESS_TOKEN);
    }

    @Test
    void writesTheOpenIdClaimsWithTypJwtAndTheAccessTokensHash() throws Exception {
        String token = issuer.issue(claims(Optional.of("n-1"), Optional.of("alice"), Optional.of("alice@example.com")));

        assertThat(part(token, 0)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "alg", "RS256", "typ", "JWT", "kid", RSA.activeJwtKey().kid()));
        assertThat(part(token, 1)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("iss", ISSUER),
                Map.entry("sub", "user-1"),
                Map.entry("aud", "spa"),
                Map.entry("azp", "spa"),
                Map.entry("iat", NOW.getEpochSecond()),
                Map.entry("exp", NOW.getEpochSecond() + 300),
                Map.entry("auth_time", NOW.getEpochSecond() - 91),
                Map.entry("amr", List.of("pwd", "otp", "mfa")),
                Map.entry("acr", "urn:authfn:acr:mfa"),
                Map.entry("sid", "grant-1"),
                Map.entry("nonce", "n-1"),
                Map.entry("preferred_username", "alice"),
                Map.entry("email", "alice@example.com"),
                Map.entry("email_verified", false),
                Map.entry("at_hash", leftHalf("SHA-256", ACCESS_TOKEN))));
        assertThat(SignedJWT.parse(token).verify(new RSASSAVerifier(RSA.activeJwtKey().jwk().toRSAKey()))).isTrue();
    }

    @Test
    void leavesOutWhatTheScopesAndTheRequestDidNotAskFor() {
        Map<String, Object> claims = part(issuer.issue(claims(Optional.empty(), Optional.empty(), Optional.empty())), 1);

        assertThat(claims).doesNotContainKeys("nonce", "preferred_username", "email", "email_verified")
                .containsEntry("acr", "urn:authfn:acr:mfa");
    }

    @Test
    void anIdTokenIsNotAnAccessToken() {
        String token = issuer.issue(claims(Optional.empty(), Optional.empty(), Optional.empty()));

        assertThat(new AccessTokenVerifier(RSA, ISSUER, "spa", CLOCK).verify(token))
                .isEqualTo(new AccessTokenResult.Rejected(AccessTokenResult.Reason.WRONG_TYP));
    }

    @Test
    void atHashUsesTheHashOfTheSigningAlgorithm() throws Exception {
        KeySet ed = KeySet.generate(JWSAlgorithm.EdDSA, CLOCK);
        KeySet ec = KeySet.generate(JWSAlgorithm.ES256, CLOCK);
        assertThat(new IdTokenIssuer(RSA, ISSUER, Duration.ofMinutes(5), CLOCK).atHash("abc"))
                .isEqualTo(leftHalf("SHA-256", "abc")).hasSize(22);
        String es256 = new IdTokenIssuer(ec, ISSUER, Duration.ofMinutes(5), CLOCK).issue(
                claims(Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(SignedJWT.parse(es256).verify(new ECDSAVerifier(ec.activeJwtKey().jwk().toECKey()))).isTrue();
        assertThat(new IdTokenIssuer(ed, ISSUER, Duration.ofMinutes(5), CLOCK).atHash("abc"))
                .isEqualTo(leftHalf("SHA-512", "abc")).hasSize(43);
    }

    @Test
    void claimsDoNotPrintTheAccessToken() {
        assertThat(claims(Optional.empty(), Optional.empty(), Optional.empty()).toString())
                .doesNotContain(ACCESS_TOKEN).contains("user-1");
    }

    private static String leftHalf(String digest, String text) throws Exception {
        byte[] hash = MessageDigest.getInstance(digest).digest(text.getBytes(StandardCharsets.US_ASCII));
        return Base64Url.encode(Arrays.copyOf(hash, hash.length / 2));
    }
}
