package dev.authfn.core.jwt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.authfn.core.authz.Acr;
import dev.authfn.core.authz.Amr;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The claims of an authfn access token (RFC 9068) besides {@code iss} and {@code aud}: {@code sub}
 * (the stable user id), {@code preferred_username}, {@code sid} (the session), {@code roles} (a
 * JSON array), {@code scope} (the permissions, space-separated), {@code client_id}, {@code jti},
 * {@code iat} and {@code exp}. Permissions therefore hold no whitespace.
 *
 * <p>And, as RFC 9068 §2.2.1 allows, how the session's user authenticated: {@code amr} (a JSON
 * array of RFC 8176 methods, in order), {@code auth_time} (a NumericDate, whole seconds) and
 * {@code acr}, which is derived from {@code amr} ({@link Acr#of}) and so is written, never read: a
 * token cannot claim a class its methods do not give. A token issued before these claims existed
 * still verifies and reads as {@code amr} {@code ["pwd"]} authenticated at its {@code iat}: a
 * password session, and no older than the token.
 */
public record AccessTokenClaims(
        String subject,
        String username,
        String sessionId,
        Set<String> roles,
        Set<String> permissions,
        String clientId,
        String jti,
        Instant issuedAt,
        Instant expiresAt,
        List<String> amr,
        Instant authTime) {

    /** The {@code typ} header of access tokens, RFC 9068 section 2.1. */
    public static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");

    static final String USERNAME = "preferred_username";
    static final String SESSION_ID = "sid";
    static final String ROLES = "roles";
    static final String SCOPE = "scope";
    static final String CLIENT_ID = "client_id";
    static final String AMR = "amr";
    static final String AUTH_TIME = "auth_time";
    static final String ACR = "acr";

    public AccessTokenClaims {
        requireText(subject, "subject");
        requireText(username, "username");
        requireText(sessionId, "sessionId");
        roles = Set.copyOf(roles);
        permissions = Set.copyOf(permissions);
        for (String permission : permissions) {
            if (permission.isEmpty() || hasWhitespace(permission)) {
                throw new IllegalArgumentException("a permission must be non-empty and hold no whitespace");
            }
        }
        requireText(clientId, "clientId");
        requireText(jti, "jti");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        amr = Amr.requireValid(amr);
        Objects.requireNonNull(authTime, "authTime");
    }

    /** The claims of a token without {@code amr} and {@code auth_time}: a password session authenticated at {@code issuedAt}. */
    public AccessTokenClaims(String subject, String username, String sessionId, Set<String> roles,
            Set<String> permissions, String clientId, String jti, Instant issuedAt, Instant expiresAt) {
        this(subject, username, sessionId, roles, permissions, clientId, jti, issuedAt, expiresAt, Amr.PASSWORD,
                issuedAt);
    }

    /** {@link Acr#MFA} when {@code amr} holds {@code mfa}, else {@link Acr#SFA}. */
    public String acr() {
        return Acr.of(amr);
    }

    private static boolean hasWhitespace(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    /** The JWT claims set for these claims; roles and permissions are written sorted. */
    JWTClaimsSet toJwtClaims(String issuer, String audience) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(audience)
                .expirationTime(Date.from(expiresAt))
                .issueTime(Date.from(issuedAt))
                .jwtID(jti)
                .claim(CLIENT_ID, clientId)
                .claim(SESSION_ID, sessionId)
                .claim(ROLES, List.copyOf(new TreeSet<>(roles)))
                .claim(SCOPE, String.join(" ", new TreeSet<>(permissions)))
                .claim(USERNAME, username)
                .claim(AMR, amr)
                .claim(AUTH_TIME, Date.from(authTime))
                .claim(ACR, acr())
                .build();
    }

    /**
     * Reads the claims of a token whose signature and registered claims were already verified.
     * Missing {@code roles} or {@code scope} read as empty; missing {@code amr} as {@code ["pwd"]}
     * and missing {@code auth_time} as {@code iat} (tokens issued before these claims). Any
     * {@code acr} is ignored: it is derived from {@code amr}.
     *
     * @throws ParseException when a claim has the wrong JSON type
     * @throws IllegalArgumentException when a required claim is blank or a value is unusable
     */
    static AccessTokenClaims fromJwtClaims(JWTClaimsSet verified) throws ParseException {
        List<String> roles = verified.getStringListClaim(ROLES);
        List<String> amr = verified.getStringListClaim(AMR);
        Date authTime = verified.getDateClaim(AUTH_TIME);
        Instant issuedAt = verified.getIssueTime().toInstant();
        String scope = verified.getStringClaim(SCOPE);
        Set<String> permissions = new HashSet<>();
        if (scope != null) {
            for (String permission : scope.split(" ")) {
                if (!permission.isEmpty()) {
                    permissions.add(permission);
                }
            }
        }
        return new AccessTokenClaims(
                verified.getSubject(),
                verified.getStringClaim(USERNAME),
                verified.getStringClaim(SESSION_ID),
                roles == null ? Set.of() : Set.copyOf(roles),
                permissions,
                verified.getStringClaim(CLIENT_ID),
                verified.getJWTID(),
                issuedAt,
                verified.getExpirationTime().toInstant(),
                amr == null ? Amr.PASSWORD : amr,
                authTime == null ? issuedAt : authTime.toInstant());
    }
}
