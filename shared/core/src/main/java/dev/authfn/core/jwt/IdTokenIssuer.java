package dev.authfn.core.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.authfn.core.authz.Acr;
import dev.authfn.core.internal.Base64Url;
import dev.authfn.core.jwt.internal.JwsSigners;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.keys.KeySet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Issues OpenID Connect ID tokens (Core §2, docs/API.md §18.7), signed with the key set's active
 * JWT key. The header is {@code alg}, {@code typ: JWT} and {@code kid}: never {@code at+jwt}, so
 * {@link AccessTokenVerifier} refuses an ID token presented as an access token.
 */
public final class IdTokenIssuer {

    private static final JOSEObjectType TYPE = JOSEObjectType.JWT;

    private final JWSHeader header;
    private final JWSSigner signer;
    private final String algorithm;
    private final String issuer;
    private final Duration lifetime;
    private final Clock clock;

    /** What an ID token says about the user and the login, besides what the issuer knows. */
    public record Claims(
            String subject,
            String clientId,
            String sessionId,
            List<String> amr,
            Instant authTime,
            Optional<String> nonce,
            Optional<String> username,
            Optional<String> email,
            boolean emailVerified,
            String accessToken) {

        public Claims {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(sessionId, "sessionId");
            amr = List.copyOf(amr);
            Objects.requireNonNull(authTime, "authTime");
            Objects.requireNonNull(nonce, "nonce");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(accessToken, "accessToken");
        }

        @Override
        public String toString() {
            return "IdTokenIssuer.Claims[subject=" + subject + ", client=" + clientId + "]";
        }
    }

    public IdTokenIssuer(KeySet keys, String issuer, Duration lifetime, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.lifetime = lifetime.truncatedTo(ChronoUnit.SECONDS);
        this.clock = Objects.requireNonNull(clock, "clock");
        JwtKey key = keys.activeJwtKey();
        this.algorithm = key.algorithmName();
        this.header = new JWSHeader.Builder(key.algorithm()).type(TYPE).keyID(key.kid()).build();
        try {
            this.signer = JwsSigners.forKey(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with JWT key " + key.kid(), e);
        }
    }

    /** The signed ID token for {@code claims}, valid for the access token's lifetime from now. */
    public String issue(Claims claims) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(claims.subject())
                .audience(claims.clientId())
                .expirationTime(Date.from(now.plus(lifetime)))
                .issueTime(Date.from(now))
                .claim("azp", claims.clientId())
                .claim("auth_time", claims.authTime().getEpochSecond())
                .claim("amr", claims.amr())
                .claim("acr", Acr.of(claims.amr()))
                .claim("sid", claims.sessionId())
                .claim("at_hash", atHash(claims.accessToken()));
        claims.nonce().ifPresent(nonce -> builder.claim("nonce", nonce));
        claims.username().ifPresent(username -> builder.claim("preferred_username", username));
        claims.email().ifPresent(email -> builder.claim("email", email).claim("email_verified", claims.emailVerified()));
        SignedJWT token = new SignedJWT(header, builder.build());
        try {
            token.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing an ID token failed", e);
        }
        return token.serialize();
    }

    /**
     * {@code at_hash} (Core §3.1.3.6): the left half of the hash of the access token's ASCII, with
     * the hash of the signing algorithm: SHA-512 for EdDSA (Ed25519, as OpenID's note on it has
     * it), SHA-256 for every other algorithm a key set may hold (RS256, PS256, ES256).
     */
    String atHash(String accessToken) {
        String digest = algorithm.equals("EdDSA") ? "SHA-512" : "SHA-256";
        try {
            byte[] hash = MessageDigest.getInstance(digest).digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64Url.encode(Arrays.copyOf(hash, hash.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digest + " is missing from this JDK", e);
        }
    }
}
