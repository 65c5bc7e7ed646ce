package dev.authfn.core.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.authfn.core.jwt.internal.JwsSigners;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.keys.KeySet;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Issues access tokens (RFC 9068 JWTs) signed with the key set's active JWT key. The header is
 * exactly {@code alg}, {@code typ: at+jwt} and {@code kid}; the claims are {@code iss}, {@code sub},
 * {@code aud}, {@code exp}, {@code iat}, {@code jti}, {@code client_id}, {@code sid},
 * {@code roles}, {@code scope}, {@code preferred_username}, {@code amr}, {@code auth_time} and
 * {@code acr} ({@link AccessTokenClaims}). Built once at init; the signer is made here, not per
 * token.
 */
public final class AccessTokenIssuer {
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    /** 128 random bits per {@code jti}. */
    private static final int JTI_BYTES = 16;

    private final SecureRandom random = new SecureRandom();
    private final JWSHeader header;
    private final JWSSigner signer;
    private final String issuer;
    private final String audience;
    private final String clientId;
    private final Duration lifetime;
    private final Clock clock;

    public AccessTokenIssuer(KeySet keys, String issuer, String audience, String clientId, Clock clock) {
        this(keys, issuer, audience, clientId, DEFAULT_LIFETIME, clock);
    }

    public AccessTokenIssuer(
            KeySet keys, String issuer, String audience, String clientId, Duration lifetime, Clock clock) {
        this.issuer = requireText(issuer, "issuer");
        this.audience = requireText(audience, "audience");
        this.clientId = requireText(clientId, "clientId");
        this.lifetime = lifetime.truncatedTo(ChronoUnit.SECONDS); // JWT times are whole seconds
        if (this.lifetime.isNegative() || this.lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be at least one second");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        JwtKey key = keys.activeJwtKey();
        this.header = new JWSHeader.Builder(key.algorithm())
                .type(AccessTokenClaims.TYPE)
                .keyID(key.kid())
                .build();
        try {
            this.signer = JwsSigners.forKey(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with JWT key " + key.kid(), e);
        }
    }

    /**
     * Issues a token for the user {@code subject} in session {@code sessionId}, valid for
     * {@link #lifetime()} from now. {@code amr} and {@code authTime} are the session's, as it
     * recorded them at login ({@code Session#amr}, {@code Session#authTime}): a token never says
     * more about the login than its session does. {@code auth_time} is written in whole seconds,
     * rounded down.
     *
     * @throws IllegalArgumentException when a value is blank, a permission holds whitespace or
     *     {@code amr} is not a valid list of methods
     */
    public String issue(String subject, String username, String sessionId, Set<String> roles, Set<String> permissions,
            List<String> amr, Instant authTime) {
        return issue(subject, username, sessionId, roles, permissions, amr, authTime, clientId);
    }

    /**
     * As {@link #issue(String, String, String, Set, Set, List, Instant)} for an OAuth client's grant
     * (docs/API.md §18.4): {@code client_id} is {@code forClient}, and {@code permissions} the
     * granted scopes, written as {@code scope}.
     */
    public String issue(String subject, String username, String sessionId, Set<String> roles, Set<String> permissions,
            List<String> amr, Instant authTime, String forClient) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        AccessTokenClaims claims = new AccessTokenClaims(subject, username, sessionId, roles, permissions,
                requireText(forClient, "clientId"), newJti(), now, now.plus(lifetime), amr,
                authTime.truncatedTo(ChronoUnit.SECONDS));
        return sign(claims.toJwtClaims(issuer, audience));
    }

    /**
     * A token for a client acting for itself (the {@code client_credentials} grant, docs/API.md
     * §18.4): {@code sub} and {@code client_id} are the client, {@code scope} the granted scopes;
     * no user, session, roles or authentication claims. The Lambda authorizer refuses it (it has no
     * {@code sid}); API Gateway's JWT authorizer and the handler library read it.
     */
    public String issueForClient(String forClient, Set<String> scopes) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        requireText(forClient, "clientId");
        for (String scope : scopes) {
            if (scope.isEmpty() || scope.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("a scope must be non-empty and hold no space");
            }
        }
        return sign(new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(forClient)
                .audience(audience)
                .expirationTime(Date.from(now.plus(lifetime)))
                .issueTime(Date.from(now))
                .jwtID(newJti())
                .claim(AccessTokenClaims.CLIENT_ID, forClient)
                .claim(AccessTokenClaims.SCOPE, String.join(" ", new TreeSet<>(scopes)))
                .build());
    }

    private String sign(JWTClaimsSet claims) {
        SignedJWT token = new SignedJWT(header, claims);
        try {
            token.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing an access token failed", e);
        }
        return token.serialize();
    }

    /** How long issued tokens live (the {@code expires_in} of token responses). */
    public Duration lifetime() {
        return lifetime;
    }

    private String newJti() {
        byte[] bytes = new byte[JTI_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }
}
